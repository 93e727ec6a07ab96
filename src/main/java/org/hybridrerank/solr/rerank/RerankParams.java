package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.ReRankOperator;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.fusion.Fusion;
import org.hybridrerank.solr.fusion.Normalization;
import org.hybridrerank.solr.model.Calibration;
import org.hybridrerank.solr.model.LongDocs;
import org.hybridrerank.solr.model.ScoringOptions;
import org.hybridrerank.solr.model.WindowPooling;

/**
 * Everything that decides a reranked result, validated. Two requests with equal params (and equal main
 * queries) have the same answer, which is why this record is the query's cache identity.
 */
public record RerankParams(
        boolean enabled,
        String model,
        String modelVersion,
        int reRankDocs,
        List<String> fields,
        String fieldSeparator,
        Float threshold,
        ScoreTransform score,
        long timeoutMillis,
        long reRankTimeAllowedMillis,
        String reRankText,
        ScoreBlender blender,
        WindowFusion fusion,
        ModelTrust trust,
        ScoringOptions scoring,
        boolean scoreCache,
        Double minConfidence,
        Calibration calibration) {

    public static final String ENABLED = "enabled";
    public static final String MODEL = "model";
    public static final String RERANK_DOCS = "reRankDocs";
    public static final String MAX_RERANK_DOCS = "maxReRankDocs";
    public static final String FIELDS = "fields";
    public static final String FIELD_SEPARATOR = "fieldSeparator";
    public static final String THRESHOLD = "threshold";
    public static final String SCORE = "score";
    public static final String TIMEOUT = "timeout";
    public static final String RERANK_TIME_ALLOWED = "reRankTimeAllowed";
    public static final String RERANK_TEXT = "reRankText";
    public static final String RERANK_OPERATOR = "reRankOperator";
    public static final String RERANK_WEIGHT = "reRankWeight";
    public static final String RERANK_SCALE = "reRankScale";
    public static final String RERANK_MAIN_SCALE = "reRankMainScale";
    public static final String LONG_DOCS = "longDocs";
    public static final String WINDOW_POOLING = "windowPooling";
    public static final String SCORE_CACHE = "scoreCache";
    public static final String FUSION = "fusion";
    public static final String RRF_K = "rrfK";
    public static final String NORMALIZATION = "normalization";
    public static final String MODEL_WEIGHT = "modelWeight";
    public static final String TRUST_GAP = "trustGap";
    /** Keep only reranked docs whose calibrated confidence reaches it (the model must have a calibration). */
    public static final String MIN_CONFIDENCE = "minConfidence";

    /** {@code replace} hands the window to the blend (reRankOperator); the others fuse (see WindowFusion). */
    public enum FusionMethod {
        REPLACE,
        RRF,
        LINEAR
    }

    /** Every request parameter, which solrconfig.xml may also set as a default. */
    public static final java.util.Set<String> NAMES = java.util.Set.of(
            ENABLED,
            MODEL,
            RERANK_DOCS,
            FIELDS,
            FIELD_SEPARATOR,
            THRESHOLD,
            SCORE,
            TIMEOUT,
            RERANK_TIME_ALLOWED,
            RERANK_TEXT,
            RERANK_OPERATOR,
            RERANK_WEIGHT,
            RERANK_SCALE,
            RERANK_MAIN_SCALE,
            LONG_DOCS,
            WINDOW_POOLING,
            SCORE_CACHE,
            FUSION,
            RRF_K,
            NORMALIZATION,
            MODEL_WEIGHT,
            TRUST_GAP,
            MIN_CONFIDENCE);

    public static final int DEFAULT_RERANK_DOCS = 100;
    public static final int DEFAULT_MAX_RERANK_DOCS = 1000;
    public static final String DEFAULT_FIELD_SEPARATOR = " ";
    /** One day: anything larger is a typo, not a budget. */
    public static final long MAX_TIMEOUT_MILLIS = 86_400_000L;

    /**
     * Resolves parameters read through {@code reader} (request local params over solrconfig defaults).
     *
     * @param models the configured models by name, with their versions
     * @param queryText the request's q, the default reRankText; null when resolving configuration only
     * @param schema checks the fields; null when resolving configuration only
     */
    public static RerankParams resolve(
            ParamReader reader,
            Map<String, String> models,
            String defaultModel,
            int maxReRankDocs,
            String queryText,
            IndexSchema schema) {
        return resolve(reader, models, defaultModel, maxReRankDocs, queryText, schema, Map.of());
    }

    /**
     * As above, with the calibrations of the models that have one (config.json "calibration"), which
     * {@code minConfidence} needs.
     */
    public static RerankParams resolve(
            ParamReader reader,
            Map<String, String> models,
            String defaultModel,
            int maxReRankDocs,
            String queryText,
            IndexSchema schema,
            Map<String, Calibration> calibrations) {
        boolean enabled = reader.bool(ENABLED, true);
        String model = reader.string(MODEL, defaultModel);
        if (!models.containsKey(model)) {
            throw reader.error("parameter '" + MODEL + "' names no configured model: '" + ParamReader.abbreviate(model)
                    + "'; configured models are " + new ArrayList<>(models.keySet()));
        }
        int reRankDocs = reader.intIn(RERANK_DOCS, DEFAULT_RERANK_DOCS, 1, maxReRankDocs);
        List<String> fields = parseFields(reader, schema);
        String separator = reader.string(FIELD_SEPARATOR, DEFAULT_FIELD_SEPARATOR);
        Double threshold = reader.finiteDouble(THRESHOLD, null);
        ScoreTransform score = reader.oneOf(SCORE, ScoreTransform.LOGIT, ScoreTransform.class);
        long timeout = reader.longIn(TIMEOUT, 0, 0, MAX_TIMEOUT_MILLIS);
        long reRankTimeAllowed = reader.longIn(RERANK_TIME_ALLOWED, 0, 0, MAX_TIMEOUT_MILLIS);

        String text = reader.string(RERANK_TEXT, queryText);
        if (queryText != null || reader.params().get(RERANK_TEXT) != null) {
            if (text == null || text.isBlank()) {
                throw reader.error("parameter '" + RERANK_TEXT
                        + "' (default: the request's q) must be a non-empty text to pair" + " with each document");
            }
        }

        ReRankOperator operator = reader.oneOf(RERANK_OPERATOR, ReRankOperator.REPLACE, ReRankOperator.class);
        double weight = reader.finiteDouble(RERANK_WEIGHT, 1.0);
        ScoreBlender.ScaleRange modelScale = reader.parsed(RERANK_SCALE, null, RerankParams::parseScale);
        ScoreBlender.ScaleRange mainScale = reader.parsed(RERANK_MAIN_SCALE, null, RerankParams::parseScale);

        FusionMethod method = reader.oneOf(FUSION, FusionMethod.REPLACE, FusionMethod.class);
        int rrfK = reader.intIn(RRF_K, 60, 1, 1_000_000);
        Normalization normalization = reader.oneOf(NORMALIZATION, Normalization.MINMAX, Normalization.class);
        double modelWeight = reader.finiteDouble(MODEL_WEIGHT, 1.0);
        if (modelWeight < 0)
            throw reader.error("parameter '" + MODEL_WEIGHT + "' must be a finite number >= 0, got " + modelWeight);
        WindowFusion fusion = method == FusionMethod.REPLACE
                ? null
                : new WindowFusion(
                        Fusion.of(
                                method == FusionMethod.RRF ? Fusion.Method.RRF : Fusion.Method.LINEAR,
                                rrfK,
                                normalization),
                        modelWeight);

        double trustGap = reader.finiteDouble(TRUST_GAP, 0.0);
        if (trustGap < 0)
            throw reader.error("parameter '" + TRUST_GAP + "' must be a finite number >= 0 (0: always trust the"
                    + " model), got " + trustGap);

        LongDocs longDocs = reader.oneOf(LONG_DOCS, LongDocs.TRUNCATE, LongDocs.class);
        WindowPooling pooling = reader.oneOf(WINDOW_POOLING, WindowPooling.MAX, WindowPooling.class);
        boolean scoreCache = reader.bool(SCORE_CACHE, true);
        Calibration calibration = calibrations.get(model);
        Double minConfidence = reader.finiteDouble(MIN_CONFIDENCE, null);
        if (minConfidence != null && (minConfidence < 0 || minConfidence > 1)) {
            throw reader.error("parameter '" + MIN_CONFIDENCE + "' must be a number in [0, 1], got " + minConfidence);
        }
        if (minConfidence != null && calibration == null) {
            throw reader.error("parameter '" + MIN_CONFIDENCE + "' needs a calibrated model, and model '"
                    + ParamReader.abbreviate(model) + "' has no calibration (config.json \"calibration\", fitted by"
                    + " bin/calibrate); use '" + THRESHOLD + "' on the raw model score instead");
        }

        return new RerankParams(
                enabled,
                model,
                models.get(model),
                reRankDocs,
                fields,
                separator,
                threshold == null ? null : threshold.floatValue(),
                score,
                timeout,
                reRankTimeAllowed,
                text,
                new ScoreBlender(operator, weight, mainScale, modelScale),
                fusion,
                trustGap == 0 ? ModelTrust.ALWAYS : new ModelTrust(trustGap),
                new ScoringOptions(longDocs, pooling),
                scoreCache,
                minConfidence,
                calibration);
    }

    /** The calibrated confidence of a model score (after the {@code score} transform); null without calibration. */
    public Double confidence(float modelScore) {
        return calibration == null ? null : calibration.confidence(score.raw(modelScore));
    }

    /** Whether {@code threshold} or {@code minConfidence} leaves out reranked docs. */
    public boolean filters() {
        return threshold != null || minConfidence != null;
    }

    /** Whether a reranked doc with this model score (after the transform) passes threshold and minConfidence. */
    public boolean keeps(float modelScore) {
        if (threshold != null && !(modelScore >= threshold)) return false;
        return minConfidence == null || calibration.confidence(score.raw(modelScore)) >= minConfidence;
    }

    /**
     * Final scores of the window's docs (in first-pass order): fused with the first stage's lists, or blended
     * with the first-pass scores. The one function a single node and a SolrCloud coordinator both apply (through
     * {@link WindowRanking#rank}).
     *
     * @param firstStage the first stage's lists over the window (empty when no first stage stored any)
     * @param modelTrusted false when {@link ModelTrust} left the model out of this query: the fusion gives its list
     *     weight 0, and a blend keeps the first-pass scores
     */
    float[] finalScores(
            float[] firstPass,
            float[] model,
            List<org.hybridrerank.solr.fusion.RankedScores> firstStage,
            boolean modelTrusted) {
        if (fusion != null) {
            return fusion.finalScores(firstPass, model, firstStage, modelTrusted ? fusion.modelWeight() : 0);
        }
        return modelTrusted ? blender.blend(firstPass, model) : firstPass.clone();
    }

    /** Fields are checked against the schema per request; configuration may leave them to the request. */
    private static List<String> parseFields(ParamReader reader, IndexSchema schema) {
        String raw = reader.string(FIELDS, null);
        if (schema == null && raw == null) {
            return List.of();
        }
        if (raw == null || raw.isBlank()) {
            throw reader.error(
                    "parameter '" + FIELDS + "' is required: a comma-separated list of stored or docValues text"
                            + " fields whose text is paired with the query");
        }
        List<String> fields = new ArrayList<>();
        for (String part : raw.split(",")) {
            String name = part.trim();
            if (name.isEmpty()) continue;
            if (schema != null) {
                SchemaField field = schema.getFieldOrNull(name);
                if (field == null) {
                    throw reader.error("parameter '" + FIELDS + "' names a field that does not exist: '"
                            + ParamReader.abbreviate(name) + "'; use stored or docValues fields of the schema");
                }
                if (!field.stored() && !field.hasDocValues()) {
                    throw reader.error("parameter '" + FIELDS + "': field '" + name
                            + "' is neither stored nor docValues, so its text cannot be read back");
                }
            }
            fields.add(name);
        }
        if (fields.isEmpty()) {
            throw reader.error("parameter '" + FIELDS + "' must name at least one field");
        }
        return Collections.unmodifiableList(fields);
    }

    /** Solr's {@code min-max} notation with non-negative bounds, min < max. */
    static ScoreBlender.ScaleRange parseScale(String raw) {
        String[] parts = raw.trim().split("-");
        String allowed = "must be 'min-max' with 0 <= min < max (e.g. 0-1)";
        if (parts.length != 2) throw new IllegalArgumentException(allowed);
        try {
            float min = Float.parseFloat(parts[0]);
            float max = Float.parseFloat(parts[1]);
            if (!(min >= 0 && max > min && Float.isFinite(max))) throw new IllegalArgumentException(allowed);
            return new ScoreBlender.ScaleRange(min, max);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(allowed);
        }
    }
}
