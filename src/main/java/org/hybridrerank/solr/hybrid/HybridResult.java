package org.hybridrerank.solr.hybrid;

import java.util.Map;
import org.apache.solr.request.SolrQueryRequest;
import org.hybridrerank.solr.rerank.ModelScore;

/**
 * Per request: how each first-stage candidate was found, and (on a SolrCloud shard fetching fields) the
 * model scores and passages the coordinator forwarded, for the [hybrid] doc transformer.
 */
public final class HybridResult {
    private static final String KEY = HybridResult.class.getName();
    private static final String WANTED = KEY + ".wanted";

    private record Stored(Map<Integer, FusedCandidate> byDoc, Map<Integer, ModelScore> modelScores) {}

    private HybridResult() {}

    static void store(SolrQueryRequest req, Map<Integer, FusedCandidate> byDoc, Map<Integer, ModelScore> modelScores) {
        req.getContext().put(KEY, new Stored(Map.copyOf(byDoc), Map.copyOf(modelScores)));
    }

    /** The request asks for [hybrid] fields (so the fields phase of a distributed search needs the candidates). */
    public static void markWanted(SolrQueryRequest req) {
        req.getContext().put(WANTED, Boolean.TRUE);
    }

    static boolean wanted(SolrQueryRequest req) {
        return Boolean.TRUE.equals(req.getContext().get(WANTED));
    }

    /** The candidate record of a doc of this request's searcher, or null. */
    public static FusedCandidate of(SolrQueryRequest req, int docId) {
        Stored stored = (Stored) req.getContext().get(KEY);
        return stored == null ? null : stored.byDoc().get(docId);
    }

    /** A model score computed by another request of the same distributed search, or null. */
    public static ModelScore forwardedModelScore(SolrQueryRequest req, int docId) {
        Stored stored = (Stored) req.getContext().get(KEY);
        return stored == null ? null : stored.modelScores().get(docId);
    }
}
