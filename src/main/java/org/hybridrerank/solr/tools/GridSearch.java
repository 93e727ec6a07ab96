package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.HybridParams;
import org.hybridrerank.solr.rerank.RerankParams;

/**
 * nDCG@10 of every configuration on every query, from cached rows (no inference), and the choice of the best
 * configuration over any subset of the queries. Equal means go to the configuration listed first in the grid,
 * so a choice is a pure function of the grid, the rows and the judgments.
 */
final class GridSearch {
    static final int DEPTH = 10;

    /** A chosen configuration and its mean nDCG@10 over the queries it was chosen on. */
    record Choice(TuneConfig config, double ndcg) {}

    private final List<TuneConfig> configs;
    private final double[][] ndcg; // [config][query]

    private GridSearch(List<TuneConfig> configs, double[][] ndcg) {
        this.configs = configs;
        this.ndcg = ndcg;
    }

    /** Scores every configuration on every query; each query's first stage is fused once per first-stage setting. */
    static GridSearch run(
            List<TuneConfig> configs,
            int topN,
            List<QueryCandidates> queries,
            Map<String, Map<String, Integer>> qrels) {
        double[][] ndcg = new double[configs.size()][queries.size()];
        Map<TuneConfig, RerankParams> rerank = new HashMap<>();
        for (TuneConfig c : configs) rerank.put(c, c.rerank());
        for (int q = 0; q < queries.size(); q++) {
            QueryCandidates query = queries.get(q);
            Map<String, Float> model = query.modelScores();
            Map<String, Integer> judged = qrels.get(query.qid());
            HybridParams hybrid = null;
            List<FusedCandidate> candidates = null;
            for (int c = 0; c < configs.size(); c++) {
                TuneConfig config = configs.get(c);
                HybridParams h = config.hybrid(topN);
                if (!h.equals(hybrid)) {
                    hybrid = h;
                    candidates = OfflineRanking.firstStage(hybrid, query);
                }
                List<String> ranking =
                        OfflineRanking.ranking(hybrid, rerank.get(config), candidates, model, query.qid());
                ndcg[c][q] = RelevanceMetrics.ndcg(ranking, judged, DEPTH);
            }
        }
        return new GridSearch(configs, ndcg);
    }

    List<TuneConfig> configs() {
        return configs;
    }

    /** The best configuration on the queries at {@code queryIndexes}. */
    Choice best(List<Integer> queryIndexes) {
        int best = -1;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < configs.size(); c++) {
            double mean = mean(c, queryIndexes);
            if (mean > bestMean) {
                best = c;
                bestMean = mean;
            }
        }
        return new Choice(configs.get(best), bestMean);
    }

    /** Mean nDCG@10 of {@code config} on the queries at {@code queryIndexes}. */
    double mean(TuneConfig config, List<Integer> queryIndexes) {
        int c = configs.indexOf(config);
        if (c < 0) throw new IllegalArgumentException("not in the grid: " + config);
        return mean(c, queryIndexes);
    }

    private double mean(int config, List<Integer> queryIndexes) {
        double sum = 0;
        for (int q : queryIndexes) sum += ndcg[config][q];
        return queryIndexes.isEmpty() ? 0 : sum / queryIndexes.size();
    }

    static List<Integer> all(int queries) {
        List<Integer> out = new ArrayList<>(queries);
        for (int i = 0; i < queries; i++) out.add(i);
        return out;
    }
}
