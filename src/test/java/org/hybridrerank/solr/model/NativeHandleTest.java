package org.hybridrerank.solr.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.Test;

/**
 * A native model is never freed under a running call. The first tests pin the handle's rules on a plain
 * resource whose release is observable; the last closes real embedders (ONNX Runtime session and Hugging Face
 * tokenizer) while threads run inference on them: freed under a call, the JVM would crash and the forked test
 * JVM with it, failing the build.
 */
public class NativeHandleTest {

    /** Stands for the native resource: remembers whether it was released while a call was on it. */
    private static final class Resource {
        final AtomicInteger callsOnIt = new AtomicInteger();
        final AtomicBoolean released = new AtomicBoolean();
        volatile boolean releasedUnderACall;

        void release() {
            if (callsOnIt.get() > 0) releasedUnderACall = true;
            released.set(true);
        }
    }

    @Test
    public void closeWaitsForTheRunningCallThenFrees() throws Exception {
        Resource resource = new Resource();
        NativeHandle<Resource> handle = new NativeHandle<>(resource, "test resource", Resource::release);
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<Integer> call = pool.submit(() -> handle.use(r -> {
                r.callsOnIt.incrementAndGet();
                inCall.countDown();
                finish.await();
                r.callsOnIt.decrementAndGet();
                return 42;
            }));
            assertTrue(inCall.await(10, TimeUnit.SECONDS));
            Future<Boolean> close = pool.submit(handle::close);
            Thread.sleep(200); // close must still be waiting: the call holds the resource
            assertFalse("freed while a call ran on it", resource.released.get());
            assertFalse(close.isDone());
            finish.countDown();
            assertEquals(42, (int) call.get(10, TimeUnit.SECONDS));
            assertTrue("freed once the call returned", close.get(10, TimeUnit.SECONDS));
            assertTrue(resource.released.get());
            assertFalse(resource.releasedUnderACall);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    public void aCallAfterCloseIsAJavaException() {
        Resource resource = new Resource();
        NativeHandle<Resource> handle = new NativeHandle<>(resource, "test resource", Resource::release);
        assertTrue(handle.close());
        ModelClosedException e = assertThrows(ModelClosedException.class, () -> handle.use(r -> 1));
        assertTrue(e.getMessage(), e.getMessage().contains("test resource is closed"));
        assertTrue("a second close is harmless", handle.close());
    }

    @Test
    public void closeLeaksRatherThanFreesUnderACallThatOutlivesTheBound() throws Exception {
        Resource resource = new Resource();
        NativeHandle<Resource> handle = new NativeHandle<>(resource, "test resource", Resource::release);
        CountDownLatch inCall = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        Thread caller = new Thread(() -> {
            try {
                handle.use(r -> {
                    inCall.countDown();
                    finish.await();
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        caller.start();
        try {
            assertTrue(inCall.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            assertFalse("not freed: a call still runs", handle.close());
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(
                    "waited the bound, " + waitedMillis + " ms",
                    waitedMillis >= NativeHandle.CLOSE_WAIT.toMillis() - 50);
            assertFalse(resource.released.get());
            assertThrows(ModelClosedException.class, () -> handle.use(r -> 1));
        } finally {
            finish.countDown();
            caller.join(10_000);
        }
    }

    /**
     * Real embedders closed under running inference, many times over: every call either returns a vector or throws
     * {@link ModelClosedException}; nothing else, and no crash.
     */
    @Test
    public void embeddersClosedUnderRunningInferenceNeverCrash() throws Exception {
        ModelDirectory dir = ModelDirectory.open(SharedData.lightEmbedderDir());
        EmbedderSettings settings = EmbedderSettings.defaultsFor(dir);
        String text = "vitamin d deficiency and the risk of depression in older adults ".repeat(8);
        int rounds = 12;
        int threads = 3;
        AtomicInteger vectors = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < rounds; round++) {
                TextEmbedder embedder = TextEmbedder.load(dir, settings);
                CountDownLatch started = new CountDownLatch(threads);
                List<Future<?>> calls = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    calls.add(pool.submit(() -> {
                        started.countDown();
                        while (true) {
                            try {
                                assertEquals(384, embedder.embedPassage(text).length);
                                vectors.incrementAndGet();
                            } catch (ModelClosedException e) {
                                refused.incrementAndGet();
                                return null;
                            }
                        }
                    }));
                }
                assertTrue(started.await(30, TimeUnit.SECONDS));
                Thread.sleep(20 + 10L * round); // close at a different point of the running calls each round
                embedder.close();
                for (Future<?> call : calls) call.get(60, TimeUnit.SECONDS); // any other exception fails here
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals("every thread of every round ended on the closed model", rounds * threads, refused.get());
        assertTrue("inference ran before the closes: " + vectors.get(), vectors.get() >= rounds);
    }
}
