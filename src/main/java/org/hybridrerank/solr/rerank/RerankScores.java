package org.hybridrerank.solr.rerank;

import org.apache.solr.request.SolrQueryRequest;

/** Per request: the model score of each reranked doc, for doc transformers. */
public final class RerankScores {
  private static final String KEY = RerankScores.class.getName();

  private RerankScores() {}

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
