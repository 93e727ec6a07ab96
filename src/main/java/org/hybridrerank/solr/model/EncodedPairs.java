package org.hybridrerank.solr.model;

import java.util.List;

/**
 * The sequences to score, grouped by passage in passage order, and per passage the characters they cover.
 *
 * @param spans null in {@link LongDocs#WINDOW} mode
 */
public record EncodedPairs(List<EncodedSequence> sequences, PassageSpan[] spans) {}
