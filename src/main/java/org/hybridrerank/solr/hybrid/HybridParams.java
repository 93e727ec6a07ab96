package org.hybridrerank.solr.hybrid;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.SchemaField;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.fusion.Fusion;
import org.hybridrerank.solr.fusion.Normalization;

/** The first stage of one request, validated: which lists, how long, how fused, and the query vector. */
public record HybridParams(
        Mode mode,
        String qf,
        LexicalSyntax lexicalSyntax,
        int lexicalTopN,
        String vectorField,
        int vectorTopN,
        int vectorExactMaxDocs,
        int rrfK,
        Normalization normalization,
        double lexicalWeight,
        double vectorWeight,
        float[] vector) {

    /**
     * {@code rrf} and {@code linear} fuse both lists (Reciprocal Rank Fusion; linear combination after
     * per-query normalization); {@code lexical} and {@code vector} keep one, with its own scores.
     */
    public enum Mode {
        RRF,
        LINEAR,
        LEXICAL,
        VECTOR;

        boolean usesLexical() {
            return this != VECTOR;
        }

        boolean usesVector() {
            return this != LEXICAL;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final String ENABLED = "hybrid";
    public static final String MODE = "hybrid.mode";
    public static final String QF = "hybrid.qf";
    public static final String LEXICAL_SYNTAX = "hybrid.lexical.syntax";
    public static final String LEXICAL_TOP_N = "hybrid.lexical.topN";
    public static final String VECTOR_FIELD = "hybrid.vector.field";
    public static final String VECTOR_TOP_N = "hybrid.vector.topN";
    public static final String VECTOR_EXACT_MAX_DOCS = "hybrid.vector.exactMaxDocs";
    public static final String RRF_K = "hybrid.rrf.k";
    public static final String NORMALIZATION = "hybrid.normalization";
    public static final String WEIGHTS = "hybrid.weights";
    public static final String VECTOR = "hybrid.vector";

    /** solrconfig.xml names of the defaults, mapped to the request parameters they preset. */
    public static final Map<String, String> CONFIG_NAMES = Map.of(
            "mode", MODE,
            "qf", QF,
            "lexicalSyntax", LEXICAL_SYNTAX,
            "lexicalTopN", LEXICAL_TOP_N,
            "vectorField", VECTOR_FIELD,
            "vectorTopN", VECTOR_TOP_N,
            "vectorExactMaxDocs", VECTOR_EXACT_MAX_DOCS,
            "rrfK", RRF_K,
            "normalization", NORMALIZATION,
            "weights", WEIGHTS);

    /** Exact decimals, rounded once to float: a vector written with Float.toString reads back bit for bit. */
    private static final ObjectMapper VECTOR_JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public static final int DEFAULT_TOP_N = 100;
    public static final int DEFAULT_MAX_TOP_N = 1000;
    public static final int DEFAULT_RRF_K = 60;
    /**
     * Up to this many docs in an index (a shard), the vector list is exact (every vector compared, a few ms
     * per 10,000 docs of 384 dimensions) rather than HNSW's approximation: exact lists are what let a sharded
     * collection give the one-node answer.
     */
    public static final int DEFAULT_VECTOR_EXACT_MAX_DOCS = 10_000;

    /** How the two lists are fused in the {@code rrf} and {@code linear} modes. */
    public Fusion fusion() {
        return Fusion.of(mode == Mode.LINEAR ? Fusion.Method.LINEAR : Fusion.Method.RRF, rrfK, normalization);
    }

    /**
     * @param queryText the request's q
     * @param schema checks the vector field and gives its dimension
     */
    public static HybridParams resolve(ParamReader reader, int maxTopN, String queryText, IndexSchema schema) {
        Mode mode = reader.oneOf(MODE, Mode.RRF, Mode.class);
        String qf = reader.string(QF, null);
        if (mode.usesLexical() && (qf == null || qf.isBlank())) {
            throw reader.error("parameter '" + QF + "' is required for hybrid.mode=" + mode.label()
                    + ": edismax query fields, e.g. 'title_text' or 'title^2 text'");
        }
        LexicalSyntax lexicalSyntax = reader.oneOf(LEXICAL_SYNTAX, LexicalSyntax.TEXT, LexicalSyntax.class);
        int lexicalTopN = reader.intIn(LEXICAL_TOP_N, DEFAULT_TOP_N, 1, maxTopN);
        int vectorTopN = reader.intIn(VECTOR_TOP_N, DEFAULT_TOP_N, 1, maxTopN);
        int vectorExactMaxDocs =
                reader.intIn(VECTOR_EXACT_MAX_DOCS, DEFAULT_VECTOR_EXACT_MAX_DOCS, 0, Integer.MAX_VALUE);
        int rrfK = reader.intIn(RRF_K, DEFAULT_RRF_K, 1, 1_000_000);
        Normalization normalization = reader.oneOf(NORMALIZATION, Normalization.MINMAX, Normalization.class);
        double[] weights = parseWeights(reader);

        String vectorField = reader.string(VECTOR_FIELD, null);
        float[] vector = null;
        if (mode.usesVector()) {
            DenseVectorField field = vectorField(reader, vectorField, schema);
            vector = reader.parsed(VECTOR, null, raw -> parseVector(raw, field));
        }
        boolean needsText = mode.usesLexical() || vector == null;
        if (needsText && (queryText == null || queryText.isBlank())) {
            throw reader.error("parameter 'q' must hold the query text for hybrid.mode=" + mode.label()
                    + (mode.usesVector() ? " (or give the query vector in '" + VECTOR + "')" : ""));
        }
        return new HybridParams(
                mode,
                qf,
                lexicalSyntax,
                lexicalTopN,
                vectorField,
                vectorTopN,
                vectorExactMaxDocs,
                rrfK,
                normalization,
                weights[0],
                weights[1],
                vector);
    }

    private static DenseVectorField vectorField(ParamReader reader, String name, IndexSchema schema) {
        if (name == null || name.isBlank()) {
            throw reader.error("parameter '" + VECTOR_FIELD + "' is required: a DenseVectorField of the schema");
        }
        SchemaField field = schema.getFieldOrNull(name);
        if (field == null || !(field.getType() instanceof DenseVectorField dense)) {
            throw reader.error("parameter '" + VECTOR_FIELD + "' must name a DenseVectorField, got '"
                    + ParamReader.abbreviate(name) + "'"
                    + (field == null
                            ? " (no such field)"
                            : " (a " + field.getType().getClass().getSimpleName() + ")"));
        }
        return dense;
    }

    /** {@code lexical:1,vector:0.5}; unnamed lists keep weight 1. */
    private static double[] parseWeights(ParamReader reader) {
        double[] weights = {1.0, 1.0};
        String raw = reader.string(WEIGHTS, null);
        if (raw == null) return weights;
        String allowed = "must be 'lexical:W,vector:W' with finite weights >= 0, not both 0";
        for (String part : raw.split(",")) {
            String[] kv = part.split(":");
            if (kv.length != 2)
                throw reader.error(
                        "parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
            int index =
                    switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
                        case "lexical" -> 0;
                        case "vector" -> 1;
                        default ->
                            throw reader.error("parameter '" + WEIGHTS + "' names unknown list '"
                                    + ParamReader.abbreviate(kv[0].trim()) + "'; lists are lexical, vector");
                    };
            try {
                weights[index] = Double.parseDouble(kv[1].trim());
            } catch (NumberFormatException e) {
                throw reader.error(
                        "parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
            }
            if (!Double.isFinite(weights[index]) || weights[index] < 0) {
                throw reader.error(
                        "parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
            }
        }
        if (weights[0] == 0 && weights[1] == 0) {
            throw reader.error(
                    "parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
        }
        return weights;
    }

    private static float[] parseVector(String raw, DenseVectorField field) {
        int dimension = field.getDimension();
        String allowed = "must be a JSON array of " + dimension + " finite numbers";
        JsonNode node;
        try {
            node = VECTOR_JSON.readTree(raw);
        } catch (Exception e) {
            throw new IllegalArgumentException(allowed);
        }
        if (node == null || !node.isArray()) throw new IllegalArgumentException(allowed);
        if (node.size() != dimension)
            throw new IllegalArgumentException(allowed + " (the field's dimension), got " + node.size() + " values");
        float[] vector = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            JsonNode v = node.get(i);
            if (!v.isNumber()) throw new IllegalArgumentException(allowed);
            vector[i] = v.decimalValue().floatValue();
            if (!Float.isFinite(vector[i])) throw new IllegalArgumentException(allowed);
        }
        float squaredNorm = 0;
        for (float v : vector) squaredNorm += v * v;
        if (!Float.isFinite(squaredNorm)) {
            throw new IllegalArgumentException(
                    allowed + " whose squared norm is a finite float (values up to about 1e18)");
        }
        if (field.getSimilarityFunction() == VectorSimilarityFunction.COSINE && isZero(vector)) {
            throw new IllegalArgumentException(
                    allowed + ", not all zero (cosine similarity has no direction to compare)");
        }
        return vector;
    }

    private static boolean isZero(float[] vector) {
        for (float v : vector) if (v != 0f) return false;
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HybridParams p
                && mode == p.mode
                && java.util.Objects.equals(qf, p.qf)
                && lexicalSyntax == p.lexicalSyntax
                && lexicalTopN == p.lexicalTopN
                && java.util.Objects.equals(vectorField, p.vectorField)
                && vectorTopN == p.vectorTopN
                && vectorExactMaxDocs == p.vectorExactMaxDocs
                && rrfK == p.rrfK
                && normalization == p.normalization
                && lexicalWeight == p.lexicalWeight
                && vectorWeight == p.vectorWeight
                && java.util.Arrays.equals(vector, p.vector);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(
                                mode,
                                qf,
                                lexicalSyntax,
                                lexicalTopN,
                                vectorField,
                                vectorTopN,
                                vectorExactMaxDocs,
                                rrfK,
                                normalization,
                                lexicalWeight,
                                vectorWeight)
                        * 31
                + java.util.Arrays.hashCode(vector);
    }
}
