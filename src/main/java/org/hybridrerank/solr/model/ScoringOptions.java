package org.hybridrerank.solr.model;

/** Per-call choices for {@link CrossEncoder#score}. */
public record ScoringOptions(LongDocs longDocs, WindowPooling windowPooling) {
    public static final ScoringOptions DEFAULT = new ScoringOptions(LongDocs.TRUNCATE, WindowPooling.MAX);
}
