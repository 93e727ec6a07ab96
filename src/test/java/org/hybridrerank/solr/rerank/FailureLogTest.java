package org.hybridrerank.solr.rerank;

import static org.junit.Assert.assertEquals;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.Test;
import org.slf4j.LoggerFactory;

/** A failing model is logged once per kind and minute, with the count of what was left out. */
public class FailureLogTest {
    @Test
    public void logsEachKindOncePerIntervalAndCountsTheRest() {
        AtomicLong now = new AtomicLong(0);
        long minute = TimeUnit.MINUTES.toNanos(1);
        FailureLog log = new FailureLog(LoggerFactory.getLogger(FailureLogTest.class), minute, now::get);
        assertEquals(0, log.admit("m/IllegalStateException"));
        for (int i = 0; i < 5; i++) assertEquals(-1, log.admit("m/IllegalStateException"));
        // another kind has its own window
        assertEquals(0, log.admit("m/OrtException"));
        now.addAndGet(minute - 1);
        assertEquals(-1, log.admit("m/IllegalStateException"));
        now.addAndGet(1);
        assertEquals("six left out since the first line", 6, log.admit("m/IllegalStateException"));
        assertEquals(-1, log.admit("m/IllegalStateException"));
    }
}
