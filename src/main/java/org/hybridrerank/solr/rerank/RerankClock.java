package org.hybridrerank.solr.rerank;

import java.lang.invoke.MethodHandles;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time source of {@code reRankTimeAllowed} ({@link RerankBudget}): the system's monotonic clock, or, for
 * tests only, a virtual clock that advances by a fixed amount per chunk the model scores, so that a test can spend
 * a budget chunk by chunk without timing anything.
 *
 * <p>The virtual clock is switched on by the system property {@value #VIRTUAL_PROPERTY} =
 * {@code SETUP_MS,CHUNK_MS}: a rerank's budget starts at 0, SETUP_MS pass before its first budget check (the time
 * spent before scoring), and CHUNK_MS pass for every chunk the model scores (a chunk read from the score cache
 * costs nothing). {@code 0,100} with {@code reRankTimeAllowed=200} allows exactly two chunks; {@code 300,100} with
 * the same budget allows none. Never set it on a real node: the budget would no longer measure time (a warning is
 * logged once when it is in use).
 */
public interface RerankClock {
    /** The test-only switch to the virtual clock (see above). */
    String VIRTUAL_PROPERTY = "hybrid.rerank.virtualClock";

    /** The system's clock. */
    RerankClock SYSTEM = System::nanoTime;

    /** Nanoseconds from an arbitrary origin, as {@link System#nanoTime()}. */
    long nanoTime();

    /** The model has scored one more chunk: a virtual clock advances here; real time has passed already. */
    default void chunkScored() {}

    /** The clock of one rerank: the system's, unless {@value #VIRTUAL_PROPERTY} is set. */
    static RerankClock forRerank() {
        String virtual = System.getProperty(VIRTUAL_PROPERTY);
        return virtual == null || virtual.isBlank() ? SYSTEM : Virtual.parse(virtual);
    }

    /** The virtual clock: time passes only as the rerank goes through its steps. One per rerank, not shared. */
    final class Virtual implements RerankClock {
        private static final Logger log =
                LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
        private static final AtomicBoolean warned = new AtomicBoolean();

        private final long setupNanos;
        private final long chunkNanos;
        private long now;
        private boolean read;

        Virtual(long setupMillis, long chunkMillis) {
            this.setupNanos = setupMillis * 1_000_000L;
            this.chunkNanos = chunkMillis * 1_000_000L;
        }

        static Virtual parse(String value) {
            String[] parts = value.split(",");
            try {
                if (parts.length != 2) throw new NumberFormatException(value);
                long setup = Long.parseLong(parts[0].trim());
                long chunk = Long.parseLong(parts[1].trim());
                if (setup < 0 || chunk < 0) throw new NumberFormatException(value);
                if (warned.compareAndSet(false, true)) {
                    log.warn(
                            "-D{}={}: reRankTimeAllowed runs on a virtual clock ({} ms before the first chunk,"
                                    + " {} ms per chunk), for tests only",
                            VIRTUAL_PROPERTY,
                            value,
                            setup,
                            chunk);
                }
                return new Virtual(setup, chunk);
            } catch (NumberFormatException e) {
                throw new IllegalStateException(
                        "system property " + VIRTUAL_PROPERTY + " must be SETUP_MS,CHUNK_MS (two integers >= 0), got '"
                                + value + "'",
                        e);
            }
        }

        /** The first reading starts the rerank (0); the setup time has passed by the next one. */
        @Override
        public synchronized long nanoTime() {
            if (!read) {
                read = true;
                return 0;
            }
            return setupNanos + now;
        }

        @Override
        public synchronized void chunkScored() {
            now += chunkNanos;
        }
    }
}
