package org.hybridrerank.solr.model;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.hybridrerank.solr.testutil.OnnxGraphs;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** Sharing, loading and closing of models, on real ONNX graphs. */
public class ModelRegistryTest {
    private final ModelRegistry registry = new ModelRegistry();
    private ExecutorService threads;
    private ModelDirectory oracle;

    @Before
    public void setUp() {
        threads = Executors.newCachedThreadPool();
        oracle = ModelDirectory.open(OverlapOracle.dir());
    }

    @After
    public void tearDown() throws Exception {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
    }

    private CrossEncoderSettings settings(int batchSize) {
        return CrossEncoderSettings.defaultsFor(oracle).batchSize(batchSize).build();
    }

    /** Loads the oracle once {@code gate} opens, counting loads. */
    private static Function<ModelDirectory, CrossEncoder> gatedLoader(
            CrossEncoderSettings settings, CountDownLatch gate, AtomicInteger loads) {
        return dir -> {
            loads.incrementAndGet();
            try {
                assertTrue("gate never opened", gate.await(60, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return CrossEncoder.load(dir, settings);
        };
    }

    @Test
    public void aSlowLoadDoesNotBlockOtherModels() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        CrossEncoderSettings slow = settings(1);
        Future<ModelRegistry.Lease<CrossEncoder>> slowLease =
                threads.submit(() -> registry.acquire(oracle, slow, gatedLoader(slow, gate, loads)));
        while (loads.get() == 0) Thread.onSpinWait(); // the slow load is in progress
        CrossEncoderSettings other = settings(2);
        // with a registry-wide lock held during loads, this would wait for the gate, which only opens below
        Future<ModelRegistry.Lease<CrossEncoder>> otherLease =
                threads.submit(() -> registry.acquire(oracle, other, d -> CrossEncoder.load(d, other)));
        try (ModelRegistry.Lease<CrossEncoder> lease = otherLease.get(60, TimeUnit.SECONDS)) {
            assertEquals(2, lease.model().settings().batchSize());
            assertTrue("the slow load is still waiting", !slowLease.isDone());
        } finally {
            gate.countDown();
        }
        slowLease.get(60, TimeUnit.SECONDS).close();
        assertEquals(0, registry.loadedModels());
    }

    @Test
    public void concurrentAcquirersOfOneModelWaitForASingleLoad() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        AtomicInteger loads = new AtomicInteger();
        CrossEncoderSettings s = settings(3);
        Future<ModelRegistry.Lease<CrossEncoder>> first =
                threads.submit(() -> registry.acquire(oracle, s, gatedLoader(s, gate, loads)));
        while (loads.get() == 0) Thread.onSpinWait();
        Thread[] waiter = new Thread[1];
        Future<ModelRegistry.Lease<CrossEncoder>> second = threads.submit(() -> {
            waiter[0] = Thread.currentThread();
            return registry.acquire(oracle, s, gatedLoader(s, gate, loads));
        });
        // the second acquirer parks on the first one's load rather than starting its own
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while ((waiter[0] == null || waiter[0].getState() != Thread.State.WAITING) && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, waiter[0].getState());
        gate.countDown();
        try (ModelRegistry.Lease<CrossEncoder> a = first.get(60, TimeUnit.SECONDS);
                ModelRegistry.Lease<CrossEncoder> b = second.get(60, TimeUnit.SECONDS)) {
            assertSame(a.model(), b.model());
            assertEquals(1, loads.get());
            assertEquals(1, registry.loadedModels());
        }
        assertEquals(0, registry.loadedModels());
    }

    @Test
    public void aFailedLoadIsForgottenAndTheNextAcquireLoadsAgain() throws Exception {
        Path broken = OnnxGraphs.withoutAttentionMask(Files.createTempDirectory("no-mask"));
        CrossEncoderSettings s = settings(5);
        try {
            registry.acquire(oracle, s, d -> CrossEncoder.load(ModelDirectory.open(broken), s));
            fail("a graph without attention_mask must not load");
        } catch (ModelLoadException expected) {
            assertTrue(expected.getMessage(), expected.getMessage().contains("attention_mask"));
        }
        assertEquals(0, registry.loadedModels());
        try (ModelRegistry.Lease<CrossEncoder> lease = registry.acquire(oracle, s, d -> CrossEncoder.load(d, s))) {
            assertEquals(
                    1.0f,
                    lease.model()
                            .score("cats", List.of("cats"), ScoringOptions.DEFAULT, Deadline.none())
                            .scores()[0],
                    1e-6f);
        }
    }

    @Test
    public void aFailingCloseStillClosesEverythingElseAndReportsEveryFailure() {
        int before = OnnxModel.openSessions();
        CrossEncoder a = CrossEncoder.load(oracle, settings(1));
        CrossEncoder b = CrossEncoder.load(oracle, settings(1));
        assertEquals(before + 2, OnnxModel.openSessions());
        AutoCloseable failsFirst = () -> {
            throw new IOException("first broken resource");
        };
        AutoCloseable failsSecond = () -> {
            throw new IOException("second broken resource");
        };
        try {
            Closeables.closeAll("test models", List.of(failsFirst, a, failsSecond, b));
            fail("the failures must be reported");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("first broken resource"));
            assertEquals(1, e.getSuppressed().length);
            assertTrue(e.getSuppressed()[0].getMessage().contains("second broken resource"));
        }
        assertEquals("both sessions closed despite the failures", before, OnnxModel.openSessions());
    }

    @Test
    public void theLastReleaseOfAModelWhoseCloseFailsStillForgetsIt() {
        CrossEncoderSettings s = settings(6);
        AtomicInteger loads = new AtomicInteger();
        int before = OnnxModel.openSessions();
        // a model whose close closes its session and then fails, like a tokenizer that cannot be freed
        Function<ModelDirectory, AutoCloseable> loader = d -> {
            loads.incrementAndGet();
            CrossEncoder model = CrossEncoder.load(d, s);
            return () -> {
                model.close();
                throw new IOException("cannot free");
            };
        };
        ModelRegistry.Lease<AutoCloseable> lease = registry.acquire(oracle, s, loader);
        try {
            lease.close();
            fail("the close failure must surface");
        } catch (IllegalStateException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("cannot free"));
        }
        assertEquals(0, registry.loadedModels());
        assertEquals(before, OnnxModel.openSessions());
        ModelRegistry.Lease<AutoCloseable> again = registry.acquire(oracle, s, loader);
        assertEquals("loaded afresh rather than handing out the closed model", 2, loads.get());
        try {
            again.close();
        } catch (IllegalStateException expected) {
            // same model, same failing close
        }
    }
}
