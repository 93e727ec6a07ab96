package org.hybridrerank.solr.model;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One loaded cross-encoder per (model directory, version, settings), shared by every core that configures it
 * and closed when the last of them lets go. Sessions hold the weights in native memory, so loading a model
 * once per core would multiply the footprint by the number of cores.
 */
public final class ModelRegistry {
  private static final ModelRegistry SHARED = new ModelRegistry();

  private record Key(String path, String version, CrossEncoderSettings settings) {}

  private static final class Entry {
    final CrossEncoder model;
    int users;

    Entry(CrossEncoder model) {
      this.model = model;
    }
  }

  private final Map<Key, Entry> entries = new HashMap<>();

  public static ModelRegistry shared() {
    return SHARED;
  }

  /** A handle on a shared model; closing the handle releases this user's claim. */
  public final class Lease implements AutoCloseable {
    private final Key key;
    private final CrossEncoder model;
    private boolean released;

    private Lease(Key key, CrossEncoder model) {
      this.key = key;
      this.model = model;
    }

    public CrossEncoder model() {
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

  public synchronized Lease acquire(ModelDirectory directory, CrossEncoderSettings settings) {
    Key key = new Key(directory.path().toString(), directory.version(), settings);
    Entry entry = entries.get(key);
    if (entry == null) {
      entry = new Entry(CrossEncoder.load(directory, settings));
      entries.put(key, entry);
    }
    entry.users++;
    return new Lease(key, entry.model);
  }

  private void release(Key key) {
    Entry entry = Objects.requireNonNull(entries.get(key), "released twice");
    if (--entry.users == 0) {
      entries.remove(key);
      entry.model.close();
    }
  }

  /** How many distinct models are loaded right now. */
  public synchronized int loadedModels() {
    return entries.size();
  }
}
