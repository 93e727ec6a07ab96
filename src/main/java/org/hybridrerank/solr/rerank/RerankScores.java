package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.solr.common.MapWriter;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.SolrIndexSearcher;

/** Per request: the model score of each reranked doc, for doc transformers and for the SolrCloud coordinator. */
public final class RerankScores {
  private static final String KEY = RerankScores.class.getName();
  private static final String WANTED = KEY + ".wanted";
  /** Shard response section: model scores of this shard's reranked docs, by unique key. */
  public static final String SHARD_SECTION = "rerank.modelScores";

  private RerankScores() {}

  /**
   * Called by a doc transformer that reads the scores (Solr builds transformers from fl before it parses rq):
   * such a request must really rerank, since a result served from the cache has no per-doc scores.
   */
  public static void requireFor(SolrQueryRequest req) {
    req.getContext().put(WANTED, Boolean.TRUE);
  }

  static boolean required(SolrQueryRequest req) {
    return Boolean.TRUE.equals(req.getContext().get(WANTED));
  }

  static void register(SolrQueryRequest req, RerankRequestState state) {
    req.getContext().put(KEY, state);
  }

  /** Whether this request parsed a {@code {!crossencoder}} rank query. */
  public static boolean present(SolrQueryRequest req) {
    return req.getContext().get(KEY) != null;
  }

  /** The model score of a doc of this request's searcher, or null if it was not reranked. */
  public static Float modelScoreOf(SolrQueryRequest req, int docId) {
    RerankRequestState state = (RerankRequestState) req.getContext().get(KEY);
    RerankRequestState.DocScores scores = state == null ? null : state.scoresOf(docId);
    return scores == null ? null : scores.model();
  }

  /**
   * A response section, filled when the response is written (after the search): the model score of every
   * doc this request reranked, by unique key. Shards send it so the coordinator knows which docs were
   * reranked and by how much, whatever their final scores.
   */
  public static MapWriter byKeySection(SolrQueryRequest req) {
    return writer -> {
      RerankRequestState state = (RerankRequestState) req.getContext().get(KEY);
      if (state == null) return;
      for (Map.Entry<String, Float> e : byKey(req.getSearcher(), state.modelScores()).entrySet()) {
        writer.put(e.getKey(), e.getValue());
      }
    };
  }

  private static Map<String, Float> byKey(SolrIndexSearcher searcher, Map<Integer, Float> byDoc) throws IOException {
    int[] docs = byDoc.keySet().stream().mapToInt(Integer::intValue).toArray();
    String[] keys = UniqueKeys.of(searcher, docs);
    Map<String, Float> out = new LinkedHashMap<>();
    for (int i = 0; i < docs.length; i++) out.put(keys[i], byDoc.get(docs[i]));
    return out;
  }
}
