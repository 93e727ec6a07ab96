package org.hybridrerank.solr.rerank;

import org.apache.solr.search.ReRankOperator;

/**
 * Combines first-pass and model scores of the reranked window the way {@code {!rerank}} does:
 * {@code replace: w*m}, {@code add: f + w*m}, {@code multiply: f * w*m}, where either side may first be
 * min-max scaled over the window ({@code reRankMainScale}, {@code reRankScale}).
 */
public record ScoreBlender(ReRankOperator operator, double weight, ScaleRange mainScale, ScaleRange modelScale) {

    /** A target interval for min-max scaling, written {@code min-max} as in Solr ({@code 0-1}). */
    public record ScaleRange(float min, float max) {
        float[] scale(float[] scores) {
            float lo = Float.POSITIVE_INFINITY;
            float hi = Float.NEGATIVE_INFINITY;
            for (float s : scores) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
            float[] out = new float[scores.length];
            for (int i = 0; i < scores.length; i++) {
                // all equal: the middle of the range, as Solr does
                out[i] = hi == lo ? (min + max) / 2 : min + (max - min) * (scores[i] - lo) / (hi - lo);
            }
            return out;
        }

        @Override
        public String toString() {
            return min + "-" + max;
        }
    }

    public float[] blend(float[] firstPass, float[] model) {
        float[] main = mainScale == null ? firstPass : mainScale.scale(firstPass);
        float[] second = modelScale == null ? model : modelScale.scale(model);
        float[] out = new float[model.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = combine(main[i], second[i]);
        }
        return out;
    }

    private float combine(float first, float second) {
        return switch (operator) {
            case REPLACE -> (float) (weight * second);
            case ADD -> (float) (first + weight * second);
            case MULTIPLY -> (float) (first * weight * second);
        };
    }
}
