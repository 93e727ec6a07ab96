package org.hybridrerank.solr.rerank;

import org.apache.lucene.search.Query;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.search.QParser;
import org.hybridrerank.solr.config.ParamReader;

/** Validates the local params of one {@code {!crossencoder ...}} and builds its rank query. */
final class CrossEncoderQParser extends QParser {
  private final CrossEncoderQParserPlugin plugin;

  CrossEncoderQParser(
      String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req, CrossEncoderQParserPlugin plugin) {
    super(qstr, localParams, params, req);
    this.plugin = plugin;
  }

  @Override
  public Query parse() {
    SolrParams local = localParams == null ? SolrParams.of() : localParams;
    ParamReader reader =
        ParamReader.forRequest(SolrParams.wrapDefaults(local, plugin.defaults()), "{!crossencoder}");
    RerankParams rerank =
        RerankParams.resolve(
            reader,
            plugin.modelVersions(),
            plugin.defaultModel(),
            plugin.maxReRankDocs(),
            params.get(CommonParams.Q),
            req.getSchema());
    // A result cache hit never reaches the rescorer: it holds a rerank that succeeded, so start from "ok".
    (params.getInt(CommonParams.ROWS, 10) == 0 ? RerankStatus.SKIPPED : RerankStatus.OK).report(null);
    CrossEncoderRerankQuery query = new CrossEncoderRerankQuery(plugin.model(rerank.model()), rerank, isExplaining() || RerankScores.required(req));
    RerankScores.register(req, query.state());
    return query;
  }

  /** Whether per-doc explanations were asked for (debug=true, debug=results or debugQuery=true). */
  private boolean isExplaining() {
    SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
    ResponseBuilder rb = info == null ? null : info.getResponseBuilder();
    if (rb != null) return rb.isDebugResults();
    if (params.getBool(CommonParams.DEBUG_QUERY, false)) return true;
    String[] debug = params.getParams(CommonParams.DEBUG);
    return debug != null
        && java.util.Arrays.stream(debug).anyMatch(d -> d.equals("true") || d.equals(CommonParams.RESULTS));
  }
}
