package org.hybridrerank.solr.model;

/**
 * How a cross-encoder is run. Defaults come from the model's config.json, then from the constants here.
 * Inference threads are not a per-model setting: every session runs on {@link OnnxRuntimeEnvironment}'s
 * JVM-wide pool.
 *
 * @param maxLength tokens per (query, passage) sequence, special tokens included
 * @param maxQueryLength tokens kept of the query before pairing; the passage is what gets truncated
 * @param batchSize sequences per inference call; on CPU small batches are as fast and bound latency
 * @param windowOverlap tokens shared by neighbouring windows in {@link LongDocs#WINDOW} mode
 * @param outputName graph output holding the scores; null picks the graph's only (or first) output
 * @param relevantColumn column of a {@code [batch, 2]} output that means "relevant"
 */
public record CrossEncoderSettings(
        int maxLength, int maxQueryLength, int batchSize, int windowOverlap, String outputName, int relevantColumn) {

    public static final int DEFAULT_MAX_LENGTH = 512;
    public static final int DEFAULT_MAX_QUERY_LENGTH = 64;
    public static final int DEFAULT_BATCH_SIZE = 8;
    public static final int DEFAULT_WINDOW_OVERLAP = 32;
    /** Smallest passage room a window may have, so that overlap never exceeds the window. */
    private static final int SPECIAL_TOKEN_ROOM = 4;

    public CrossEncoderSettings {
        if (maxLength < 8) throw new IllegalArgumentException("maxLength must be >= 8, got " + maxLength);
        if (maxQueryLength < 1 || maxQueryLength > maxLength - SPECIAL_TOKEN_ROOM - 1) {
            throw new IllegalArgumentException("maxQueryLength must be in [1, maxLength-" + (SPECIAL_TOKEN_ROOM + 1)
                    + "] = [1, " + (maxLength - SPECIAL_TOKEN_ROOM - 1) + "], got " + maxQueryLength);
        }
        if (batchSize < 1) throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        int passageRoom = maxLength - maxQueryLength - SPECIAL_TOKEN_ROOM;
        if (windowOverlap < 0 || windowOverlap >= passageRoom) {
            throw new IllegalArgumentException("windowOverlap must be in [0, " + (passageRoom - 1)
                    + "] (maxLength - maxQueryLength - 4 - 1), got " + windowOverlap);
        }
        if (relevantColumn < 0) {
            throw new IllegalArgumentException("relevantColumn must be >= 0, got " + relevantColumn);
        }
    }

    /** Defaults for a model directory: max_length, output and relevant_column from its config.json. */
    public static Builder defaultsFor(ModelDirectory dir) {
        Builder b = new Builder();
        b.maxLength = dir.configInt("max_length", DEFAULT_MAX_LENGTH);
        b.outputName = dir.configString("output", dir.configString("output_name", null));
        b.relevantColumn = dir.configInt("relevant_column", 1);
        return b;
    }

    /** Mutable gatherer of settings; {@link #build()} validates them. */
    public static final class Builder {
        private int maxLength = DEFAULT_MAX_LENGTH;
        private int maxQueryLength = DEFAULT_MAX_QUERY_LENGTH;
        private int batchSize = DEFAULT_BATCH_SIZE;
        /** -1: {@link #DEFAULT_WINDOW_OVERLAP}, or a quarter of the passage room if that is smaller. */
        private int windowOverlap = -1;

        private String outputName;
        private int relevantColumn = 1;

        public Builder maxLength(int v) {
            maxLength = v;
            return this;
        }

        public Builder maxQueryLength(int v) {
            maxQueryLength = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder windowOverlap(int v) {
            windowOverlap = v;
            return this;
        }

        public Builder outputName(String v) {
            outputName = v;
            return this;
        }

        public Builder relevantColumn(int v) {
            relevantColumn = v;
            return this;
        }

        public CrossEncoderSettings build() {
            int overlap = windowOverlap >= 0
                    ? windowOverlap
                    : Math.max(
                            0, Math.min(DEFAULT_WINDOW_OVERLAP, (maxLength - maxQueryLength - SPECIAL_TOKEN_ROOM) / 4));
            return new CrossEncoderSettings(maxLength, maxQueryLength, batchSize, overlap, outputName, relevantColumn);
        }
    }
}
