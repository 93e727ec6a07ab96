package org.hybridrerank.solr.tools;

import java.util.Locale;
import org.apache.solr.client.solrj.SolrQuery;

/** One way of ranking that bin/eval measures, as the request it sends to the /hybrid handler. */
public enum EvalMode {
    LEXICAL("lexical", "lexical", false),
    VECTOR("vector", "vector", false),
    RRF("rrf", "rrf", false),
    LEXICAL_CE("lexical+ce", "lexical", true),
    RRF_CE("rrf+ce", "rrf", true);

    /** First-stage list length asked for, so Recall@K can be read up to 500. */
    public static final int FIRST_STAGE_DEPTH = 500;

    private final String label;
    private final String hybridMode;
    private final boolean rerank;

    EvalMode(String label, String hybridMode, boolean rerank) {
        this.label = label;
        this.hybridMode = hybridMode;
        this.rerank = rerank;
    }

    public String label() {
        return label;
    }

    public boolean reranks() {
        return rerank;
    }

    /** The mode whose ranking this one reranks (itself for a first-stage mode). */
    public EvalMode firstStage() {
        if (!rerank) return this;
        for (EvalMode m : values()) if (!m.rerank && m.hybridMode.equals(hybridMode)) return m;
        throw new IllegalStateException("no first-stage mode for " + label);
    }

    public static EvalMode parse(String value) {
        for (EvalMode m : values()) if (m.label.equals(value.trim().toLowerCase(Locale.ROOT))) return m;
        throw new IllegalArgumentException(
                "unknown mode '" + value + "'; modes are lexical, vector, rrf, lexical+ce, rrf+ce");
    }

    /** The request with the run's --set parameters in place of the mode's own values for the same names. */
    SolrQuery request(String text, int k, RequestOverrides overrides) {
        return overrides.applyTo(request(text, k));
    }

    /** The request: first-stage depth 500 without reranking, K reranked and 100 rows with it. */
    public SolrQuery request(String text, int k) {
        SolrQuery q = new SolrQuery(text);
        q.set("hybrid", true);
        q.set("hybrid.mode", hybridMode);
        int depth = rerank ? Math.max(100, k) : FIRST_STAGE_DEPTH;
        q.set("hybrid.lexical.topN", depth);
        q.set("hybrid.vector.topN", depth);
        // scoreCache=false: a mode's latency is its own inference, not the cache filled by a mode measured before it
        q.set("rq", rerank ? "{!crossencoder reRankDocs=" + k + " scoreCache=false}" : "{!crossencoder enabled=false}");
        q.setRows(depth);
        q.setFields("id", "score");
        q.set("debug", "timing"); // stage timers, without explain's cost
        return q;
    }
}
