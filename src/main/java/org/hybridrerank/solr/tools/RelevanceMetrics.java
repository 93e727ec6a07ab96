package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * trec_eval's definitions over one query's ranking: nDCG@k with gain = the judged grade and discount
 * log2(rank + 1), ideal ranking from the judgments; MRR@k the reciprocal rank of the first doc graded > 0;
 * Recall@k the share of docs graded > 0 found in the top k.
 */
public final class RelevanceMetrics {
    private RelevanceMetrics() {}

    public static double ndcg(List<String> ranking, Map<String, Integer> judged, int k) {
        double dcg = 0;
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            int grade = judged.getOrDefault(ranking.get(i), 0);
            if (grade > 0) dcg += grade / log2(i + 2);
        }
        List<Integer> grades = new ArrayList<>(judged.values());
        grades.sort(Collections.reverseOrder());
        double ideal = 0;
        for (int i = 0; i < Math.min(k, grades.size()); i++) {
            if (grades.get(i) > 0) ideal += grades.get(i) / log2(i + 2);
        }
        return ideal == 0 ? 0 : dcg / ideal;
    }

    public static double mrr(List<String> ranking, Map<String, Integer> judged, int k) {
        for (int i = 0; i < Math.min(k, ranking.size()); i++) {
            if (judged.getOrDefault(ranking.get(i), 0) > 0) return 1.0 / (i + 1);
        }
        return 0;
    }

    public static double recall(List<String> ranking, Map<String, Integer> judged, int k) {
        long relevant = judged.values().stream().filter(g -> g > 0).count();
        if (relevant == 0) return 0;
        long found = ranking.subList(0, Math.min(k, ranking.size())).stream()
                .filter(d -> judged.getOrDefault(d, 0) > 0)
                .count();
        return (double) found / relevant;
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
