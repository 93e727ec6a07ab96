package org.hybridrerank.solr.model;

/**
 * One tokenized sequence, unpadded: a (query, passage) pair for a cross-encoder, or one text for an embedder.
 *
 * @param source index of the input it belongs to (several windows of one passage share it)
 */
public record EncodedSequence(int source, long[] ids, long[] typeIds) {
    public int length() {
        return ids.length;
    }
}
