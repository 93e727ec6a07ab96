package org.hybridrerank.solr.model;

import java.lang.invoke.MethodHandles;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A native resource (an ONNX Runtime session, a tokenizer) that is never freed while a call runs on it. Freeing
 * native memory under a running call crashes the JVM (SIGSEGV inside the library), and Solr closes cores while
 * requests may still run on them: on shutdown, on a reload whose new core fails, on a model swap. So every call
 * holds the handle for its duration, {@link #close()} waits for the running calls, and a call that arrives after
 * close gets a {@link ModelClosedException} — a Java exception that the search side turns into its fail-open answer
 * and the index side into a 503 naming the document.
 *
 * <p>The wait is bounded: past {@code hybrid.native.closeWaitMillis} (default 10 s) the resource is left
 * allocated and the log says so. A leak of one model is recoverable; a crash is not.
 */
final class NativeHandle<R> {
    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
    static final Duration CLOSE_WAIT = Duration.ofMillis(Long.getLong("hybrid.native.closeWaitMillis", 10_000));

    /** A call on the resource; may throw the library's checked exception. */
    @FunctionalInterface
    interface Call<R, T, E extends Exception> {
        T apply(R resource) throws E;
    }

    /** Frees the resource; runs once, with no call running. */
    @FunctionalInterface
    interface Release<R, E extends Exception> {
        void release(R resource) throws E;
    }

    /**
     * Every native call of the JVM, across all handles: a JVM shutdown hook refuses new calls and waits for the
     * running ones, because the JVM's final exit runs the native libraries' static destructors (ONNX Runtime's
     * environment and thread pools among them) under any call still running, and a stopping Solr serves requests
     * until its own hook has closed the cores: SIGTERM under load crashed there. Shutdown hooks all run before
     * that final exit, so waiting in one keeps it from coming while a call runs.
     */
    private static final ReentrantReadWriteLock JVM_CALLS = new ReentrantReadWriteLock();

    private static volatile boolean jvmStopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(NativeHandle::drainAtJvmExit, "native-calls-drain"));
    }

    private static void drainAtJvmExit() {
        jvmStopping = true;
        try {
            if (!JVM_CALLS.writeLock().tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn(
                        "JVM exit: {} native model call(s) still running after {} ms",
                        JVM_CALLS.getReadLockCount(),
                        CLOSE_WAIT.toMillis());
            }
            // the write lock stays held: no call starts before the process ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final R resource;
    private final String description;
    private final Release<R, ?> release;
    // Calls share the read lock; close takes the write lock, so it waits until no call holds the resource.
    private final ReentrantReadWriteLock running = new ReentrantReadWriteLock();
    private volatile boolean closing;
    private volatile boolean released;

    NativeHandle(R resource, String description, Release<R, ?> release) {
        this.resource = resource;
        this.description = description;
        this.release = release;
    }

    /** Runs {@code call} on the resource, which stays allocated until the call returns. */
    <T, E extends Exception> T use(Call<R, T, E> call) throws E {
        if (closing || jvmStopping) throw closed();
        ReentrantReadWriteLock.ReadLock jvm = JVM_CALLS.readLock();
        if (!jvm.tryLock()) throw closed(); // only the exit drain ever holds the write lock
        try {
            ReentrantReadWriteLock.ReadLock lock = running.readLock();
            lock.lock();
            try {
                // close may have begun between the check above and the lock: it is waiting for this lock, so this
                // call must not start on a resource about to be freed
                if (closing || jvmStopping) throw closed();
                return call.apply(resource);
            } finally {
                lock.unlock();
            }
        } finally {
            jvm.unlock();
        }
    }

    /**
     * Refuses new calls, waits up to {@link #CLOSE_WAIT} for the running ones, then frees the resource. Returns
     * whether it was freed: false when calls were still running at the bound (the resource is then left allocated,
     * and logged) or when this thread was interrupted while waiting.
     */
    synchronized boolean close() {
        // synchronized: two closes must not both free the resource; a second waits for the first's answer
        if (closing) return released;
        closing = true;
        ReentrantReadWriteLock.WriteLock lock = running.writeLock();
        boolean acquired;
        try {
            acquired = lock.tryLock(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn(
                    "{}: interrupted while waiting for running calls; leaving it allocated rather than freeing it "
                            + "under a call",
                    description);
            return false;
        }
        if (!acquired) {
            log.warn(
                    "{}: {} call(s) still running after {} ms; leaving it allocated (a leak) rather than freeing it "
                            + "under a running call",
                    description,
                    running.getReadLockCount(),
                    CLOSE_WAIT.toMillis());
            return false;
        }
        try {
            release.release(resource);
            released = true;
            return true;
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + description + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private ModelClosedException closed() {
        return new ModelClosedException(description + " is closed ("
                + (jvmStopping ? "the JVM is stopping" : "its core is closing or was reloaded") + ")");
    }
}
