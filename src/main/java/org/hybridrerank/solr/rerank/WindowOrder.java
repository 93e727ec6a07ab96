package org.hybridrerank.solr.rerank;

import java.util.Arrays;

/**
 * The order of a reranked window: final score descending, equal scores in first-pass order (a stable sort), so
 * a tie never depends on docids. One function for the rescorer and for offline tuning (bin/tune).
 */
public final class WindowOrder {
    private WindowOrder() {}

    /** Positions into {@code finalScores} (the window in first-pass order), best first. */
    public static int[] of(float[] finalScores) {
        Integer[] order = new Integer[finalScores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(finalScores[b], finalScores[a]));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }
}
