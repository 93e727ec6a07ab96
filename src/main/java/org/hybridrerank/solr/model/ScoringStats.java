package org.hybridrerank.solr.model;

/**
 * What one scoring call cost: time spent tokenizing and in inference, pairs and windows scored, and real
 * versus padded tokens (the padding overhead of batching).
 */
public record ScoringStats(
        long tokenizeNanos,
        long inferenceNanos,
        int passages,
        int sequences,
        int batches,
        long realTokens,
        long paddedTokens) {

    /** Nothing scored (every score came from a cache). */
    public static final ScoringStats NONE = new ScoringStats(0, 0, 0, 0, 0, 0, 0);

    /** What two calls cost together (a rerank scored in chunks). */
    public ScoringStats plus(ScoringStats other) {
        return new ScoringStats(
                tokenizeNanos + other.tokenizeNanos,
                inferenceNanos + other.inferenceNanos,
                passages + other.passages,
                sequences + other.sequences,
                batches + other.batches,
                realTokens + other.realTokens,
                paddedTokens + other.paddedTokens);
    }
}
