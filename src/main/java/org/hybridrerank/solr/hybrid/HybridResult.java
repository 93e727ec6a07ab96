package org.hybridrerank.solr.hybrid;

import java.util.Map;
import org.apache.solr.request.SolrQueryRequest;

/** Per request: how each first-stage candidate was found, for the [hybrid] doc transformer. */
public final class HybridResult {
  private static final String KEY = HybridResult.class.getName();

  private HybridResult() {}

  static void store(SolrQueryRequest req, Map<Integer, FusedCandidate> byDoc) {
    req.getContext().put(KEY, Map.copyOf(byDoc));
  }

  /** The candidate record of a doc of this request's searcher, or null. */
  @SuppressWarnings("unchecked")
  public static FusedCandidate of(SolrQueryRequest req, int docId) {
    Map<Integer, FusedCandidate> byDoc = (Map<Integer, FusedCandidate>) req.getContext().get(KEY);
    return byDoc == null ? null : byDoc.get(docId);
  }
}
