package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.HybridParams;
import org.hybridrerank.solr.rerank.RerankParams;
import org.hybridrerank.solr.rerank.RerankParams.FusionMethod;

/**
 * nDCG@10 of every configuration on every query, from cached rows (no inference), and the choice of the best
 * configuration over any subset of the queries. Equal means go to the configuration listed first in the grid,
 * so a choice is a pure function of the grid, the rows and the judgments. Besides the grid, each first-stage
 * setting of the grid is scored alone (the rerank off, {@code rq={!crossencoder enabled=false}}), so the best
 * configuration with the cross-encoder can be weighed against the best without it.
 */
final class GridSearch {
    static final int DEPTH = 10;

    /** A chosen configuration and its mean nDCG@10 over the queries it was chosen on. */
    record Choice(TuneConfig config, double ndcg) {}

    /**
     * A way to rank that the search scores: a configuration of the grid ({@code config}), or a first-stage setting
     * of the grid with the rerank off ({@code config} null; then {@code firstStage} is a configuration whose
     * first-stage fields are the setting's and whose window is ignored).
     */
    record Candidate(TuneConfig config, TuneConfig firstStage) {
        static Candidate of(TuneConfig config) {
            return new Candidate(config, null);
        }

        /** The first stage of {@code config} alone. */
        static Candidate firstStageOnly(TuneConfig config) {
            return new Candidate(null, config);
        }

        boolean rerankOff() {
            return config == null;
        }

        /**
         * Whether the ranking depends on the model's scores: a reranked window fused with modelWeight above 0, or
         * replaced by the model. modelWeight=0 and the rerank off rank without it.
         */
        boolean usesModel() {
            return config != null && (config.fusion() == FusionMethod.REPLACE || config.modelWeight() > 0);
        }

        private TuneConfig settings() {
            return config != null ? config : firstStage;
        }

        HybridParams hybrid(int topN) {
            return settings().hybrid(topN);
        }

        String rq() {
            return config != null ? config.rq() : RERANK_OFF;
        }

        Map<String, Object> params(int topN) {
            Map<String, Object> p = settings().params(topN);
            p.put("rq", rq());
            return p;
        }

        String solrconfig(int topN) {
            String xml = settings().solrconfig(topN);
            return config != null ? xml : xml.replace(firstStage.rq(), RERANK_OFF);
        }

        List<String> ranking(int topN, QueryCandidates q) {
            if (config != null) return OfflineRanking.ranking(config, topN, q);
            List<String> out = new ArrayList<>();
            for (FusedCandidate c : OfflineRanking.firstStage(hybrid(topN), q)) out.add(c.key());
            return out;
        }

        @Override
        public String toString() {
            TuneConfig s = settings();
            return "hybrid.weights=" + s.weights() + " hybrid.rrf.k=" + s.firstStageRrfK() + " rq=" + rq();
        }
    }

    /** A candidate chosen on some queries and its mean nDCG@10 over them. */
    record Pick(Candidate candidate, double ndcg) {}

    /** The rerank switched off, as a request or the handler's defaults say it. */
    static final String RERANK_OFF = "{!crossencoder enabled=false}";

    private final List<TuneConfig> configs;
    /** The grid's configurations, then one first stage alone per first-stage setting of the grid. */
    private final List<Candidate> candidates;

    private final double[][] ndcg; // [candidate][query]

    private GridSearch(List<TuneConfig> configs, List<Candidate> candidates, double[][] ndcg) {
        this.configs = configs;
        this.candidates = candidates;
        this.ndcg = ndcg;
    }

    /** Scores every configuration on every query; each query's first stage is fused once per first-stage setting. */
    static GridSearch run(
            List<TuneConfig> configs,
            int topN,
            List<QueryCandidates> queries,
            Map<String, Map<String, Integer>> qrels) {
        List<Candidate> rows = new ArrayList<>();
        configs.forEach(c -> rows.add(Candidate.of(c)));
        Map<HybridParams, Candidate> firstStages = new LinkedHashMap<>();
        for (TuneConfig c : configs) firstStages.putIfAbsent(c.hybrid(topN), Candidate.firstStageOnly(c));
        rows.addAll(firstStages.values());
        double[][] ndcg = new double[rows.size()][queries.size()];
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
            for (int c = configs.size(); c < rows.size(); c++) {
                ndcg[c][q] = RelevanceMetrics.ndcg(rows.get(c).ranking(topN, query), judged, DEPTH);
            }
        }
        return new GridSearch(List.copyOf(configs), List.copyOf(rows), ndcg);
    }

    List<TuneConfig> configs() {
        return configs;
    }

    /** The best configuration of the grid on the queries at {@code queryIndexes}. */
    Choice best(List<Integer> queryIndexes) {
        List<Integer> grid = new ArrayList<>();
        for (int c = 0; c < configs.size(); c++) grid.add(c);
        Pick pick = best(grid, queryIndexes);
        return new Choice(pick.candidate().config(), pick.ndcg());
    }

    /** The best configuration whose ranking uses the model's scores; null when the grid has none. */
    Pick bestWithModel(List<Integer> queryIndexes) {
        List<Integer> with = new ArrayList<>();
        for (int c = 0; c < candidates.size(); c++) if (candidates.get(c).usesModel()) with.add(c);
        return with.isEmpty() ? null : best(with, queryIndexes);
    }

    /**
     * The best way to rank without the model's scores: a first stage alone (the rerank off) or a configuration
     * with modelWeight=0; on equal means the first stage alone, which needs no inference.
     */
    Pick bestWithoutModel(List<Integer> queryIndexes) {
        List<Integer> without = new ArrayList<>();
        for (int c = configs.size(); c < candidates.size(); c++) without.add(c);
        for (int c = 0; c < configs.size(); c++) if (!candidates.get(c).usesModel()) without.add(c);
        return best(without, queryIndexes);
    }

    /** The best first stage alone (the rerank off). */
    Pick bestRerankOff(List<Integer> queryIndexes) {
        List<Integer> off = new ArrayList<>();
        for (int c = configs.size(); c < candidates.size(); c++) off.add(c);
        return best(off, queryIndexes);
    }

    /** nDCG@10 of {@code candidate} on each query at {@code queryIndexes}, in their order. */
    double[] perQuery(Candidate candidate, List<Integer> queryIndexes) {
        int c = candidates.indexOf(candidate);
        if (c < 0) throw new IllegalArgumentException("not searched: " + candidate);
        double[] out = new double[queryIndexes.size()];
        for (int i = 0; i < out.length; i++) out[i] = ndcg[c][queryIndexes.get(i)];
        return out;
    }

    /** The first of {@code rows} with the highest mean on the queries. */
    private Pick best(List<Integer> rows, List<Integer> queryIndexes) {
        int best = -1;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (int c : rows) {
            double mean = mean(c, queryIndexes);
            if (mean > bestMean) {
                best = c;
                bestMean = mean;
            }
        }
        return new Pick(candidates.get(best), bestMean);
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
