package org.hybridrerank.solr.rerank;

import java.util.Arrays;
import java.util.List;
import org.hybridrerank.solr.fusion.RankedScores;

/**
 * The final ranking of a reranked result, in one place: the shard or single-node rescorer, the SolrCloud
 * coordinators (hybrid and plain {@code {!crossencoder}}) and bin/tune's offline replay all call it.
 *
 * <ol>
 *   <li>The window (the first-pass top K) is ordered by final score descending ({@link RerankParams#finalScores}:
 *       the blend of {@code reRankOperator} or the window fusion; without the model's ranking where
 *       {@link ModelTrust} does not trust it for this query), equal scores in first-pass order (a stable sort, so
 *       a tie never depends on docids).
 *   <li>The docs below the window follow in first-pass order.
 *   <li>Scores never rise with rank: when the best first-pass score below the window, B, is not below the lowest
 *       final score of the window, W, every doc below the window is lowered by the same amount, {@code B - W'}
 *       where W' is the float just under W. The window's scores are never changed, and a doc below the window
 *       keeps its order and its distance to the others below the window (up to float rounding). B and W are
 *       global values (the K-th and (K+1)-th of the global first pass), so every node of a SolrCloud search
 *       reaches the same amount.
 * </ol>
 *
 * Under {@code reRankTimeAllowed} the model may score only a prefix of the window, the first N docs in first-pass
 * order ({@link Coverage}): the window is then those N docs, ranked here exactly as a window of N (reRankDocs=N)
 * would be, fusions, scalings and the trust rule included, and every doc after them is below the window.
 */
public final class WindowRanking {
    private WindowRanking() {}

    /**
     * The window's final scores and their order.
     *
     * @param finals final score of each window doc, in first-pass order
     * @param order positions into {@code finals}, best first
     * @param trust whether the model's ranking took part ({@code trustGap})
     */
    public record Window(float[] finals, int[] order, ModelTrust.Verdict trust) {
        /** No window: a budget that let the model score nothing; everything keeps first-pass order. */
        public static final Window EMPTY = new Window(new float[0], new int[0], ModelTrust.Verdict.UNJUDGED);

        /** The lowest final score, W of the rule (NaN for an empty window). */
        public float lowest() {
            float lo = Float.NaN;
            for (float f : finals) lo = Float.isNaN(lo) ? f : Math.min(lo, f);
            return lo;
        }
    }

    /**
     * Ranks a window.
     *
     * @param firstPass the window's first-pass scores, in first-pass order
     * @param model the window's model scores (after the score transform), in first-pass order
     * @param firstStage the first stage's lists over the window (empty when no first stage stored any)
     */
    public static Window rank(RerankParams params, float[] firstPass, float[] model, List<RankedScores> firstStage) {
        ModelTrust.Verdict trust = params.trust().judge(model, params.score());
        float[] finals = params.finalScores(firstPass, model, firstStage, trust.trusted());
        return new Window(finals, order(finals), trust);
    }

    /** Positions into {@code finalScores} (the window in first-pass order), best first, ties in first-pass order. */
    public static int[] order(float[] finalScores) {
        Integer[] order = new Integer[finalScores.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Float.compare(finalScores[b], finalScores[a]));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) out[i] = order[i];
        return out;
    }

    /**
     * How much every doc below the window is lowered: 0 when the window already scores above all of them.
     *
     * @param windowLowest W, the lowest final score of the window
     * @param bestBelow B, the first-pass score of the best doc below the window
     */
    public static double belowShift(float windowLowest, float bestBelow) {
        if (!Float.isFinite(windowLowest) || !Float.isFinite(bestBelow) || bestBelow < windowLowest) return 0;
        float target = Math.nextDown(windowLowest);
        double shift = (double) bestBelow - target;
        // the subtraction rounds to float: make sure the best doc below lands at or under the target
        // (each step at least one float step of the target and one double step of the shift, so a few at most)
        while ((float) (bestBelow - shift) > target) shift += Math.max(Math.ulp(target), Math.ulp(shift));
        return shift;
    }

    /** A below-window doc's score: its first-pass score lowered by {@code shift} ({@link #belowShift}). */
    public static float belowScore(float firstPass, double shift) {
        return shift == 0 ? firstPass : (float) (firstPass - shift);
    }
}
