package org.hybridrerank.solr.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * One loaded model per (directory, version, settings), shared by every core and component that configures it
 * and closed when the last of them lets go. Sessions hold the weights in native memory, so loading a model
 * once per core would multiply the footprint by the number of cores.
 */
public final class ModelRegistry {
  private static final ModelRegistry SHARED = new ModelRegistry();

  /** Settings are records, so two components asking for the same model with the same settings share it. */
  private record Key(String path, String version, Object settings) {}

  private static final class Entry {
    final AutoCloseable model;
    int users;

    Entry(AutoCloseable model) {
      this.model = model;
    }
  }

  private final Map<Key, Entry> entries = new HashMap<>();

  public static ModelRegistry shared() {
    return SHARED;
  }

  /** A handle on a shared model; closing the handle releases this user's claim. */
  public final class Lease<T extends AutoCloseable> implements AutoCloseable {
    private final Key key;
    private final T model;
    private boolean released;

    private Lease(Key key, T model) {
      this.key = key;
      this.model = model;
    }

    public T model() {
      return model;
    }

    @Override
    public void close() {
      synchronized (ModelRegistry.this) {
        if (released) return;
        released = true;
        release(key);
      }
    }
  }

  /**
   * The shared instance for this directory and settings, loaded with {@code loader} if nobody holds it.
   *
   * @param settings a value object (record) that, with the directory, identifies the loaded model
   */
  @SuppressWarnings("unchecked")
  public synchronized <T extends AutoCloseable> Lease<T> acquire(
      ModelDirectory directory, Object settings, Function<ModelDirectory, T> loader) {
    Key key = new Key(directory.path().toString(), directory.version(), settings);
    Entry entry = entries.get(key);
    if (entry == null) {
      entry = new Entry(loader.apply(directory));
      entries.put(key, entry);
    }
    entry.users++;
    return new Lease<>(key, (T) entry.model);
  }

  private void release(Key key) {
    Entry entry = Objects.requireNonNull(entries.get(key), "released twice");
    if (--entry.users == 0) {
      entries.remove(key);
      try {
        entry.model.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close model " + key.path(), e);
      }
    }
  }

  /** ONNX Runtime sessions open in this JVM (every model, shared or not): the figure a leak would grow. */
  public static int openOnnxSessions() {
    return OnnxModel.openSessions();
  }

  /** How many distinct models are loaded right now. */
  public synchronized int loadedModels() {
    return entries.size();
  }
}
