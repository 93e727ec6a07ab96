package org.hybridrerank.solr.hybrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.SchemaField;
import org.hybridrerank.solr.config.ParamReader;

/** The first stage of one request, validated: which lists, how long, how fused, and the query vector. */
public record HybridParams(
    Mode mode,
    String qf,
    int lexicalTopN,
    String vectorField,
    int vectorTopN,
    int rrfK,
    double lexicalWeight,
    double vectorWeight,
    float[] vector) {

  /** {@code rrf} fuses both lists; {@code lexical} and {@code vector} keep one, with its own scores. */
  public enum Mode {
    RRF,
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
  public static final String LEXICAL_TOP_N = "hybrid.lexical.topN";
  public static final String VECTOR_FIELD = "hybrid.vector.field";
  public static final String VECTOR_TOP_N = "hybrid.vector.topN";
  public static final String RRF_K = "hybrid.rrf.k";
  public static final String WEIGHTS = "hybrid.weights";
  public static final String VECTOR = "hybrid.vector";

  /** solrconfig.xml names of the defaults, mapped to the request parameters they preset. */
  public static final Map<String, String> CONFIG_NAMES =
      Map.of(
          "mode", MODE,
          "qf", QF,
          "lexicalTopN", LEXICAL_TOP_N,
          "vectorField", VECTOR_FIELD,
          "vectorTopN", VECTOR_TOP_N,
          "rrfK", RRF_K,
          "weights", WEIGHTS);

  public static final int DEFAULT_TOP_N = 100;
  public static final int DEFAULT_MAX_TOP_N = 1000;
  public static final int DEFAULT_RRF_K = 60;

  /**
   * @param queryText the request's q
   * @param schema checks the vector field and gives its dimension
   */
  public static HybridParams resolve(ParamReader reader, int maxTopN, String queryText, IndexSchema schema) {
    Mode mode = reader.oneOf(MODE, Mode.RRF, Mode.class);
    String qf = reader.string(QF, null);
    if (mode.usesLexical() && (qf == null || qf.isBlank())) {
      throw reader.error("parameter '" + QF + "' is required for hybrid.mode=" + mode.label() + ": edismax query fields, e.g. 'title^2 text'");
    }
    int lexicalTopN = reader.intIn(LEXICAL_TOP_N, DEFAULT_TOP_N, 1, maxTopN);
    int vectorTopN = reader.intIn(VECTOR_TOP_N, DEFAULT_TOP_N, 1, maxTopN);
    int rrfK = reader.intIn(RRF_K, DEFAULT_RRF_K, 1, 1_000_000);
    double[] weights = parseWeights(reader);

    String vectorField = reader.string(VECTOR_FIELD, null);
    float[] vector = null;
    if (mode.usesVector()) {
      int dimension = vectorDimension(reader, vectorField, schema);
      vector = reader.parsed(VECTOR, null, raw -> parseVector(raw, dimension));
    }
    boolean needsText = mode.usesLexical() || vector == null;
    if (needsText && (queryText == null || queryText.isBlank())) {
      throw reader.error(
          "parameter 'q' must hold the query text for hybrid.mode=" + mode.label()
              + (mode.usesVector() ? " (or give the query vector in '" + VECTOR + "')" : ""));
    }
    return new HybridParams(mode, qf, lexicalTopN, vectorField, vectorTopN, rrfK, weights[0], weights[1], vector);
  }

  private static int vectorDimension(ParamReader reader, String name, IndexSchema schema) {
    if (name == null || name.isBlank()) {
      throw reader.error("parameter '" + VECTOR_FIELD + "' is required: a DenseVectorField of the schema");
    }
    SchemaField field = schema.getFieldOrNull(name);
    if (field == null || !(field.getType() instanceof DenseVectorField dense)) {
      throw reader.error(
          "parameter '" + VECTOR_FIELD + "' must name a DenseVectorField, got '" + ParamReader.abbreviate(name) + "'"
              + (field == null ? " (no such field)" : " (a " + field.getType().getClass().getSimpleName() + ")"));
    }
    return dense.getDimension();
  }

  /** {@code lexical:1,vector:0.5}; unnamed lists keep weight 1. */
  private static double[] parseWeights(ParamReader reader) {
    double[] weights = {1.0, 1.0};
    String raw = reader.string(WEIGHTS, null);
    if (raw == null) return weights;
    String allowed = "must be 'lexical:W,vector:W' with finite weights >= 0, not both 0";
    for (String part : raw.split(",")) {
      String[] kv = part.split(":");
      if (kv.length != 2) throw reader.error("parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
      int index =
          switch (kv[0].trim().toLowerCase(Locale.ROOT)) {
            case "lexical" -> 0;
            case "vector" -> 1;
            default -> throw reader.error(
                "parameter '" + WEIGHTS + "' names unknown list '" + ParamReader.abbreviate(kv[0].trim()) + "'; lists are lexical, vector");
          };
      try {
        weights[index] = Double.parseDouble(kv[1].trim());
      } catch (NumberFormatException e) {
        throw reader.error("parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
      }
      if (!Double.isFinite(weights[index]) || weights[index] < 0) {
        throw reader.error("parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
      }
    }
    if (weights[0] == 0 && weights[1] == 0) {
      throw reader.error("parameter '" + WEIGHTS + "' " + allowed + ", got '" + ParamReader.abbreviate(raw) + "'");
    }
    return weights;
  }

  private static float[] parseVector(String raw, int dimension) {
    String allowed = "must be a JSON array of " + dimension + " finite numbers";
    JsonNode node;
    try {
      node = new ObjectMapper().readTree(raw);
    } catch (Exception e) {
      throw new IllegalArgumentException(allowed);
    }
    if (node == null || !node.isArray()) throw new IllegalArgumentException(allowed);
    if (node.size() != dimension) throw new IllegalArgumentException(allowed + " (the field's dimension), got " + node.size() + " values");
    float[] vector = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      JsonNode v = node.get(i);
      if (!v.isNumber() || !Float.isFinite((float) v.asDouble())) throw new IllegalArgumentException(allowed);
      vector[i] = (float) v.asDouble();
    }
    return vector;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HybridParams p
        && mode == p.mode
        && java.util.Objects.equals(qf, p.qf)
        && lexicalTopN == p.lexicalTopN
        && java.util.Objects.equals(vectorField, p.vectorField)
        && vectorTopN == p.vectorTopN
        && rrfK == p.rrfK
        && lexicalWeight == p.lexicalWeight
        && vectorWeight == p.vectorWeight
        && java.util.Arrays.equals(vector, p.vector);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(mode, qf, lexicalTopN, vectorField, vectorTopN, rrfK, lexicalWeight, vectorWeight)
        * 31 + java.util.Arrays.hashCode(vector);
  }
}
