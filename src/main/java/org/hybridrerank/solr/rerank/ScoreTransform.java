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
        public double raw(float transformed) {
            return transformed;
        }
    },
    SIGMOID {
        @Override
        public float apply(float raw) {
            return (float) (1.0 / (1.0 + Math.exp(-raw)));
        }

        @Override
        public double raw(float transformed) {
            // a float sigmoid saturates at 0 and 1 (beyond about 17 logits): clamp so the logit stays finite
            double p = Math.min(Math.max(transformed, 1e-7), 1 - 1e-7);
            return Math.log(p / (1 - p));
        }
    };

    public abstract float apply(float raw);

    /**
     * The raw model score (logit) that {@link #apply} turned into {@code transformed}, as far as float precision
     * keeps it: what {@code trustGap} measures and what a calibration reads ({@code ce_confidence},
     * {@code minConfidence}). Always finite.
     */
    public abstract double raw(float transformed);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
