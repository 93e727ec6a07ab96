package org.hybridrerank.solr.model;

/**
 * Sequences padded to the longest among them, as row-major {@code [rows, seqLength]} arrays ready for the
 * graph. {@code sequenceIndexes[r]} says which input sequence row {@code r} holds.
 */
public record TokenBatch(
        int[] sequenceIndexes, int seqLength, long[] inputIds, long[] attentionMask, long[] typeIds, long realTokens) {

    public int rows() {
        return sequenceIndexes.length;
    }

    public long paddedTokens() {
        return (long) rows() * seqLength;
    }
}
