package org.hybridrerank.solr.model;

import java.util.Locale;

/** How window scores of one passage become its score in {@link LongDocs#WINDOW} mode. */
public enum WindowPooling {
    MAX {
        @Override
        float pool(float[] windowScores, int from, int to) {
            float best = Float.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) best = Math.max(best, windowScores[i]);
            return best;
        }
    },
    MEAN {
        @Override
        float pool(float[] windowScores, int from, int to) {
            double sum = 0;
            for (int i = from; i < to; i++) sum += windowScores[i];
            return (float) (sum / (to - from));
        }
    };

    abstract float pool(float[] windowScores, int from, int to);

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
