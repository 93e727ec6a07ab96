package org.hybridrerank.solr.rerank;

import org.apache.lucene.search.Query;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.GroupParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.search.QParser;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.request.RequestContext;

/** Validates the local params of one {@code {!crossencoder ...}} and builds its rank query. */
final class CrossEncoderQParser extends QParser {
    private final CrossEncoderQParserPlugin plugin;

    CrossEncoderQParser(
            String qstr,
            SolrParams localParams,
            SolrParams params,
            SolrQueryRequest req,
            CrossEncoderQParserPlugin plugin) {
        super(qstr, localParams, params, req);
        this.plugin = plugin;
    }

    @Override
    public Query parse() {
        SolrParams local = localParams == null ? SolrParams.of() : localParams;
        ParamReader reader =
                ParamReader.forRequest(SolrParams.wrapDefaults(local, plugin.defaults()), "{!crossencoder}");
        RerankParams rerank = RerankParams.resolve(
                reader,
                plugin.modelVersions(),
                plugin.defaultModel(),
                plugin.maxReRankDocs(),
                params.get(CommonParams.Q),
                req.getSchema(),
                plugin.calibrations());
        if (rerank.enabled()) rejectIncompatibleRequest(reader);
        // A queryResultCache hit never reaches the rescorer, and only successful reranks stay in that cache:
        // start from "ok" (a run replaces it with what really happened), "skipped" when nothing can be reranked.
        boolean reranks = rerank.enabled() && params.getInt(CommonParams.ROWS, 10) != 0;
        RequestContext.reportRerankStatus(reranks ? RerankStatus.OK : RerankStatus.SKIPPED, null);
        // likewise only results ranked by a trusted model stay in that cache (see RerankRequestState.notCacheable)
        if (reranks && rerank.trust().minGap() > 0) RequestContext.reportModelTrust(ModelTrust.Verdict.CACHED);
        CrossEncoderRerankQuery query =
                new CrossEncoderRerankQuery(plugin, rerank, isDebugging(), params.getBool(ShardParams.IS_SHARD, false));
        RerankScores.register(req, query);
        return query;
    }

    /**
     * Solr's rerank hook cannot honour these, and ignoring them would be a silent wrong answer: grouping drops
     * rq, cursorMark paging fails inside Solr, and a field sort would rerank the sort's top K.
     */
    private void rejectIncompatibleRequest(ParamReader reader) {
        String off = "; turn the rerank off for such requests with rq={!crossencoder enabled=false}";
        if (params.getBool(GroupParams.GROUP, false)) {
            throw reader.error("cannot be combined with group=true (Solr's rerank hook does not rerank groups)" + off);
        }
        if (params.get(CursorMarkParams.CURSOR_MARK_PARAM) != null) {
            throw reader.error(
                    "cannot be combined with cursorMark; page reranked results with start/rows (up to maxReRankDocs)"
                            + off);
        }
        int purpose = params.getInt(ShardParams.SHARDS_PURPOSE, ShardRequest.PURPOSE_GET_TOP_IDS);
        if (params.getBool(ShardParams.IS_SHARD, false)
                && (purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0
                && params.getInt(CommonParams.ROWS, 10) != 0
                && params.get(RerankScores.SHARD_WINDOW) == null
                && params.get(RerankScores.HYBRID_CANDIDATES) == null) {
            throw reader.error("on SolrCloud needs the coordinator's global window, or each shard would rerank its own"
                    + " top K and the merged scores would not compare: put the hybrid search component in the"
                    + " handler's first-components (docs/solrcloud.md)" + off);
        }
        String sort = params.get(CommonParams.SORT);
        if (sort != null && !sort.isBlank() && !PRIMARY_SCORE_DESC.matcher(sort).lookingAt()) {
            throw reader.error("ranks by relevance, so 'sort' must start with 'score desc', got '"
                    + ParamReader.abbreviate(sort) + "'" + off);
        }
    }

    private static final java.util.regex.Pattern PRIMARY_SCORE_DESC =
            java.util.regex.Pattern.compile("\\s*score\\s+desc\\s*(,|$)", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * Whether any debug output was asked for (debug=..., debugQuery=true): explanations and stage timings are
     * those of a run, so such a request bypasses the queryResultCache.
     */
    private boolean isDebugging() {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        ResponseBuilder rb = info == null ? null : info.getResponseBuilder();
        if (rb != null) return rb.isDebug();
        if (params.getBool(CommonParams.DEBUG_QUERY, false)) return true;
        String[] debug = params.getParams(CommonParams.DEBUG);
        return debug != null && debug.length > 0;
    }
}
