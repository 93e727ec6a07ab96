package org.hybridrerank.solr.hybrid;

import java.util.Map;
import org.apache.solr.request.SolrQueryRequest;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.ModelScore;

/**
 * Per request: how each first-stage candidate was found, and (on a SolrCloud shard fetching fields) the
 * model scores and passages the coordinator forwarded, for the [hybrid] doc transformer.
 */
public final class HybridResult {
    /**
     * What a request keeps in its context ({@link RequestContext#hybridResult}), by docid of its searcher.
     *
     * @param byDoc the candidate record of each first-stage candidate on this node
     * @param modelScores model scores computed by another request of the same distributed search
     */
    public record Stored(Map<Integer, FusedCandidate> byDoc, Map<Integer, ModelScore> modelScores) {}

    private HybridResult() {}

    static void store(SolrQueryRequest req, Map<Integer, FusedCandidate> byDoc, Map<Integer, ModelScore> modelScores) {
        RequestContext.setHybridResult(req, new Stored(Map.copyOf(byDoc), Map.copyOf(modelScores)));
    }

    /** The request asks for [hybrid] fields (so the fields phase of a distributed search needs the candidates). */
    public static void markWanted(SolrQueryRequest req) {
        RequestContext.markHybridFieldsWanted(req);
    }

    static boolean wanted(SolrQueryRequest req) {
        return RequestContext.hybridFieldsWanted(req);
    }

    /** The candidate record of a doc of this request's searcher, or null. */
    public static FusedCandidate of(SolrQueryRequest req, int docId) {
        Stored stored = RequestContext.hybridResult(req);
        return stored == null ? null : stored.byDoc().get(docId);
    }

    /** A model score computed by another request of the same distributed search, or null. */
    public static ModelScore forwardedModelScore(SolrQueryRequest req, int docId) {
        Stored stored = RequestContext.hybridResult(req);
        return stored == null ? null : stored.modelScores().get(docId);
    }
}
