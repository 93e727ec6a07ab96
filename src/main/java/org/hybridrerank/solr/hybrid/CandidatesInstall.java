package org.hybridrerank.solr.hybrid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.handler.component.ResponseBuilder;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.ModelScore;

/**
 * The first stage's candidates become the request's main query (docids of this searcher), and what the
 * later stages read of them is put in the request context: the [hybrid] transformer's records and the lists
 * a window fusion combines with the model.
 */
final class CandidatesInstall {
    private CandidatesInstall() {}

    /**
     * @param rerankWindow how many of the candidates a rank query may rerank, -1 for no limit
     * @param modelScores model scores (and passages) forwarded by a SolrCloud coordinator, by docid (empty elsewhere)
     */
    static void install(
            ResponseBuilder rb,
            HybridParams hybrid,
            List<FusedCandidate> candidates,
            int rerankWindow,
            Map<Integer, ModelScore> modelScores) {
        int[] docs = new int[candidates.size()];
        float[] scores = new float[candidates.size()];
        Map<Integer, FusedCandidate> byDoc = new HashMap<>(candidates.size() * 2);
        for (int i = 0; i < docs.length; i++) {
            docs[i] = candidates.get(i).doc();
            scores[i] = candidates.get(i).fusedScore();
            byDoc.put(docs[i], candidates.get(i));
        }
        rb.setQuery(new FusedCandidatesQuery(docs, scores, describe(hybrid), rerankWindow));
        HybridResult.store(rb.req, byDoc, modelScores);
        RequestContext.setFirstStageLists(rb.req, new CandidateLists(hybrid, Map.copyOf(byDoc)));
    }

    static String describe(HybridParams hybrid) {
        return switch (hybrid.mode()) {
            case RRF, LINEAR ->
                hybrid.fusion().describe() + " lexical:" + hybrid.lexicalWeight() + ",vector:" + hybrid.vectorWeight();
            case LEXICAL -> "lexical";
            case VECTOR -> "vector";
        };
    }
}
