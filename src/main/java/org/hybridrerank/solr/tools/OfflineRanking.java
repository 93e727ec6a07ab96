package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.hybrid.CandidateLists;
import org.hybridrerank.solr.hybrid.FirstStage;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.HybridParams;
import org.hybridrerank.solr.rerank.RerankParams;
import org.hybridrerank.solr.rerank.WindowRanking;

/**
 * The ranking one configuration gives one query, computed from cached rows by the plugin's own functions: the
 * first stage's fusion ({@link FirstStage}), the window's lists ({@link CandidateLists}), the window's final
 * scores ({@link RerankParams#finalScores}) and their order ({@link WindowRanking}). Below the window the
 * first-stage order stands, as in Solr.
 */
final class OfflineRanking {
    private OfflineRanking() {}

    /** The first stage's candidates in rank order. */
    static List<FusedCandidate> firstStage(HybridParams hybrid, QueryCandidates query) {
        return FirstStage.rank(hybrid, query.lexical(), query.vector());
    }

    /** Unique keys in final order, given the first stage's candidates of the same {@code hybrid}. */
    static List<String> ranking(
            HybridParams hybrid,
            RerankParams rerank,
            List<FusedCandidate> candidates,
            Map<String, Float> modelScores,
            String qid) {
        int n = Math.min(rerank.reRankDocs(), candidates.size());
        List<FusedCandidate> window = candidates.subList(0, n);
        float[] firstPass = new float[n];
        float[] model = new float[n];
        for (int i = 0; i < n; i++) {
            FusedCandidate c = window.get(i);
            Float score = modelScores.get(c.key());
            if (score == null) {
                throw new IllegalArgumentException("query " + qid + ": doc " + c.key() + " enters a window of " + n
                        + " but has no cached model score");
            }
            firstPass[i] = c.fusedScore();
            model[i] = score;
        }
        WindowRanking.Window ranked =
                WindowRanking.rank(rerank, firstPass, model, CandidateLists.inputs(hybrid, window));
        List<String> out = new ArrayList<>(candidates.size());
        for (int i : ranked.order()) out.add(window.get(i).key());
        for (FusedCandidate c : candidates.subList(n, candidates.size())) out.add(c.key());
        return out;
    }

    static List<String> ranking(TuneConfig config, int topN, QueryCandidates query) {
        HybridParams hybrid = config.hybrid(topN);
        return ranking(hybrid, config.rerank(), firstStage(hybrid, query), query.modelScores(), query.qid());
    }
}
