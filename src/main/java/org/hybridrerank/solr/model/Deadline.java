package org.hybridrerank.solr.model;

import java.util.function.BooleanSupplier;

/**
 * A time budget checked between steps of scoring. It combines an own timeout with an outside signal (for
 * instance the search engine's request time limit) without knowing where that signal comes from.
 */
public final class Deadline {
    private static final Deadline NONE = new Deadline(Long.MAX_VALUE, () -> false);

    private final long expiresAtNanos;
    private final BooleanSupplier externallyExpired;

    private Deadline(long expiresAtNanos, BooleanSupplier externallyExpired) {
        this.expiresAtNanos = expiresAtNanos;
        this.externallyExpired = externallyExpired;
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
        return (expiresAtNanos != Long.MAX_VALUE && System.nanoTime() - expiresAtNanos >= 0)
                || externallyExpired.getAsBoolean();
    }

    /** Throws {@link DeadlineExceededException} if the budget is spent; {@code step} names where. */
    public void check(String step) {
        if (isExpired()) {
            throw new DeadlineExceededException("time budget exhausted before " + step);
        }
    }
}
