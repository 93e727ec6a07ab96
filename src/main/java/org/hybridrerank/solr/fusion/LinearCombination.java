package org.hybridrerank.solr.fusion;

import java.util.List;

/**
 * Linear combination after per-query normalization, as Elasticsearch's linear retriever and OpenSearch's
 * normalization processor do: {@code Σ_i w_i · norm_i(score_i)}, each list normalized over the items it holds;
 * a list that does not hold an item adds nothing.
 */
public record LinearCombination(Normalization normalization) implements Fusion {
    @Override
    public double[] fuse(int items, List<RankedScores> lists) {
        double[] out = new double[items];
        for (RankedScores list : lists) {
            double[] normalized = normalization.apply(list);
            for (int i = 0; i < items; i++) {
                if (list.holds(i)) out[i] += list.weight() * normalized[i];
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "linear " + normalization.label();
    }
}
