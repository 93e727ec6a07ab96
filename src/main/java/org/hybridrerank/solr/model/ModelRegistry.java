package org.hybridrerank.solr.model;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * One loaded model per (directory, version, settings), shared by every core and component that configures it
 * and closed when the last of them lets go. Sessions hold the weights in native memory, so loading a model
 * once per core would multiply the footprint by the number of cores.
 *
 * <p>Loading runs outside the registry's lock: a slow load blocks only those who wait for the same model.
 * Concurrent acquirers of one key wait for a single load; a failed load is forgotten, so the next acquire
 * tries again.
 */
public final class ModelRegistry {
    private static final ModelRegistry SHARED = new ModelRegistry();

    /** Settings are records, so two components asking for the same model with the same settings share it. */
    private record Key(String path, String version, Object settings) {}

    private static final class Entry {
        final CompletableFuture<AutoCloseable> model = new CompletableFuture<>();
        /** Guarded by the registry: leases handed out plus acquirers still waiting for the load. */
        int users;
    }

    private final Map<Key, Entry> entries = new HashMap<>();

    public static ModelRegistry shared() {
        return SHARED;
    }

    /** A handle on a shared model; closing the handle releases this user's claim. */
    public final class Lease<T extends AutoCloseable> implements AutoCloseable {
        private final Key key;
        private final Entry entry;
        private final T model;
        private boolean released;

        private Lease(Key key, Entry entry, T model) {
            this.key = key;
            this.entry = entry;
            this.model = model;
        }

        public T model() {
            return model;
        }

        /** @throws IllegalStateException if this was the last user and closing the model failed */
        @Override
        public void close() {
            synchronized (this) {
                if (released) return;
                released = true;
            }
            AutoCloseable last = release(key, entry);
            if (last != null) Closeables.closeAll("model " + key.path(), List.of(last));
        }
    }

    /**
     * The shared instance for this directory and settings, loaded with {@code loader} if nobody holds it.
     *
     * @param settings a value object (record) that, with the directory, identifies the loaded model
     */
    @SuppressWarnings("unchecked")
    public <T extends AutoCloseable> Lease<T> acquire(
            ModelDirectory directory, Object settings, Function<ModelDirectory, T> loader) {
        Key key = new Key(directory.path().toString(), directory.version(), settings);
        Entry entry;
        boolean loadHere;
        synchronized (this) {
            entry = entries.get(key);
            loadHere = entry == null;
            if (loadHere) {
                entry = new Entry();
                entries.put(key, entry);
            }
            entry.users++;
        }
        if (loadHere) {
            try {
                entry.model.complete(loader.apply(directory));
            } catch (RuntimeException | Error e) {
                forget(key, entry);
                entry.model.completeExceptionally(e);
                throw e;
            }
        }
        try {
            return new Lease<>(key, entry, (T) entry.model.get());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeIfLast(release(key, entry));
            throw new ModelLoadException("interrupted while waiting for " + directory + " to load", e);
        } catch (ExecutionException | CancellationException e) {
            // the loading thread failed and already forgot the entry: its error is ours too
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            if (cause instanceof RuntimeException r) throw r;
            if (cause instanceof Error err) throw err;
            throw new ModelLoadException("cannot load " + directory + ": " + cause, cause);
        }
    }

    private synchronized void forget(Key key, Entry entry) {
        entries.remove(key, entry);
    }

    /** Drops one claim; returns the model when that was the last claim on a loaded model, for closing. */
    private AutoCloseable release(Key key, Entry entry) {
        synchronized (this) {
            if (--entry.users > 0) return null;
            entries.remove(key, entry);
        }
        return entry.model.isDone() && !entry.model.isCompletedExceptionally() ? entry.model.join() : null;
    }

    private static void closeIfLast(AutoCloseable model) {
        if (model != null) Closeables.closeAll("model", List.of(model));
    }

    /** ONNX Runtime sessions open in this JVM (every model, shared or not): the figure a leak would grow. */
    public static int openOnnxSessions() {
        return OnnxModel.openSessions();
    }

    /** How many distinct models are loaded (or loading) right now. */
    public synchronized int loadedModels() {
        return entries.size();
    }
}
