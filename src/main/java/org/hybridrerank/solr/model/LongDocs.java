package org.hybridrerank.solr.model;

import java.util.Locale;

/** What to do with a passage longer than the model's window. */
public enum LongDocs {
    /** Score only the beginning of the passage. */
    TRUNCATE,
    /** Score overlapping windows over the whole passage and pool their scores. */
    WINDOW,
    /**
     * Score one window per passage: the one that shares the most query terms (see {@link BestWindow}); the
     * beginning when no window does better. Same cost as {@link #TRUNCATE}.
     */
    BEST;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
