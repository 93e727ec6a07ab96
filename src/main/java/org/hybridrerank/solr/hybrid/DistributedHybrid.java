package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.QueryElevationParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardDoc;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.search.stats.StatsCache;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.Coverage;
import org.hybridrerank.solr.rerank.CrossEncoderRerankQuery;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankStatus;
import org.hybridrerank.solr.rerank.WindowRanking;

/**
 * The hybrid first stage on a SolrCloud coordinator, so that a sharded collection gives the
 * one-node answer:
 *
 * <ol>
 *   <li>every shard returns its lexical and vector top N (unique key, score), BM25 computed with the global
 *       term statistics the coordinator sends (ExactStatsCache);
 *   <li>the coordinator merges each list into the global top N, fuses them ({@link FirstStage}) and sends every
 *       query-phase shard request the global candidates with their fused scores and the rerank window K;
 *   <li>each shard's main query is the candidates it holds; it reranks only those among the global top K;
 *   <li>the coordinator orders the merged page as one node does: reranked docs by final score, then the
 *       others in first-stage order (a plain score merge would interleave them, since a model score may be
 *       below a first-stage score), and merges the shards' {@code rerank.status}. Under {@code reRankTimeAllowed}
 *       each shard scores the global window's chunks in global order until its budget is spent; the coordinator
 *       ranks the longest prefix of the global window that every shard scored ({@link Coverage}) as the window.
 * </ol>
 *
 * One instance per distributed request, kept in the request context. Public only as the type of
 * {@link RequestContext#distributedHybrid}; everything else in it is this package's.
 */
public final class DistributedHybrid {
    /** Between Solr's PARSE_QUERY (term statistics) and EXECUTE_QUERY stages. */
    static final int STAGE_LISTS = ResponseBuilder.STAGE_EXECUTE_QUERY - 200;

    private final HybridParams hybrid;
    private List<FusedCandidate> candidates = List.of();
    private final Map<String, Integer> rankByKey = new HashMap<>();
    private final Map<String, ModelScore> modelScores = new LinkedHashMap<>();
    private final List<ShardDoc> shardDocs = new ArrayList<>();
    private boolean listsMerged;
    private final SimpleOrderedMap<Object> timings = new SimpleOrderedMap<>();
    private long listsSentNanos;

    private DistributedHybrid(HybridParams hybrid) {
        this.hybrid = hybrid;
    }

    static DistributedHybrid start(ResponseBuilder rb, HybridParams hybrid) {
        DistributedHybrid state = new DistributedHybrid(hybrid);
        RequestContext.setDistributedHybrid(rb.req, state);
        return state;
    }

    /** Debug timings of this request's first stage on the coordinator. */
    SimpleOrderedMap<Object> timings() {
        return timings;
    }

    HybridParams.Mode mode() {
        return hybrid.mode();
    }

    static DistributedHybrid of(ResponseBuilder rb) {
        return RequestContext.distributedHybrid(rb.req);
    }

    /** Step 1: ask every shard for its two lists; the query vector is computed once, here. */
    ShardRequest listsRequest(ResponseBuilder rb, float[] queryVector) {
        ShardRequest sreq = new ShardRequest();
        sreq.purpose = ShardRequest.PURPOSE_PRIVATE;
        ModifiableSolrParams params = new ModifiableSolrParams(rb.req.getParams());
        params.remove(ShardParams.SHARDS);
        params.remove(CommonParams.RQ);
        params.remove(CommonParams.DEBUG);
        params.remove(CommonParams.DEBUG_QUERY);
        params.set(ShardMessages.LISTS_PHASE, true);
        // no main query runs in this phase, so nothing to elevate (QueryElevationComponent needs the parsed q)
        params.set(QueryElevationParams.ENABLE, false);
        if (queryVector != null) params.set(HybridParams.VECTOR, LocalLists.vectorString(queryVector));
        params.set(CommonParams.START, 0);
        params.set(CommonParams.ROWS, 0);
        params.set(CommonParams.FL, rb.req.getSchema().getUniqueKeyField().getName());
        // the lists are all this request is for: no main query, facets, highlighting, ...
        for (String component :
                List.of("query", "facet", "hl", "stats", "spellcheck", "expand", "terms", "mlt", "facet.pivot")) {
            params.set(component, false);
        }
        sreq.params = params;
        listsSentNanos = System.nanoTime();
        if (hybrid.mode().usesLexical()) {
            StatsCache statsCache = rb.req.getSearcher().getStatsCache();
            sreq.purpose |= ShardRequest.PURPOSE_SET_TERM_STATS;
            statsCache.sendGlobalStats(rb, sreq);
        }
        return sreq;
    }

    /** A shard's response, or null when it failed (with shards.tolerant=true the search goes on without it). */
    static NamedList<Object> responseOf(ShardResponse srsp) {
        if (srsp.getException() != null || srsp.getSolrResponse() == null) return null;
        return srsp.getSolrResponse().getResponse();
    }

    static boolean isListsRequest(ShardRequest sreq) {
        return sreq.params != null && sreq.params.getBool(ShardMessages.LISTS_PHASE, false);
    }

    /** Step 2: the global lists, fused. Shards that failed (shards.tolerant) contribute nothing. */
    void mergeLists(ShardRequest sreq) {
        timings.add("shardListsMs", (System.nanoTime() - listsSentNanos) / 1e6);
        List<RankedList.Hit> lexical = new ArrayList<>();
        List<RankedList.Hit> vector = new ArrayList<>();
        for (ShardResponse srsp : sreq.responses) {
            NamedList<Object> response = responseOf(srsp);
            if (response == null) continue;
            Object section = response.get(ShardMessages.LISTS_SECTION);
            if (!(section instanceof NamedList<?> lists)) continue;
            ShardMessages.readHits(lists, "lexical", lexical);
            ShardMessages.readHits(lists, "vector", vector);
        }
        candidates = FirstStage.rank(
                hybrid, RankedList.of(lexical, hybrid.lexicalTopN()), RankedList.of(vector, hybrid.vectorTopN()));
        for (int i = 0; i < candidates.size(); i++)
            rankByKey.put(candidates.get(i).key(), i);
        listsMerged = true;
    }

    int candidateCount() {
        return candidates.size();
    }

    /**
     * Step 3: the query-phase requests (top ids, facet refinement) carry the global candidates; field fetching
     * only for the [hybrid] transformer, with the model scores and passages.
     */
    void addCandidates(ResponseBuilder rb, ShardRequest sreq) {
        if (!listsMerged || (sreq.purpose & ShardRequest.PURPOSE_PRIVATE) != 0) return;
        boolean fieldsOnly = (sreq.purpose & ShardRequest.PURPOSE_GET_FIELDS) != 0
                && (sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) == 0;
        // fetching fields by id needs the first stage only to render [hybrid] or to explain the docs
        if (fieldsOnly && !HybridResult.wanted(rb.req) && !rb.isDebug()) return;
        sreq.params.set(ShardMessages.CANDIDATES, ShardMessages.encodeCandidates(candidates, rerankWindow(rb)));
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_FIELDS) != 0 && !modelScores.isEmpty()) {
            sreq.params.set(ShardMessages.MODEL_SCORES, ShardMessages.encodeScores(modelScores));
        }
        int window = rerankWindow(rb);
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0
                && window > 0
                && rb.getSortSpec().getCount() > 0) {
            // every shard returns all its docs of the window, whatever the page: their final scores are set here,
            // over the whole window (model ranks and normalizations are global)
            int rows = sreq.params.getInt(CommonParams.ROWS, 0);
            sreq.params.set(CommonParams.ROWS, Math.max(rows, window));
        }
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0 && rb.onePassDistributedQuery) {
            // the page is reordered after the merge (step 4), so fields are fetched for the final page
            sreq.purpose &= ~ShardRequest.PURPOSE_GET_FIELDS;
            rb.onePassDistributedQuery = false;
        }
    }

    /** K of {@code {!crossencoder}}, 0 when it is disabled, -1 for any other (or no) rank query. */
    private static int rerankWindow(ResponseBuilder rb) {
        if (rb.getRankQuery() instanceof CrossEncoderRerankQuery crossEncoder) {
            return crossEncoder.params().enabled() ? crossEncoder.params().reRankDocs() : 0;
        }
        return -1;
    }

    /** Step 4a: what each shard returned for the top ids: its docs in order, and its reranked docs' scores. */
    void collectTopIds(ResponseBuilder rb, ShardRequest sreq) {
        ShardTopIds.collect(rb, sreq, modelScores, shardDocs);
    }

    /**
     * The window as one node ranks it ({@link WindowRanking}), over the whole global window: a fusion ranks the
     * model scores of all K docs, and a blend may scale over all K, which no shard sees alone. Null when there is
     * no reranked window or some window doc has no model score (a shard's rerank failed): the shards' own scores
     * then stand.
     */
    private WindowRanking.Window globalWindow(ResponseBuilder rb, List<FusedCandidate> window) {
        if (!(rb.getRankQuery() instanceof CrossEncoderRerankQuery crossEncoder)
                || !crossEncoder.params().enabled()
                || window.isEmpty()) {
            return null;
        }
        float[] firstPass = new float[window.size()];
        float[] model = new float[window.size()];
        for (int i = 0; i < window.size(); i++) {
            ModelScore score = modelScores.get(window.get(i).key());
            if (score == null) return null;
            firstPass[i] = window.get(i).fusedScore();
            model[i] = score.score();
        }
        return WindowRanking.rank(crossEncoder.params(), firstPass, model, CandidateLists.inputs(hybrid, window));
    }

    /**
     * Under {@code reRankTimeAllowed}: how much of the global window every shard scored, the prefix that is
     * ranked as the window. Null without a budget, for an empty window, or when a shard failed or ran into a hard
     * limit ({@code timeout}, {@code timeAllowed}): those are all or nothing, as on one node.
     */
    private Coverage budgetCoverage(ResponseBuilder rb, List<FusedCandidate> window) {
        if (!(rb.getRankQuery() instanceof CrossEncoderRerankQuery crossEncoder)
                || !crossEncoder.params().enabled()
                || crossEncoder.params().reRankTimeAllowedMillis() <= 0
                || window.isEmpty()) {
            return null;
        }
        RerankStatus merged = RequestContext.reportedRerankStatus();
        if (merged == RerankStatus.ERROR || merged == RerankStatus.TIMEOUT) return null;
        return Coverage.of(
                window.size(), i -> modelScores.containsKey(window.get(i).key()));
    }

    /**
     * Step 4b: the page as one node orders it ({@link WindowRanking}): the window by final score, then the others
     * in first-stage order, lowered under the window where needed. Each shard's docs arrive in that order already
     * (its reranked docs are exactly its part of the global top K), so the union of the shards' top start+rows
     * holds the page; only the interleaving across shards and the scores need the global window.
     */
    void reorderPage(ResponseBuilder rb) {
        SolrDocumentList merged = rb.getResponseDocs();
        if (merged == null || rb.resultIds == null) return;
        Map<Object, ShardDoc> unique = new LinkedHashMap<>();
        for (ShardDoc doc : shardDocs) unique.putIfAbsent(doc.id.toString(), doc);
        int k = rb.getRankQuery() instanceof CrossEncoderRerankQuery ce
                ? Math.min(ce.params().reRankDocs(), candidates.size())
                : 0;
        List<FusedCandidate> window = candidates.subList(0, k);
        // the docs ranked as the window: all K, or under reRankTimeAllowed the prefix every shard scored
        List<FusedCandidate> ranking = window;
        WindowRanking.Window ranked;
        Coverage coverage = budgetCoverage(rb, window);
        if (coverage != null) {
            coverage.reportAsCoordinator(
                    ((CrossEncoderRerankQuery) rb.getRankQuery()).params().reRankTimeAllowedMillis());
            ranking = window.subList(0, coverage.covered());
            // a shard may have scored docs past the global prefix: like one node's, they are not reranked
            Set<String> covered = new HashSet<>();
            for (FusedCandidate c : ranking) covered.add(c.key());
            modelScores.keySet().retainAll(covered);
            RequestContext.setCoveredKeys(rb.req, covered);
            ranked = ranking.isEmpty() ? WindowRanking.Window.EMPTY : globalWindow(rb, ranking);
        } else {
            ranked = globalWindow(rb, window);
        }
        if (ranked != null) RequestContext.reportModelTrust(ranked.trust());
        Map<String, Integer> windowPosition = new HashMap<>();
        if (ranked != null) {
            for (int r = 0; r < ranked.order().length; r++) {
                int i = ranked.order()[r];
                windowPosition.put(ranking.get(i).key(), r);
                ShardDoc doc = unique.get(ranking.get(i).key());
                if (doc != null) doc.score = ranked.finals()[i];
            }
            int n = ranking.size();
            double shift = n < candidates.size()
                    ? WindowRanking.belowShift(
                            ranked.lowest(), candidates.get(n).fusedScore())
                    : 0;
            for (ShardDoc doc : unique.values()) {
                Integer rank = rankByKey.get(doc.id.toString());
                if (windowPosition.containsKey(doc.id.toString()) || rank == null) continue;
                doc.score = WindowRanking.belowScore(candidates.get(rank).fusedScore(), shift);
            }
        }
        List<ShardDoc> ordered = new ArrayList<>(unique.values());
        ordered.sort(Comparator.comparingInt((ShardDoc d) -> modelScores.containsKey(d.id.toString()) ? 0 : 1)
                .thenComparingInt(d -> windowPosition.getOrDefault(d.id.toString(), Integer.MAX_VALUE))
                .thenComparing((a, b) -> modelScores.containsKey(a.id.toString()) ? Float.compare(b.score, a.score) : 0)
                .thenComparingInt(d -> rankByKey.getOrDefault(d.id.toString(), Integer.MAX_VALUE))
                .thenComparing((a, b) -> Float.compare(b.score, a.score)));
        ShardTopIds.installPage(rb, ordered);
    }
}
