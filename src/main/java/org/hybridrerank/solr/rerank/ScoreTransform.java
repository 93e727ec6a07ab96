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
    },
    SIGMOID {
        @Override
        public float apply(float raw) {
            return (float) (1.0 / (1.0 + Math.exp(-raw)));
        }
    };

    public abstract float apply(float raw);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
