package org.hybridrerank.solr.hybrid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.stats.StatsCache;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankScores;
import org.hybridrerank.solr.rerank.UniqueKeys;

/** A SolrCloud shard's part of the hybrid flow: one method per {@link ShardPhase}. */
final class ShardSide {
    /** Runs this node's lexical and vector lists (the component owns the embedder and the metrics). */
    interface ListRunner {
        RankedList[] run(ResponseBuilder rb, HybridParams hybrid) throws IOException;
    }

    private ShardSide() {}

    /** This shard's two lists, BM25 with the global statistics the coordinator sent along. */
    static void lists(ResponseBuilder rb, HybridParams hybrid, ListRunner runner) throws IOException {
        int purpose = rb.req.getParams().getInt(ShardParams.SHARDS_PURPOSE, ShardRequest.PURPOSE_PRIVATE);
        StatsCache statsCache = rb.req.getSearcher().getStatsCache();
        if ((purpose & ShardRequest.PURPOSE_SET_TERM_STATS) != 0) statsCache.receiveGlobalStats(rb.req);
        RequestContext.setStatsSource(rb.req, statsCache.get(rb.req));
        RankedList[] lists = runner.run(rb, hybrid);
        rb.rsp.add(ShardMessages.LISTS_SECTION, ShardMessages.listsSection(lists[0], lists[1]));
    }

    /**
     * The coordinator's global candidates that this shard holds become the main query; it reranks those among
     * the global top K, and a top-ids response reports their model scores and passages (read when the response
     * is written).
     */
    static void candidates(ResponseBuilder rb, HybridParams hybrid) throws IOException {
        SolrParams params = rb.req.getParams();
        ShardMessages.Candidates global = ShardMessages.decodeCandidates(params.get(ShardMessages.CANDIDATES));
        String forwarded = params.get(ShardMessages.MODEL_SCORES);
        Map<String, ModelScore> modelScoresByKey = forwarded == null ? Map.of() : ShardMessages.decodeScores(forwarded);
        SolrIndexSearcher searcher = rb.req.getSearcher();
        SchemaField keyField = UniqueKeys.field(searcher);
        List<FusedCandidate> own = new ArrayList<>();
        Map<Integer, ModelScore> modelScores = new HashMap<>();
        Map<Integer, Integer> windowPlaces = new HashMap<>();
        int inWindow = 0;
        for (int rank = 0; rank < global.ranked().size(); rank++) {
            FusedCandidate candidate = global.ranked().get(rank);
            int doc = UniqueKeys.docOf(searcher, keyField, candidate.key());
            if (doc < 0) continue;
            own.add(candidate.withDoc(doc));
            if (rank < global.rerankWindow()) {
                inWindow++;
                windowPlaces.put(doc, rank);
            }
            ModelScore modelScore = modelScoresByKey.get(candidate.key());
            if (modelScore != null) modelScores.put(doc, modelScore);
        }
        CandidatesInstall.install(rb, hybrid, own, global.rerankWindow() < 0 ? -1 : inWindow, modelScores);
        // under reRankTimeAllowed this shard scores the global window's chunks, each its own docs of them
        if (global.rerankWindow() >= 0) RequestContext.setGlobalWindowPlaces(rb.req, windowPlaces);
        int purpose = params.getInt(ShardParams.SHARDS_PURPOSE, ShardRequest.PURPOSE_GET_TOP_IDS);
        if ((purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0 && RerankScores.present(rb.req)) {
            rb.rsp.add(RerankScores.SHARD_SECTION, RerankScores.byKeySection(rb.req));
        }
    }

    /** Term statistics are gathered from the main query: make it cover the lexical subquery too. */
    static void termStats(ResponseBuilder rb, HybridParams hybrid) {
        if (!hybrid.mode().usesLexical()) return;
        BooleanQuery.Builder both = new BooleanQuery.Builder();
        if (rb.getQuery() != null) both.add(rb.getQuery(), BooleanClause.Occur.SHOULD);
        Query lexical = LocalLists.lexicalQuery(rb, hybrid, rb.req.getParams().get(CommonParams.Q));
        both.add(lexical, BooleanClause.Occur.SHOULD);
        rb.setQuery(both.build());
    }
}
