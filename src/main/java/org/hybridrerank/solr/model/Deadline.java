package org.hybridrerank.solr.model;

import java.util.function.BooleanSupplier;

/**
 * A time budget checked between steps of scoring. It combines an own timeout with an outside signal (for
 * instance the search engine's request time limit) without knowing where that signal comes from.
 *
 * <p>Checks may come from several threads ({@link InferenceWorkers}). The outside signal is read only on the thread
 * that made the deadline, since such signals may live in that thread's state (Solr's request limits do); other
 * threads see it once that thread has, which is soon: it runs calls of its own between theirs.
 */
public final class Deadline {
    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, () -> false);

    private final long expiresAtNanos;
    private final BooleanSupplier externallyExpired;
    private final Thread owner;
    private volatile boolean expiredOutside;

    private Deadline(long expiresAtNanos, BooleanSupplier externallyExpired) {
        this.expiresAtNanos = expiresAtNanos;
        this.externallyExpired = externallyExpired;
        this.owner = Thread.currentThread();
    }

    public static Deadline none() {
        return NONE;
    }

    /**
     * @param timeoutMillis budget from now; 0 or less means no own budget
     * @param externallyExpired true once an outside limit has been reached
     */
    public static Deadline of(long timeoutMillis, BooleanSupplier externallyExpired) {
        long expires = timeoutMillis > 0 ? System.nanoTime() + timeoutMillis * 1_000_000L : Long.MAX_VALUE;
        return new Deadline(expires, externallyExpired);
    }

    public boolean isExpired() {
        if (expiresAtNanos != Long.MAX_VALUE && System.nanoTime() - expiresAtNanos >= 0) return true;
        if (expiredOutside) return true;
        if (Thread.currentThread() == owner && externallyExpired.getAsBoolean()) {
            expiredOutside = true;
            return true;
        }
        return false;
    }

    /** Throws {@link DeadlineExceededException} if the budget is spent; {@code step} names where. */
    public void check(String step) {
        if (isExpired()) {
            throw new DeadlineExceededException("time budget exhausted before " + step);
        }
    }
}
