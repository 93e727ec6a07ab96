package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reliability table: predicted probabilities in {@link #BINS} equal-width bins over [0, 1] (the last one closed),
 * each bin's count, mean prediction and observed rate of relevance; and the expected calibration error, the
 * count-weighted mean of |observed − mean prediction| over the bins.
 */
record Reliability(List<Bin> bins, int count, double ece) {
    static final int BINS = 10;

    /** One bin {@code [low, high)}; empty bins have count 0 and NaN means. */
    record Bin(double low, double high, int count, double meanPredicted, double observed) {}

    static Reliability of(double[] predicted, boolean[] relevant) {
        int[] counts = new int[BINS];
        double[] sums = new double[BINS];
        int[] hits = new int[BINS];
        for (int i = 0; i < predicted.length; i++) {
            int bin = bin(predicted[i]);
            counts[bin]++;
            sums[bin] += predicted[i];
            if (relevant[i]) hits[bin]++;
        }
        List<Bin> bins = new ArrayList<>(BINS);
        double ece = 0;
        for (int b = 0; b < BINS; b++) {
            double mean = counts[b] == 0 ? Double.NaN : sums[b] / counts[b];
            double observed = counts[b] == 0 ? Double.NaN : (double) hits[b] / counts[b];
            bins.add(new Bin((double) b / BINS, (double) (b + 1) / BINS, counts[b], mean, observed));
            if (counts[b] > 0) ece += (double) counts[b] / predicted.length * Math.abs(observed - mean);
        }
        return new Reliability(bins, predicted.length, predicted.length == 0 ? 0 : ece);
    }

    /** The bin of a probability: floor(p·10), with 1.0 in the last bin. */
    static int bin(double p) {
        return Math.min(BINS - 1, Math.max(0, (int) Math.floor(p * BINS)));
    }

    /** For the report JSON: the ECE and each bin's range, count, mean prediction and observed rate. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ece", ece);
        out.put("count", count);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Bin b : bins) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("bin", List.of(b.low(), b.high()));
            row.put("count", b.count());
            row.put("meanPredicted", b.count() == 0 ? null : b.meanPredicted());
            row.put("observed", b.count() == 0 ? null : b.observed());
            rows.add(row);
        }
        out.put("bins", rows);
        return out;
    }
}
