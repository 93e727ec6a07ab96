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
}
