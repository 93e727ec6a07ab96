package org.hybridrerank.solr.model;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Runs the independent inference calls of one request (one token batch each) side by side, each call on one
 * core. Measured on a 2-core machine (docs/measured.md): a batch-1 call of a small cross-encoder runs faster on one
 * ONNX Runtime thread than on two (at one pair of 128 tokens an operator is too small to split), and two such calls
 * at once score the window about twice as fast as one call at a time on two threads. So ONNX Runtime's pool has one
 * thread ({@link OnnxRuntimeEnvironment}) and the parallelism is here, across calls.
 *
 * <p>The calling thread takes part: it and up to {@code threads − 1} helpers of a JVM-wide pool pull the next call
 * from a shared counter. A request therefore always progresses on its own thread, however busy the helpers are
 * with other requests, and the helpers bound what the plugin adds to the request threads Solr already runs.
 * {@code threads} is {@value OnnxRuntimeEnvironment#THREADS_PROPERTY}, by default the number of cores.
 */
public final class InferenceWorkers {
    private static volatile InferenceWorkers instance;

    private final int threads;
    private final ExecutorService helpers;

    InferenceWorkers(int threads) {
        this.threads = threads;
        if (threads <= 1) {
            this.helpers = null;
        } else {
            AtomicInteger named = new AtomicInteger();
            ThreadGroup root = rootGroup();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(
                    threads - 1, threads - 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                        // JVM-wide helpers: not in the group of whichever request thread happened to start them
                        Thread t = new Thread(root, r, "hybrid-inference-" + named.incrementAndGet());
                        t.setDaemon(true); // never keeps a stopping JVM alive
                        t.setContextClassLoader(InferenceWorkers.class.getClassLoader());
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true); // an idle node holds no helper threads
            this.helpers = pool;
        }
    }

    private static ThreadGroup rootGroup() {
        ThreadGroup group = Thread.currentThread().getThreadGroup();
        while (group.getParent() != null) group = group.getParent();
        return group;
    }

    /** The workers of this JVM, sized by {@value OnnxRuntimeEnvironment#THREADS_PROPERTY} on first use. */
    public static InferenceWorkers get() {
        InferenceWorkers current = instance;
        if (current != null) return current;
        synchronized (InferenceWorkers.class) {
            if (instance == null) instance = new InferenceWorkers(OnnxRuntimeEnvironment.configuredThreads());
            return instance;
        }
    }

    /** How many calls of one request run at once, at most. */
    public int threads() {
        return threads;
    }

    /**
     * {@code call.apply(i)} for every i in [0, n), results in that order. Calls run at once on up to
     * {@link #threads()} threads, this one included. The first call that throws stops the calls not yet started,
     * and its exception is rethrown here once no call of this request is running any more.
     */
    public <R> R[] runAll(int n, IntFunction<R> call, IntFunction<R[]> array) {
        R[] results = array.apply(n);
        if (n == 0) return results;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Runnable worker = () -> {
            for (int i; (i = next.getAndIncrement()) < n; done.countDown()) {
                if (failure.get() != null) continue; // a call failed: the rest are skipped, not run
                try {
                    results[i] = call.apply(i);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int helping = helpers == null ? 0 : Math.min(threads, n) - 1;
        for (int h = 0; h < helping; h++) helpers.execute(worker);
        worker.run();
        // the calls this thread did not run were taken by helpers; wait for those still running
        boolean interrupted = false;
        while (true) {
            try {
                done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the helpers hold this request's buffers: wait for them, then say so
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        Throwable failed = failure.get();
        if (failed instanceof RuntimeException e) throw e;
        if (failed instanceof Error e) throw e;
        return results;
    }
}
