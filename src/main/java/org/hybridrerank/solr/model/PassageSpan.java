package org.hybridrerank.solr.model;

/**
 * The characters of a passage that the model read for its score, {@code [start, end)} in the passage text as
 * given (Java string indexes): from the first kept token's first character to the last kept token's last.
 */
public record PassageSpan(int start, int end) {
    public static final PassageSpan EMPTY = new PassageSpan(0, 0);
}
