package org.hybridrerank.solr.rerank;

import org.apache.solr.request.SolrQueryRequest;

/** Per request: the model score of each reranked doc, for doc transformers. */
public final class RerankScores {
  private static final String KEY = RerankScores.class.getName();
  private static final String WANTED = KEY + ".wanted";

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

  /** The model score of a doc of this request's searcher, or null if it was not reranked. */
  public static Float modelScoreOf(SolrQueryRequest req, int docId) {
    RerankRequestState state = (RerankRequestState) req.getContext().get(KEY);
    RerankRequestState.DocScores scores = state == null ? null : state.scoresOf(docId);
    return scores == null ? null : scores.model();
  }
}
