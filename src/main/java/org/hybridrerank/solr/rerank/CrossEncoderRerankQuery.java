package org.hybridrerank.solr.rerank;

import com.carrotsearch.hppc.IntIntHashMap;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.solr.handler.component.MergeStrategy;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.search.AbstractReRankQuery;
import org.apache.solr.search.QueryCommand;
import org.apache.solr.search.QueryResultKey;
import org.apache.solr.search.ReRankCollector;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.request.RequestContext;

/**
 * The {@code rq={!crossencoder}} rank query: wraps the main query and reranks its top {@code reRankDocs}.
 * Its cache identity is the main query plus {@link RerankParams} (model name and version included). Only a
 * rerank that succeeded stays in the queryResultCache: one that failed, timed out or had nothing to rerank is
 * taken out again at the end of its request (and equals no other query meanwhile), so a cache hit always
 * means "reranked" and reports {@code rerank.status=ok}.
 */
public final class CrossEncoderRerankQuery extends AbstractReRankQuery {
    private final CrossEncoderQParserPlugin plugin;
    private final RerankParams params;
    private final RerankRequestState state;
    private final boolean explaining;
    private final boolean shard;
    /** Docs this shard reranks at most (its part of the coordinator's global window), -1 for no limit. */
    private final int windowLimit;

    /**
     * @param shard a SolrCloud shard request: the coordinator orders the page and sets the scores below the
     *     window (a shard's own window is only its part of the global one), so the shard leaves them as they are
     */
    CrossEncoderRerankQuery(CrossEncoderQParserPlugin plugin, RerankParams params, boolean explaining, boolean shard) {
        this(new MatchAllDocsQuery(), plugin, params, new RerankRequestState(), explaining, shard, -1);
    }

    private CrossEncoderRerankQuery(
            Query mainQuery,
            CrossEncoderQParserPlugin plugin,
            RerankParams params,
            RerankRequestState state,
            boolean explaining,
            boolean shard,
            int windowLimit) {
        super(
                mainQuery,
                params.reRankDocs(),
                new CrossEncoderRescorer(
                        plugin.model(params.model()), params, state, plugin.metrics(), plugin.scoreCacheName()),
                null,
                params.blender().operator());
        this.plugin = plugin;
        this.params = params;
        this.state = state;
        this.explaining = explaining;
        this.shard = shard;
        this.windowLimit = windowLimit;
    }

    /**
     * This rank query reranking at most {@code limit} docs: a SolrCloud shard's part of the global window (plain
     * {@code {!crossencoder}}, see DistributedRerank). Same request state; a different cache identity.
     */
    public CrossEncoderRerankQuery limitedTo(int limit) {
        return new CrossEncoderRerankQuery(mainQuery, plugin, params, state, explaining, shard, limit);
    }

    public RerankParams params() {
        return params;
    }

    RerankRequestState state() {
        return state;
    }

    @Override
    public TopDocsCollector<? extends ScoreDoc> getTopDocsCollector(int len, QueryCommand cmd, IndexSearcher searcher)
            throws IOException {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        if (boostedPriority == null && info != null) boostedPriority = RequestContext.elevatedIds(info.getReq());
        if (info != null) {
            QueryResultKey key = QueryResultCacheEntries.keyOf(cmd);
            SolrIndexSearcher solrSearcher = (SolrIndexSearcher) searcher;
            info.addCloseHook(() -> {
                if (state.attempted() && state.status() != RerankStatus.OK) {
                    QueryResultCacheEntries.remove(solrSearcher, key);
                }
                state.release();
            });
        }
        if (boostedPriority != null && info != null) {
            IntIntHashMap elevated =
                    RequestContext.elevatedDocs(info.getReq(), (SolrIndexSearcher) searcher, boostedPriority);
            state.elevated(elevated::containsKey);
        }
        ReRankCollector reRank = new ReRankCollector(
                window(), len, reRankQueryRescorer, cmd, searcher, boostedPriority, null, reRankOperator);
        return new CrossEncoderRerankCollector(
                reRank, len, params, state, params.enabled(), window(), !shard, (SolrIndexSearcher) searcher);
    }

    /** How many of the first-pass top docs are reranked: K, or fewer where the main query limits it. */
    int window() {
        int window = windowLimit >= 0 ? Math.min(reRankDocs, windowLimit) : reRankDocs;
        if (mainQuery instanceof RerankWindow limited && limited.rerankWindow() >= 0) {
            return Math.min(window, limited.rerankWindow());
        }
        return window;
    }

    /**
     * Model scores, with their passages, of the docs at {@code positions} (0-based places in the reranked
     * ranking) that lie inside the rerank window, for a request served from the queryResultCache, where the
     * rescorer did not run: read from the score cache, or computed again (as Solr's LTR transformer recomputes
     * features).
     */
    Map<Integer, ModelScore> modelScoresServedFromCache(SolrIndexSearcher searcher, int[] docs, int[] positions)
            throws IOException {
        if (!params.enabled()) return Map.of();
        int window = window();
        int inWindow = 0;
        int[] reranked = new int[docs.length];
        for (int i = 0; i < docs.length; i++) if (positions[i] < window) reranked[inWindow++] = docs[i];
        if (inWindow == 0) return Map.of();
        return ((CrossEncoderRescorer) reRankQueryRescorer).modelScores(searcher, Arrays.copyOf(reranked, inWindow));
    }

    @Override
    public MergeStrategy getMergeStrategy() {
        return new ShardStatusMerge();
    }

    @Override
    protected Query rewrite(Query rewrittenMainQuery) {
        return new CrossEncoderRerankQuery(rewrittenMainQuery, plugin, params, state, explaining, shard, windowLimit);
    }

    /** Explanations need this request's per-doc scores and first-pass explanations, so they really run. */
    @Override
    public boolean getCache() {
        return !explaining && super.getCache();
    }

    @Override
    public boolean equals(Object other) {
        if (this == other) return true; // lets the cache entry of a failed rerank be found and removed
        if (!sameClassAs(other)) return false;
        CrossEncoderRerankQuery that = (CrossEncoderRerankQuery) other;
        return state.cacheable()
                && that.state.cacheable()
                && shard == that.shard
                && windowLimit == that.windowLimit
                && mainQuery.equals(that.mainQuery)
                && params.equals(that.params);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * classHash() + mainQuery.hashCode()) + params.hashCode())
                + Boolean.hashCode(shard)
                + 17 * windowLimit;
    }

    @Override
    public String toString(String field) {
        return "{!crossencoder mainQuery='" + mainQuery.toString(field) + "' " + params + (shard ? " shard" : "")
                + (windowLimit >= 0 ? " windowLimit=" + windowLimit : "") + "}";
    }
}
