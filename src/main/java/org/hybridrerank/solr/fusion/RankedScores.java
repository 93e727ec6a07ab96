package org.hybridrerank.solr.fusion;

/**
 * One input of a fusion, aligned with the items being fused: each item's rank in this list (from 1; 0 when the
 * list does not hold it) and its score there (ignored when absent), and the list's weight.
 */
public record RankedScores(String name, double weight, int[] ranks, float[] scores) {
    public RankedScores {
        if (ranks.length != scores.length) throw new IllegalArgumentException("ranks and scores differ in length");
    }

    public boolean holds(int item) {
        return ranks[item] > 0;
    }

    /**
     * A list ranked by {@code scores} themselves, all items present: score descending, equal scores in item
     * order (so the items' own order breaks ties).
     */
    public static RankedScores byScore(String name, double weight, float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]));
        int[] ranks = new int[scores.length];
        for (int r = 0; r < order.length; r++) ranks[order[r]] = r + 1;
        return new RankedScores(name, weight, ranks, scores.clone());
    }
}
