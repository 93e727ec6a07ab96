package org.hybridrerank.solr.rerank;

import java.util.Locale;

/**
 * What happened to the rerank stage of a request; always reported in the response header, through
 * {@link org.hybridrerank.solr.request.RequestContext#reportRerankStatus} (its only writer).
 */
public enum RerankStatus {
    /** The top docs were scored by the model and reordered (or came reordered from the result cache). */
    OK,
    /**
     * {@code reRankTimeAllowed} was spent after some chunks: the scored prefix of the window (the first N of the
     * first-pass top K) was ranked as a window of N, the rest follows in first-pass order ({@link Coverage}).
     */
    PARTIAL,
    /** A time budget ran out before any chunk was scored, or a hard limit at any point: first-stage order. */
    TIMEOUT,
    /** Inference or text loading failed: first-stage order returned. */
    ERROR,
    /** Nothing to rerank (no hits, or no rows asked for). */
    SKIPPED;

    /** The header's value: the name in lower case. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
