package org.hybridrerank.solr.rerank;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a failure at most once per kind and interval: a broken model fails every request, and a stack trace
 * per request would bury everything else in the log. The kind is the caller's (for instance model name and
 * exception class); the next line of a kind says how many were left out since the previous one.
 */
final class FailureLog {
    static final long DEFAULT_INTERVAL_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        long openedAt;
        int leftOut;

        Window(long openedAt) {
            this.openedAt = openedAt;
        }
    }

    FailureLog(Logger log) {
        this(log, DEFAULT_INTERVAL_NANOS, System::nanoTime);
    }

    FailureLog(Logger log, long intervalNanos, LongSupplier clock) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.clock = clock;
    }

    /** Logs {@code message} with {@code failure} as a warning, unless this kind was logged within the interval. */
    void warn(String kind, String message, Throwable failure) {
        int leftOut = admit(kind);
        if (leftOut < 0) return;
        if (leftOut == 0) {
            log.warn(message, failure);
        } else {
            log.warn("{} ({} more like it left out of the log since the last one)", message, leftOut, failure);
        }
    }

    /** -1 when this occurrence stays out of the log, else how many of its kind were left out before it. */
    int admit(String kind) {
        long now = clock.getAsLong();
        Window fresh = new Window(now);
        Window window = windows.putIfAbsent(kind, fresh);
        if (window == null) return 0;
        synchronized (window) {
            if (now - window.openedAt < intervalNanos) {
                window.leftOut++;
                return -1;
            }
            int leftOut = window.leftOut;
            window.openedAt = now;
            window.leftOut = 0;
            return leftOut;
        }
    }
}
