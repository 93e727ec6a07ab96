package org.hybridrerank.solr.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.Test;

/**
 * A request's inference calls run side by side, results stay in call order, a failure stops the calls not yet
 * started, and the calling thread finishes its request alone when every helper is busy elsewhere.
 */
public class InferenceWorkersTest {
    private static final long WAIT_SECONDS = 30;

    @Test
    public void resultsComeBackInCallOrder() {
        InferenceWorkers workers = new InferenceWorkers(3);
        Integer[] squares = workers.runAll(50, i -> i * i, Integer[]::new);
        for (int i = 0; i < 50; i++) assertEquals(Integer.valueOf(i * i), squares[i]);
        assertEquals(0, workers.runAll(0, i -> i, Integer[]::new).length);
    }

    @Test
    public void callsRunSideBySide() {
        // both calls wait for each other: with one call at a time the barrier would never open
        InferenceWorkers workers = new InferenceWorkers(2);
        CyclicBarrier bothRunning = new CyclicBarrier(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        Boolean[] met = workers.runAll(
                2,
                i -> {
                    threads.add(Thread.currentThread().getName());
                    try {
                        bothRunning.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                },
                Boolean[]::new);
        assertArrayEquals(new Boolean[] {true, true}, met);
        assertEquals("the caller and one helper", 2, threads.size());
        assertTrue(threads.contains(Thread.currentThread().getName()));
    }

    @Test
    public void oneThreadRunsEveryCallOnTheCaller() {
        InferenceWorkers workers = new InferenceWorkers(1);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        workers.runAll(
                20,
                i -> {
                    threads.add(Thread.currentThread().getName());
                    return i;
                },
                Integer[]::new);
        assertEquals(Set.of(Thread.currentThread().getName()), threads);
    }

    @Test
    public void aFailureStopsTheCallsNotStartedAndIsRethrownOnceNoneRuns() {
        InferenceWorkers workers = new InferenceWorkers(2);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        InferenceException boom = new InferenceException("call 3 failed", null);
        try {
            workers.runAll(
                    1000,
                    i -> {
                        started.incrementAndGet();
                        running.incrementAndGet();
                        try {
                            if (i == 3) throw boom;
                            sleep(2);
                            return i;
                        } finally {
                            running.decrementAndGet();
                        }
                    },
                    Integer[]::new);
            fail("the failure must reach the caller");
        } catch (InferenceException e) {
            assertSame("the call's own exception", boom, e);
        }
        assertEquals("no call of the request still runs", 0, running.get());
        assertTrue("the calls after the failure were skipped: " + started.get(), started.get() < 20);
    }

    @Test
    public void theCallerFinishesAloneWhenEveryHelperIsBusy() throws Exception {
        InferenceWorkers workers = new InferenceWorkers(2);
        CountDownLatch helperBusy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blockedRequestDone = new AtomicBoolean();
        // another request whose call on the helper blocks until released
        Thread other = new Thread(() -> {
            workers.runAll(
                    2,
                    i -> {
                        if (!Thread.currentThread().getName().startsWith("hybrid-inference")) {
                            // the caller holds its call until the helper has taken the other one
                            try {
                                helperBusy.await(WAIT_SECONDS, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return i;
                        }
                        helperBusy.countDown();
                        try {
                            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return i;
                    },
                    Integer[]::new);
            blockedRequestDone.set(true);
        });
        other.start();
        try {
            assertTrue("the helper took a call", helperBusy.await(WAIT_SECONDS, TimeUnit.SECONDS));
            Set<String> threads = ConcurrentHashMap.newKeySet();
            Integer[] out = workers.runAll(
                    10,
                    i -> {
                        threads.add(Thread.currentThread().getName());
                        return i + 1;
                    },
                    Integer[]::new);
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), List.of(out));
            assertEquals("all on the caller", Set.of(Thread.currentThread().getName()), threads);
            assertFalse(blockedRequestDone.get());
        } finally {
            release.countDown();
            other.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        }
        assertTrue(blockedRequestDone.get());
    }

    @Test
    public void anOutsideSignalIsReadOnTheDeadlinesOwnThreadAndSeenByTheOthers() throws Exception {
        AtomicInteger readsElsewhere = new AtomicInteger();
        Thread owner = Thread.currentThread();
        AtomicBoolean outside = new AtomicBoolean();
        Deadline deadline = Deadline.of(0, () -> {
            if (Thread.currentThread() != owner) readsElsewhere.incrementAndGet();
            return outside.get();
        });
        outside.set(true);
        boolean[] seenElsewhere = new boolean[1];
        Thread helper = new Thread(() -> seenElsewhere[0] = deadline.isExpired());
        helper.start();
        helper.join();
        assertFalse("another thread does not read the signal itself", seenElsewhere[0]);
        assertTrue("the owner reads it", deadline.isExpired());
        helper = new Thread(() -> seenElsewhere[0] = deadline.isExpired());
        helper.start();
        helper.join();
        assertTrue("once the owner saw it, every thread does", seenElsewhere[0]);
        assertEquals(0, readsElsewhere.get());
    }

    @Test
    public void aWindowScoredSideBySideScoresAsOneCallAtATime() {
        // the oracle's scores are exact: any mix-up of batches and rows between threads changes them
        ModelDirectory dir = ModelDirectory.open(OverlapOracle.dir());
        List<String> passages = List.of(
                "cats and dogs",
                "birds",
                "a longer passage about cats and birds and dogs",
                "dogs",
                "cats cats",
                "a cat");
        try (CrossEncoder model = CrossEncoder.load(
                dir, CrossEncoderSettings.defaultsFor(dir).batchSize(1).build())) {
            float[] together = model.score("cats dogs", passages, ScoringOptions.DEFAULT, Deadline.none())
                    .scores();
            for (int i = 0; i < passages.size(); i++) {
                float alone = model.score(
                                "cats dogs", List.of(passages.get(i)), ScoringOptions.DEFAULT, Deadline.none())
                        .scores()[0];
                assertEquals(passages.get(i), alone, together[i], 0f);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
