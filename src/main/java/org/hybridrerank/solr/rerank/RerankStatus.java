package org.hybridrerank.solr.rerank;

import java.util.Locale;

/**
 * What happened to the rerank stage of a request; always reported in the response header, through
 * {@link org.hybridrerank.solr.request.RequestContext#reportRerankStatus} (its only writer).
 */
public enum RerankStatus {
    /** The top docs were scored by the model and reordered (or came reordered from the result cache). */
    OK,
    /** The time budget ran out: first-stage order returned. */
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
