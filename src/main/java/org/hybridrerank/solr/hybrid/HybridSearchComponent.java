package org.hybridrerank.solr.hybrid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.QParser;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.util.plugin.SolrCoreAware;
import org.hybridrerank.solr.config.ModelLocator;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.model.InferenceException;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.model.TextEmbedder;

/**
 * The first stage of two-stage retrieval: a BM25 (edismax) subquery and a kNN subquery over the request's
 * filters, fused with Reciprocal Rank Fusion; the fused candidates replace the main query, so the request's
 * {@code rq} reranks them and paging, fl, facets and highlighting work as usual. Registered as a
 * first-component: its prepare validates the parameters, and its process runs after QueryComponent has parsed
 * q and fq but before it searches.
 */
public class HybridSearchComponent extends SearchComponent implements SolrCoreAware {
  public static final String NAME = "hybrid";
  static final String CONTEXT = "solrconfig.xml <searchComponent name=\"hybrid\">";
  private static final String PARAMS_KEY = HybridSearchComponent.class.getName() + ".params";
  private static final Set<String> OWN_KEYS = Set.of("embedder", "embedderThreads", "maxTopN");

  private NamedList<?> args = new NamedList<>();
  private SolrParams defaults = SolrParams.of();
  private int maxTopN = HybridParams.DEFAULT_MAX_TOP_N;
  private ModelRegistry.Lease<TextEmbedder> embedder;

  @Override
  public void init(NamedList<?> args) {
    this.args = args == null ? new NamedList<>() : args;
    ModifiableSolrParams preset = new ModifiableSolrParams();
    ParamReader config = ParamReader.forConfig(this.args.toSolrParams(), CONTEXT);
    for (Map.Entry<String, ?> entry : this.args) {
      String param = HybridParams.CONFIG_NAMES.get(entry.getKey());
      if (param != null) {
        preset.set(param, String.valueOf(entry.getValue()));
      } else if (!OWN_KEYS.contains(entry.getKey())) {
        throw config.error(
            "unknown setting '" + entry.getKey() + "'; allowed: " + new java.util.TreeSet<>(HybridParams.CONFIG_NAMES.keySet())
                + " and " + new java.util.TreeSet<>(OWN_KEYS));
      }
    }
    this.defaults = preset;
    this.maxTopN = config.intIn("maxTopN", HybridParams.DEFAULT_MAX_TOP_N, 1, 100_000);
  }

  @Override
  public void inform(SolrCore core) {
    ParamReader config = ParamReader.forConfig(args.toSolrParams(), CONTEXT);
    String embedderPath = config.string("embedder", null);
    if (embedderPath != null) {
      embedder =
          ModelLocator.acquireEmbedder(
              embedderPath, config.intIn("embedderThreads", 0, 0, 1024), core.getResourceLoader(), config);
      core.addCloseHook(
          new CloseHook() {
            @Override
            public void preClose(SolrCore c) {
              embedder.close();
            }
          });
    }
    String vectorField = defaults.get(HybridParams.VECTOR_FIELD);
    if (vectorField != null) {
      SchemaField field = core.getLatestSchema().getFieldOrNull(vectorField);
      if (field == null || !(field.getType() instanceof DenseVectorField dense)) {
        throw config.error("'vectorField' must name a DenseVectorField of the schema, got '" + vectorField + "'");
      }
      if (embedder != null && dense.getDimension() != embedder.model().dimension()) {
        throw config.error(
            "vector field '" + vectorField + "' has dimension " + dense.getDimension() + " but the embedder "
                + embedder.model().directory() + " produces " + embedder.model().dimension());
      }
    }
  }

  @Override
  public void prepare(ResponseBuilder rb) {
    SolrParams params = rb.req.getParams();
    ParamReader reader = ParamReader.forRequest(SolrParams.wrapDefaults(params, defaults), "hybrid");
    if (!reader.bool(HybridParams.ENABLED, false)) return;
    HybridParams hybrid = HybridParams.resolve(reader, maxTopN, params.get(CommonParams.Q), rb.req.getSchema());
    if (hybrid.mode().usesVector() && hybrid.vector() == null && embedder == null) {
      throw reader.error(
          "no query vector: give '" + HybridParams.VECTOR + "' or configure an 'embedder' on the component");
    }
    rb.req.getContext().put(PARAMS_KEY, hybrid);
  }

  @Override
  public void process(ResponseBuilder rb) throws IOException {
    HybridParams hybrid = (HybridParams) rb.req.getContext().get(PARAMS_KEY);
    if (hybrid == null) return;
    SolrQueryRequest req = rb.req;
    SolrIndexSearcher searcher = req.getSearcher();
    String text = req.getParams().get(CommonParams.Q);
    SimpleOrderedMap<Object> timings = new SimpleOrderedMap<>();

    ReciprocalRankFusion.RankedList lexical = ReciprocalRankFusion.RankedList.EMPTY;
    ReciprocalRankFusion.RankedList vector = ReciprocalRankFusion.RankedList.EMPTY;
    try {
      if (hybrid.mode().usesLexical()) {
        long start = System.nanoTime();
        Query query = subquery("edismax", text, Map.of("qf", hybrid.qf()), req);
        lexical = ranked(searcher.getDocList(query, rb.getFilters(), null, 0, hybrid.lexicalTopN(), SolrIndexSearcher.GET_SCORES));
        timings.add("lexicalMs", (System.nanoTime() - start) / 1e6);
      }
      if (hybrid.mode().usesVector()) {
        long start = System.nanoTime();
        float[] queryVector = hybrid.vector();
        if (queryVector == null) {
          try {
            queryVector = embedder.model().embed(text);
          } catch (InferenceException e) {
            throw new SolrException(
                SolrException.ErrorCode.SERVICE_UNAVAILABLE, "hybrid: cannot embed the query: " + e.getMessage(), e);
          }
          timings.add("embedMs", (System.nanoTime() - start) / 1e6);
          start = System.nanoTime();
        }
        Query query =
            subquery(
                "knn",
                vectorString(queryVector),
                Map.of("f", hybrid.vectorField(), "topK", Integer.toString(hybrid.vectorTopN()), "v", vectorString(queryVector)),
                req);
        vector = ranked(searcher.getDocList(query, rb.getFilters(), null, 0, hybrid.vectorTopN(), SolrIndexSearcher.GET_SCORES));
        timings.add("vectorMs", (System.nanoTime() - start) / 1e6);
      }
    } catch (SyntaxError e) {
      throw new SolrException(SolrException.ErrorCode.BAD_REQUEST, "hybrid: " + e.getMessage(), e);
    }

    long start = System.nanoTime();
    List<FusedCandidate> candidates = candidates(hybrid, lexical, vector);
    int[] docs = new int[candidates.size()];
    float[] scores = new float[candidates.size()];
    Map<Integer, FusedCandidate> byDoc = new HashMap<>(candidates.size() * 2);
    for (int i = 0; i < docs.length; i++) {
      docs[i] = candidates.get(i).doc();
      scores[i] = candidates.get(i).fusedScore();
      byDoc.put(docs[i], candidates.get(i));
    }
    rb.setQuery(new FusedCandidatesQuery(docs, scores, describe(hybrid)));
    HybridResult.store(req, byDoc);
    timings.add("fuseMs", (System.nanoTime() - start) / 1e6);
    if (rb.isDebug()) {
      timings.add("mode", hybrid.mode().label());
      timings.add("lexicalHits", lexical.size());
      timings.add("vectorHits", vector.size());
      timings.add("candidates", docs.length);
      rb.addDebugInfo("hybrid", timings);
    }
  }

  /** RRF over both lists, or one list with its own scores and the same tie-breaking. */
  static List<FusedCandidate> candidates(
      HybridParams hybrid, ReciprocalRankFusion.RankedList lexical, ReciprocalRankFusion.RankedList vector) {
    if (hybrid.mode() == HybridParams.Mode.RRF) {
      return ReciprocalRankFusion.fuse(lexical, vector, hybrid.rrfK(), hybrid.lexicalWeight(), hybrid.vectorWeight());
    }
    boolean isLexical = hybrid.mode() == HybridParams.Mode.LEXICAL;
    ReciprocalRankFusion.RankedList list = isLexical ? lexical : vector;
    List<FusedCandidate> out = new ArrayList<>(list.size());
    for (int r = 0; r < list.size(); r++) {
      float score = list.scores()[r];
      out.add(
          isLexical
              ? new FusedCandidate(list.docs()[r], score, r + 1, score, 0, 0f)
              : new FusedCandidate(list.docs()[r], score, 0, 0f, r + 1, score));
    }
    return out;
  }

  private static String describe(HybridParams hybrid) {
    return switch (hybrid.mode()) {
      case RRF -> "rrf k=" + hybrid.rrfK() + " lexical:" + hybrid.lexicalWeight() + ",vector:" + hybrid.vectorWeight();
      case LEXICAL -> "lexical";
      case VECTOR -> "vector";
    };
  }

  private static Query subquery(String parser, String text, Map<String, String> local, SolrQueryRequest req)
      throws SyntaxError {
    ModifiableSolrParams localParams = new ModifiableSolrParams();
    local.forEach(localParams::set);
    QParser qparser = req.getCore().getQueryPlugin(parser).createParser(text, localParams, req.getParams(), req);
    Query query = qparser.getQuery();
    return query == null ? new MatchNoDocsQuery() : query;
  }

  private static String vectorString(float[] vector) {
    StringBuilder sb = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      if (i > 0) sb.append(',');
      sb.append(vector[i]);
    }
    return sb.append(']').toString();
  }

  private static ReciprocalRankFusion.RankedList ranked(DocList list) {
    int[] docs = new int[list.size()];
    float[] scores = new float[list.size()];
    DocIterator it = list.iterator();
    for (int i = 0; it.hasNext(); i++) {
      docs[i] = it.nextDoc();
      scores[i] = it.score();
    }
    return new ReciprocalRankFusion.RankedList(docs, scores);
  }

  @Override
  public String getDescription() {
    return "Hybrid first stage: BM25 + kNN fused with Reciprocal Rank Fusion";
  }
}
