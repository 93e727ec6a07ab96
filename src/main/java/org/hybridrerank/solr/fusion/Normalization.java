package org.hybridrerank.solr.fusion;

import java.util.Locale;

/** Per-query score normalization of one list, over the items it holds. */
public enum Normalization {
    /** {@code (s - min) / (max - min)}; all scores equal: 1 each. */
    MINMAX {
        @Override
        double[] normalize(double[] present) {
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (double s : present) {
                lo = Math.min(lo, s);
                hi = Math.max(hi, s);
            }
            double[] out = new double[present.length];
            for (int i = 0; i < out.length; i++) out[i] = hi == lo ? 1.0 : (present[i] - lo) / (hi - lo);
            return out;
        }
    },
    /** {@code s / sqrt(Σ s²)}; all zero: 0 each. */
    L2 {
        @Override
        double[] normalize(double[] present) {
            double sum = 0;
            for (double s : present) sum += s * s;
            double norm = Math.sqrt(sum);
            double[] out = new double[present.length];
            for (int i = 0; i < out.length; i++) out[i] = norm == 0 ? 0 : present[i] / norm;
            return out;
        }
    },
    /** {@code (s - mean) / standard deviation}; all equal: 0 each. */
    ZSCORE {
        @Override
        double[] normalize(double[] present) {
            double mean = 0;
            for (double s : present) mean += s;
            mean /= Math.max(1, present.length);
            double variance = 0;
            for (double s : present) variance += (s - mean) * (s - mean);
            double sd = Math.sqrt(variance / Math.max(1, present.length));
            double[] out = new double[present.length];
            for (int i = 0; i < out.length; i++) out[i] = sd == 0 ? 0 : (present[i] - mean) / sd;
            return out;
        }
    };

    abstract double[] normalize(double[] present);

    /** The normalized score of each item the list holds (0 for the others), aligned with the list. */
    double[] apply(RankedScores list) {
        int n = list.ranks().length;
        int held = 0;
        for (int i = 0; i < n; i++) if (list.holds(i)) held++;
        double[] present = new double[held];
        for (int i = 0, j = 0; i < n; i++) if (list.holds(i)) present[j++] = list.scores()[i];
        double[] normalized = normalize(present);
        double[] out = new double[n];
        for (int i = 0, j = 0; i < n; i++) if (list.holds(i)) out[i] = normalized[j++];
        return out;
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
