package org.hybridrerank.solr.model;

/**
 * One tokenized (query, passage) sequence, unpadded.
 *
 * @param passage index of the passage it belongs to (several windows may share one)
 */
public record EncodedPair(int passage, long[] ids, long[] typeIds) {
  public int length() {
    return ids.length;
  }
}
