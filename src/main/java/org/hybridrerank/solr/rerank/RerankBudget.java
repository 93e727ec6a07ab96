package org.hybridrerank.solr.rerank;

/**
 * {@code reRankTimeAllowed} of one rerank: the soft budget, checked before each chunk that needs the model. Once it
 * is spent, scoring stops and the docs scored so far are ranked ({@link Coverage}); unlike {@code timeout} and
 * {@code timeAllowed}, which throw every score away when they run out.
 */
final class RerankBudget {
    private final long millis;
    private final RerankClock clock;
    private final long start;

    /** Starts the budget now, on {@code clock}. */
    RerankBudget(long millis, RerankClock clock) {
        if (millis <= 0) throw new IllegalArgumentException("reRankTimeAllowed must be > 0, got " + millis);
        this.millis = millis;
        this.clock = clock;
        this.start = clock.nanoTime();
    }

    long millis() {
        return millis;
    }

    /** Whether the budget is spent: no further chunk may start. */
    boolean spent() {
        return clock.nanoTime() - start >= millis * 1_000_000L;
    }

    /** One more chunk was scored by the model (a virtual clock advances). */
    void chunkScored() {
        clock.chunkScored();
    }
}
