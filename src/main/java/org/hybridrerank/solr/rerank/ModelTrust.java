package org.hybridrerank.solr.rerank;

import java.util.Arrays;

/**
 * Whether the model's ranking of a window is trusted for this query ({@code trustGap}). A cross-encoder that
 * recognises what a query asks for singles out a few documents: its best score stands well above its
 * {@value #AT_RANK}th best. Off its domain it tends to find most of the window about equally relevant (or equally
 * irrelevant) and its order among them is close to noise; fused in, it then costs the first stage its ranking.
 * When the gap between the best and the {@value #AT_RANK}th best raw score (logits, whatever {@code score}
 * transform is asked for) is below {@code minGap}, the model's ranking is left out of this query's result: the
 * window keeps the first stage's order. Needs no judgments; the same arithmetic on every node.
 *
 * @param minGap the smallest gap, in raw model score units, at which the model is trusted; 0 trusts it always
 */
public record ModelTrust(double minGap) {
    /** The rank the best score is compared with: the last one of a first page of ten. */
    public static final int AT_RANK = 10;

    public static final ModelTrust ALWAYS = new ModelTrust(0);

    public ModelTrust {
        if (!(minGap >= 0) || !Double.isFinite(minGap)) {
            throw new IllegalArgumentException("trustGap must be a finite number >= 0, got " + minGap);
        }
    }

    /** The outcome for one window: the gap seen and whether it was enough. */
    public record Verdict(double gap, boolean trusted) {
        public static final Verdict UNJUDGED = new Verdict(Double.NaN, true);

        /**
         * A queryResultCache hit: only trusted results are kept there, so the model was trusted; the gap itself is
         * not kept (infinite stands for "known to be enough").
         */
        public static final Verdict CACHED = new Verdict(Double.POSITIVE_INFINITY, true);
    }

    /**
     * Judges one window.
     *
     * @param model the window's model scores after {@code transform} (any order)
     */
    public Verdict judge(float[] model, ScoreTransform transform) {
        if (minGap == 0) return Verdict.UNJUDGED;
        double gap = gap(model, transform);
        return new Verdict(gap, gap >= minGap);
    }

    /**
     * Best raw score minus the {@value #AT_RANK}th best (the last one when the window is smaller); 0 for fewer
     * than two scores, where there is no order to trust.
     */
    static double gap(float[] model, ScoreTransform transform) {
        if (model.length < 2) return 0;
        double[] raw = new double[model.length];
        for (int i = 0; i < raw.length; i++) raw[i] = transform.raw(model[i]);
        Arrays.sort(raw);
        int k = Math.min(AT_RANK, raw.length);
        return raw[raw.length - 1] - raw[raw.length - k];
    }
}
