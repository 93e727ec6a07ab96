package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hybridrerank.solr.fusion.Normalization;
import org.hybridrerank.solr.rerank.RerankParams.FusionMethod;

/**
 * The values bin/tune tries, each replaceable by {@code --grid NAME=V1,V2,...}. Window K above the fetched
 * depth is dropped (the cache holds no model score below it).
 */
final class TuneGrid {
    static final String RERANK_DOCS = "reRankDocs";
    static final String FUSION = "fusion";
    static final String RRF_K = "rrfK";
    static final String NORMALIZATION = "normalization";
    static final String MODEL_WEIGHT = "modelWeight";
    static final String TRUST_GAP = "trustGap";
    static final String WEIGHTS = "hybrid.weights";
    static final String FIRST_STAGE_RRF_K = "hybrid.rrf.k";

    /** Each name's values as text, defaults first replaced by --grid. */
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    TuneGrid() {
        values.put(WEIGHTS, List.of("1:1", "1:0.5", "0.5:1", "1:0.25", "0.25:1"));
        values.put(FIRST_STAGE_RRF_K, List.of("60"));
        values.put(RERANK_DOCS, List.of("10", "20", "30", "50", "100"));
        values.put(FUSION, List.of("replace", "rrf", "linear"));
        values.put(RRF_K, List.of("10", "30", "60", "100"));
        values.put(NORMALIZATION, List.of("minmax", "l2", "zscore"));
        values.put(MODEL_WEIGHT, List.of("0", "0.25", "0.5", "1", "2"));
        // 0 always trusts the model; 2.25 logits is the example configset's value
        values.put(TRUST_GAP, List.of("0", "2.25"));
    }

    /** {@code NAME=V1,V2}; hybrid.weights values are {@code LEXICAL:VECTOR}. */
    TuneGrid set(String setting) {
        int eq = setting.indexOf('=');
        String name = eq < 0 ? setting : setting.substring(0, eq).trim();
        if (eq < 0 || !values.containsKey(name)) {
            throw new IllegalArgumentException(
                    "--grid takes NAME=V1,V2,... with NAME one of " + values.keySet() + ", got '" + setting + "'");
        }
        List<String> list = new ArrayList<>();
        for (String v : setting.substring(eq + 1).split(",")) if (!v.isBlank()) list.add(v.trim());
        if (list.isEmpty()) throw new IllegalArgumentException("--grid " + name + " needs at least one value");
        values.put(name, List.copyOf(list));
        configs(Integer.MAX_VALUE); // every value checked now, not in the middle of a search
        return this;
    }

    /**
     * Every configuration, first-stage settings outermost (the search computes each first stage once), each
     * window setting with every {@code trustGap}, innermost.
     */
    List<TuneConfig> configs(int maxReRankDocs) {
        List<TuneConfig> out = new ArrayList<>();
        for (TuneConfig c : untrusted(maxReRankDocs)) {
            for (String gap : values.get(TRUST_GAP)) {
                out.add(new TuneConfig(
                        c.lexicalWeight(),
                        c.vectorWeight(),
                        c.firstStageRrfK(),
                        c.reRankDocs(),
                        c.fusion(),
                        c.rrfK(),
                        c.normalization(),
                        c.modelWeight(),
                        nonNegative(TRUST_GAP, gap)));
            }
        }
        return out;
    }

    /** The configurations before {@code trustGap} is applied. */
    private List<TuneConfig> untrusted(int maxReRankDocs) {
        List<TuneConfig> out = new ArrayList<>();
        for (String w : values.get(WEIGHTS)) {
            double[] weights = weights(w);
            for (String k1 : values.get(FIRST_STAGE_RRF_K)) {
                int firstK = positiveInt(FIRST_STAGE_RRF_K, k1);
                for (String kText : values.get(RERANK_DOCS)) {
                    int k = positiveInt(RERANK_DOCS, kText);
                    if (k > maxReRankDocs) continue;
                    for (String f : values.get(FUSION)) {
                        FusionMethod method = choice(FUSION, f, FusionMethod.class);
                        switch (method) {
                            case REPLACE ->
                                out.add(new TuneConfig(
                                        weights[0], weights[1], firstK, k, method, 60, Normalization.MINMAX, 1));
                            case RRF -> {
                                for (String rk : values.get(RRF_K)) {
                                    for (String mw : values.get(MODEL_WEIGHT)) {
                                        out.add(new TuneConfig(
                                                weights[0],
                                                weights[1],
                                                firstK,
                                                k,
                                                method,
                                                positiveInt(RRF_K, rk),
                                                Normalization.MINMAX,
                                                weight(mw)));
                                    }
                                }
                            }
                            case LINEAR -> {
                                for (String nz : values.get(NORMALIZATION)) {
                                    for (String mw : values.get(MODEL_WEIGHT)) {
                                        out.add(new TuneConfig(
                                                weights[0],
                                                weights[1],
                                                firstK,
                                                k,
                                                method,
                                                60,
                                                choice(NORMALIZATION, nz, Normalization.class),
                                                weight(mw)));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    private static double[] weights(String v) {
        String[] parts = v.split(":");
        if (parts.length == 2) {
            try {
                double lexical = Double.parseDouble(parts[0]);
                double vector = Double.parseDouble(parts[1]);
                if (lexical >= 0 && vector >= 0 && lexical + vector > 0 && Double.isFinite(lexical + vector))
                    return new double[] {lexical, vector};
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(
                "--grid " + WEIGHTS + " values are LEXICAL:VECTOR, finite weights >= 0, not both 0; got '" + v + "'");
    }

    private static int positiveInt(String name, String v) {
        try {
            int value = Integer.parseInt(v);
            if (value >= 1) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--grid " + name + " values are integers >= 1, got '" + v + "'");
    }

    private static double weight(String v) {
        return nonNegative(MODEL_WEIGHT, v);
    }

    private static double nonNegative(String name, String v) {
        try {
            double value = Double.parseDouble(v);
            if (value >= 0 && Double.isFinite(value)) return value;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--grid " + name + " values are finite numbers >= 0, got '" + v + "'");
    }

    private static <E extends Enum<E>> E choice(String name, String v, Class<E> type) {
        for (E e : type.getEnumConstants()) if (e.name().equalsIgnoreCase(v)) return e;
        List<String> allowed = new ArrayList<>();
        for (E e : type.getEnumConstants()) allowed.add(e.name().toLowerCase(Locale.ROOT));
        throw new IllegalArgumentException("--grid " + name + " values are " + allowed + ", got '" + v + "'");
    }
}
