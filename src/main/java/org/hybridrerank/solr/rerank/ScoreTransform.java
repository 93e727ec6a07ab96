package org.hybridrerank.solr.rerank;

import java.util.Locale;

/**
 * How the model's raw output becomes the rerank score. Logits can be negative, which breaks multiplicative
 * blending and Solr's scaling conventions; {@code sigmoid} maps them into (0, 1).
 */
public enum ScoreTransform {
    LOGIT {
        @Override
        public float apply(float raw) {
            return raw;
        }

        @Override
        public double invert(float score) {
            return score;
        }
    },
    SIGMOID {
        @Override
        public float apply(float raw) {
            return (float) (1.0 / (1.0 + Math.exp(-raw)));
        }

        @Override
        public double invert(float score) {
            return Math.log(score) - Math.log1p(-score); // ±infinity at 0 and 1, where the float saturated
        }
    };

    public abstract float apply(float raw);

    /** The raw score (logit) that {@link #apply} turned into {@code score}: what a calibration reads. */
    public abstract double invert(float score);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
