package org.hybridrerank.solr.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map from a cross-encoder's raw score (its logit) to the probability that the doc is relevant, learned from
 * judgments by {@code bin/calibrate}: Platt scaling, {@code confidence = 1 / (1 + exp(-(a * logit + b)))}. It lives
 * in the model folder's config.json under {@code "calibration"} ({@code {"method": "platt", "a": …, "b": …,
 * "fittedOn": …}}), since it belongs to the weights it was fitted on.
 *
 * @param fittedOn what it was fitted on, as bin/calibrate wrote it (informative; may be null)
 */
public record Calibration(double a, double b, JsonNode fittedOn) {
    public static final String CONFIG_KEY = "calibration";
    public static final String PLATT = "platt";

    public Calibration {
        if (!Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("a and b must be finite numbers, got a=" + a + ", b=" + b);
        }
        if (a <= 0) {
            throw new IllegalArgumentException("a must be > 0 (confidence rises with the model score), got " + a);
        }
    }

    /** The probability of relevance of a doc whose raw model score (logit) is {@code raw}. */
    public double confidence(double raw) {
        double z = a * raw + b;
        // the two forms avoid overflow of exp at either end
        return z >= 0 ? 1.0 / (1.0 + Math.exp(-z)) : Math.exp(z) / (1.0 + Math.exp(z));
    }

    /** The calibration of a model folder (config.json "calibration"), or null when it has none. */
    public static Calibration of(ModelDirectory directory) {
        JsonNode node = directory.configNode(CONFIG_KEY);
        if (node == null || node.isNull()) return null;
        String where = "\"" + CONFIG_KEY + "\" in " + directory.path().resolve(ModelDirectory.CONFIG_FILE);
        if (!node.isObject()) throw new ModelLoadException(where + " must be an object, got " + node);
        JsonNode method = node.get("method");
        if (method == null || !PLATT.equals(method.asText())) {
            throw new ModelLoadException(where + ": \"method\" must be \"" + PLATT + "\", got " + method);
        }
        JsonNode a = node.get("a");
        JsonNode b = node.get("b");
        if (a == null || !a.isNumber() || b == null || !b.isNumber()) {
            throw new ModelLoadException(where + ": \"a\" and \"b\" must be numbers, got a=" + a + ", b=" + b);
        }
        try {
            return new Calibration(a.asDouble(), b.asDouble(), node.get("fittedOn"));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(where + ": " + e.getMessage(), e);
        }
    }

    /** The object config.json holds under {@code "calibration"}. */
    public Map<String, Object> toConfig() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("method", PLATT);
        out.put("a", a);
        out.put("b", b);
        if (fittedOn != null) out.put("fittedOn", fittedOn);
        return out;
    }
}
