package org.hybridrerank.solr.tools;

import java.util.Arrays;

/**
 * Isotonic regression of relevance on the model score by pool-adjacent-violators: the non-decreasing step
 * function closest (least squares) to the labels. bin/calibrate fits it only to compare with Platt scaling; the
 * plugin reads Platt's two numbers.
 */
final class Isotonic {
    /** Right ends of the steps (scores, increasing) and each step's probability. */
    private final double[] thresholds;

    private final double[] values;

    private Isotonic(double[] thresholds, double[] values) {
        this.thresholds = thresholds;
        this.values = values;
    }

    static Isotonic fit(double[] scores, boolean[] relevant) {
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (x, y) -> Double.compare(scores[x], scores[y]));
        double[] sum = new double[n];
        int[] weight = new int[n];
        double[] right = new double[n];
        int blocks = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            sum[blocks] = relevant[i] ? 1 : 0;
            weight[blocks] = 1;
            right[blocks] = scores[i];
            blocks++;
            // equal scores belong to one block; a block whose mean is not above the previous one's merges into it
            while (blocks > 1
                    && (right[blocks - 2] == right[blocks - 1]
                            || sum[blocks - 2] / weight[blocks - 2] >= sum[blocks - 1] / weight[blocks - 1])) {
                sum[blocks - 2] += sum[blocks - 1];
                weight[blocks - 2] += weight[blocks - 1];
                right[blocks - 2] = right[blocks - 1];
                blocks--;
            }
        }
        double[] values = new double[blocks];
        for (int b = 0; b < blocks; b++) values[b] = sum[b] / weight[b];
        return new Isotonic(Arrays.copyOf(right, blocks), values);
    }

    /** The step the score falls on: the first whose right end is at or above it (the last one beyond them all). */
    double confidence(double score) {
        int at = Arrays.binarySearch(thresholds, score);
        if (at < 0) at = -at - 1;
        return values[Math.min(at, values.length - 1)];
    }
}
