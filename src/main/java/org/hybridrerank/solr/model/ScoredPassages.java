package org.hybridrerank.solr.model;

/** Scores in the order of the passages given, and what computing them cost. */
public record ScoredPassages(float[] scores, ScoringStats stats) {}
