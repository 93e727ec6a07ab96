package org.hybridrerank.solr.tools;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Whether the cross-encoder earns its cost on a collection: the best configuration that uses the model's scores
 * against the best that does not (the first stage alone, or a window fused with modelWeight=0), query by query on
 * the same queries. The gain is the mean of the per-query differences; the noise is two standard errors of those
 * differences, and never less than {@link #MIN_GAIN}. The model helps when the gain exceeds the noise; otherwise
 * the rerank is recommended off: it costs inference on every query and has not been shown to pay for it.
 */
final class RerankAdvice {
    /** Below this, a gain in mean nDCG@10 is not worth a model's latency, however many queries agree. */
    static final double MIN_GAIN = 0.005;
    /** The noise in standard errors of the mean per-query difference (about a 95% two-sided band). */
    static final double STANDARD_ERRORS = 2;

    /**
     * The two bests' mean nDCG@10 on the same queries, their difference and its noise.
     *
     * @param key where the numbers come from, as tune.json names its scores ({@code ndcg@10.outOfFold}, …)
     * @param basis the same for a reader ("out-of-fold over 30 'train' queries")
     */
    record Estimate(String key, String basis, int queries, double with, double without, double gain, double noise) {
        boolean helps() {
            return gain > noise;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("basis", key);
            m.put("queries", queries);
            m.put("ndcg@10.with", with);
            m.put("ndcg@10.without", without);
            m.put("gain", gain);
            m.put("noise", noise);
            m.put("helps", helps());
            return m;
        }
    }

    private RerankAdvice() {}

    /**
     * The estimate from per-query nDCG@10 of the best configuration with the model ({@code with}) and without it
     * ({@code without}), the same queries in the same order.
     */
    static Estimate estimate(String key, String basis, double[] with, double[] without) {
        if (with.length != without.length || with.length == 0)
            throw new IllegalArgumentException(
                    "per-query scores must pair up, got " + with.length + " and " + without.length);
        int n = with.length;
        double sumWith = 0;
        double sumWithout = 0;
        double[] diff = new double[n];
        for (int i = 0; i < n; i++) {
            sumWith += with[i];
            sumWithout += without[i];
            diff[i] = with[i] - without[i];
        }
        double gain = 0;
        for (double d : diff) gain += d;
        gain /= n;
        double squares = 0;
        for (double d : diff) squares += (d - gain) * (d - gain);
        // one query has no spread to measure: the noise is then the floor alone
        double standardError = n < 2 ? 0 : Math.sqrt(squares / (n - 1)) / Math.sqrt(n);
        double noise = Math.max(MIN_GAIN, STANDARD_ERRORS * standardError);
        return new Estimate(key, basis, n, sumWith / n, sumWithout / n, gain, noise);
    }

    /**
     * The recommendation line: keep the cross-encoder, by how much it helps; or switch it off, how, and which
     * first stage to keep.
     *
     * @param withConfig the best configuration with the model, as printed
     * @param offConfig the best first stage alone, as printed
     * @param chosenIgnoresModel whether the configuration the search chose gives the model no say (modelWeight=0)
     */
    static String recommendation(Estimate e, String withConfig, String offConfig, boolean chosenIgnoresModel) {
        String numbers = String.format(
                Locale.ROOT,
                "best with it %.4f vs without %.4f nDCG@10 (%s): %+.4f, noise ±%.4f",
                e.with(),
                e.without(),
                e.basis(),
                e.gain(),
                e.noise());
        if (e.helps()) {
            return "the cross-encoder helps on this collection: " + numbers + "; keep it on (" + withConfig + ")";
        }
        String verdict = e.gain() < -e.noise() ? "hurts" : "does not help";
        return "the cross-encoder " + verdict + " on this collection: " + numbers
                + (chosenIgnoresModel
                        ? "; the chosen configuration gives the model no weight (modelWeight=0) yet"
                                + " would still run it"
                        : "")
                + "; switch it off: rq={!crossencoder enabled=false} in /hybrid's defaults (or <bool name=\"enabled\">"
                + "false</bool> in the crossencoder queryParser) with the first stage " + offConfig;
    }
}
