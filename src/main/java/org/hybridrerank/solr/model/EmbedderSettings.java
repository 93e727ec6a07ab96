package org.hybridrerank.solr.model;

/**
 * How a bi-encoder is run. Defaults come from the model's config.json ({@code max_length}, {@code pooling},
 * {@code normalize}, {@code output}, {@code query_prefix}, {@code passage_prefix}), then from the constants here.
 * Inference threads are not a per-model setting: every session runs on {@link OnnxRuntimeEnvironment}'s JVM-wide
 * pool.
 *
 * <p>The prefixes are the instructions an asymmetric model was trained with (bge: a retrieval instruction before
 * queries and none before passages; e5: {@code "query: "} and {@code "passage: "}). They belong to the model, not
 * to the deployment, which is why they are read from the model directory only.
 */
public record EmbedderSettings(
        int maxLength,
        int batchSize,
        Pooling pooling,
        boolean normalize,
        String outputName,
        String queryPrefix,
        String passagePrefix) {
    public static final int DEFAULT_MAX_LENGTH = 256;
    /** Beyond any BERT-sized position table; a value the graph cannot take fails when the model loads. */
    public static final int MAX_MAX_LENGTH = 8192;

    public static final int MIN_MAX_LENGTH = 4;
    /**
     * One text per inference call by default: in a dynamically quantized graph (like the default embedder) the
     * activation scale is computed over the whole batch, so a text's vector would depend on its batch-mates
     * (cosine 0.977–0.99 measured) and an indexed text would no longer match the same text as a query.
     */
    public static final int DEFAULT_BATCH_SIZE = 1;

    public EmbedderSettings {
        if (maxLength < MIN_MAX_LENGTH || maxLength > MAX_MAX_LENGTH) {
            throw new IllegalArgumentException(
                    "maxLength must be in [" + MIN_MAX_LENGTH + ", " + MAX_MAX_LENGTH + "], got " + maxLength);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        queryPrefix = queryPrefix == null ? "" : queryPrefix;
        passagePrefix = passagePrefix == null ? "" : passagePrefix;
    }

    public static EmbedderSettings defaultsFor(ModelDirectory dir) {
        String pooling = dir.configString("pooling", "mean");
        Pooling parsed;
        try {
            parsed = Pooling.parse(pooling);
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(
                    dir.path().resolve(ModelDirectory.CONFIG_FILE) + ": pooling must be mean or cls, got " + pooling);
        }
        int maxLength = dir.configInt("max_length", DEFAULT_MAX_LENGTH);
        if (maxLength < MIN_MAX_LENGTH || maxLength > MAX_MAX_LENGTH) {
            throw new ModelLoadException(dir.path().resolve(ModelDirectory.CONFIG_FILE) + ": max_length must be in ["
                    + MIN_MAX_LENGTH + ", " + MAX_MAX_LENGTH + "], got " + maxLength);
        }
        return new EmbedderSettings(
                maxLength,
                DEFAULT_BATCH_SIZE,
                parsed,
                !"false".equalsIgnoreCase(dir.configString("normalize", "true")),
                dir.configString("output", null),
                dir.configString("query_prefix", ""),
                dir.configString("passage_prefix", ""));
    }

    public EmbedderSettings withBatchSize(int value) {
        return new EmbedderSettings(maxLength, value, pooling, normalize, outputName, queryPrefix, passagePrefix);
    }

    /** A deployment's token budget instead of the model's own (see the README on what it trades). */
    public EmbedderSettings withMaxLength(int value) {
        return new EmbedderSettings(value, batchSize, pooling, normalize, outputName, queryPrefix, passagePrefix);
    }
}
