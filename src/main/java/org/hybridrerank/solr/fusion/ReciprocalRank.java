package org.hybridrerank.solr.fusion;

import java.util.List;

/** Reciprocal Rank Fusion: {@code Σ_i w_i / (k + rank_i)}; a list that does not hold an item adds nothing. */
public record ReciprocalRank(int k) implements Fusion {
    public ReciprocalRank {
        if (k < 1) throw new IllegalArgumentException("rrf k must be at least 1, got " + k);
    }

    @Override
    public double[] fuse(int items, List<RankedScores> lists) {
        double[] out = new double[items];
        for (RankedScores list : lists) {
            for (int i = 0; i < items; i++) {
                if (list.holds(i)) out[i] += list.weight() / (k + list.ranks()[i]);
            }
        }
        return out;
    }

    @Override
    public String describe() {
        return "rrf k=" + k;
    }
}
