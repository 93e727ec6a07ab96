package org.hybridrerank.solr.model;

/**
 * Scores in the order of the passages given, and what computing them cost.
 *
 * @param spans per passage, the characters the model read ({@link LongDocs#TRUNCATE}, {@link LongDocs#BEST});
 *     null in {@link LongDocs#WINDOW} mode, where a score pools several windows
 */
public record ScoredPassages(float[] scores, PassageSpan[] spans, ScoringStats stats) {}
