package org.hybridrerank.solr.model;

/**
 * How a bi-encoder is run. Defaults come from the model's config.json ({@code max_length}, {@code pooling},
 * {@code normalize}, {@code output}), then from the constants here. Inference threads are not a per-model
 * setting: every session runs on {@link OnnxRuntimeEnvironment}'s JVM-wide pool.
 */
public record EmbedderSettings(
    int maxLength, int batchSize, Pooling pooling, boolean normalize, String outputName) {
  public static final int DEFAULT_MAX_LENGTH = 256;
  /**
   * One text per inference call by default: in a dynamically quantized graph (like the default embedder) the
   * activation scale is computed over the whole batch, so a text's vector would depend on its batch-mates
   * (cosine 0.977–0.99 measured) and an indexed text would no longer match the same text as a query.
   */
  public static final int DEFAULT_BATCH_SIZE = 1;

  public EmbedderSettings {
    if (maxLength < 4) throw new IllegalArgumentException("maxLength must be >= 4, got " + maxLength);
    if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
  }

  public static EmbedderSettings defaultsFor(ModelDirectory dir) {
    String pooling = dir.configString("pooling", "mean");
    Pooling parsed;
    try {
      parsed = Pooling.parse(pooling);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(dir.path().resolve(ModelDirectory.CONFIG_FILE) + ": pooling must be mean or cls, got " + pooling);
    }
    return new EmbedderSettings(
        dir.configInt("max_length", DEFAULT_MAX_LENGTH),
        DEFAULT_BATCH_SIZE,
        parsed,
        !"false".equalsIgnoreCase(dir.configString("normalize", "true")),
        dir.configString("output", null));
  }

  public EmbedderSettings withBatchSize(int value) {
    return new EmbedderSettings(maxLength, value, pooling, normalize, outputName);
  }
}
