package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.util.BytesRef;
import org.apache.solr.handler.component.QueryElevationComponent;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.search.AbstractReRankQuery;
import org.apache.solr.search.QueryCommand;
import org.apache.solr.search.ReRankCollector;

/**
 * The {@code rq={!crossencoder}} rank query: wraps the main query and reranks its top {@code reRankDocs}.
 * Its cache identity is the main query plus {@link RerankParams} (model name and version included); a query
 * whose rerank failed stops being equal to anything, so its first-pass fallback is never served from the
 * query result cache.
 */
public final class CrossEncoderRerankQuery extends AbstractReRankQuery {
  private final CrossEncoderQParserPlugin plugin;
  private final RerankParams params;
  private final RerankRequestState state;
  private final boolean explaining;

  CrossEncoderRerankQuery(CrossEncoderQParserPlugin plugin, RerankParams params, boolean explaining) {
    this(new MatchAllDocsQuery(), plugin, params, new RerankRequestState(), explaining);
  }

  private CrossEncoderRerankQuery(
      Query mainQuery, CrossEncoderQParserPlugin plugin, RerankParams params, RerankRequestState state, boolean explaining) {
    super(
        mainQuery,
        params.reRankDocs(),
        new CrossEncoderRescorer(plugin.model(params.model()), params, state, plugin.metrics(), plugin.scoreCacheName()),
        null,
        params.blender().operator());
    this.plugin = plugin;
    this.params = params;
    this.state = state;
    this.explaining = explaining;
  }

  public RerankParams params() {
    return params;
  }

  RerankRequestState state() {
    return state;
  }

  @Override
  @SuppressWarnings("unchecked")
  public TopDocsCollector<? extends ScoreDoc> getTopDocsCollector(int len, QueryCommand cmd, IndexSearcher searcher)
      throws IOException {
    SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
    if (boostedPriority == null && info != null) {
      Map<Object, Object> context = info.getReq().getContext();
      boostedPriority = (Set<BytesRef>) context.get(QueryElevationComponent.BOOSTED);
    }
    if (info != null) {
      info.addCloseHook(state::release);
    }
    int window = reRankDocs;
    if (mainQuery instanceof RerankWindow limited && limited.rerankWindow() >= 0) {
      window = Math.min(window, limited.rerankWindow());
    }
    ReRankCollector reRank =
        new ReRankCollector(window, len, reRankQueryRescorer, cmd, searcher, boostedPriority, null, reRankOperator);
    return new CrossEncoderRerankCollector(reRank, len, params.threshold(), state);
  }

  @Override
  protected Query rewrite(Query rewrittenMainQuery) {
    return new CrossEncoderRerankQuery(rewrittenMainQuery, plugin, params, state, explaining);
  }

  /**
   * Explanations and score-reading transformers need this request's per-doc scores, so such a request must
   * really run, not hit the cache.
   */
  @Override
  public boolean getCache() {
    return !explaining && super.getCache();
  }

  @Override
  public boolean equals(Object other) {
    if (!sameClassAs(other)) return false;
    CrossEncoderRerankQuery that = (CrossEncoderRerankQuery) other;
    return state.cacheable()
        && that.state.cacheable()
        && mainQuery.equals(that.mainQuery)
        && params.equals(that.params);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * classHash() + mainQuery.hashCode()) + params.hashCode();
  }

  @Override
  public String toString(String field) {
    return "{!crossencoder mainQuery='" + mainQuery.toString(field) + "' " + params + "}";
  }
}
