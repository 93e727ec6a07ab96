package org.hybridrerank.solr.hybrid;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.CharsRefBuilder;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardDoc;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.schema.FieldType;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.stats.StatsCache;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.Coverage;
import org.hybridrerank.solr.rerank.CrossEncoderRerankQuery;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankScores;
import org.hybridrerank.solr.rerank.RerankStatus;
import org.hybridrerank.solr.rerank.UniqueKeys;
import org.hybridrerank.solr.rerank.WindowRanking;

/**
 * Plain {@code rq={!crossencoder}} (no hybrid first stage) on a SolrCloud coordinator, so that a sharded
 * collection gives the one-node answer with one global window of K (K inferences in all):
 *
 * <ol>
 *   <li>every shard returns its first-pass top K+1 (unique key, score) for the request's query and filters,
 *       scored with the global term statistics (ExactStatsCache);
 *   <li>the coordinator merges them into the global first-pass top K+1 (score descending, equal scores by unique
 *       key): the first K are the window, the next one is B of {@link WindowRanking};
 *   <li>the query-phase shard requests carry the window's keys: each shard reranks only its docs among them and
 *       reports their model scores, and returns at least K docs;
 *   <li>the coordinator ranks the window as one node does ({@link WindowRanking}) and puts the page together:
 *       the window by final score, then the other docs by first-pass score, lowered under the window. Under
 *       {@code reRankTimeAllowed} each shard scores the global window's chunks in global order until its budget is
 *       spent, and the window ranked is the longest prefix of it that every shard scored ({@link Coverage}).
 * </ol>
 *
 * One instance per distributed request, kept in the request context. Public only as the type of
 * {@link RequestContext#distributedRerank}; everything else in it is this package's.
 */
public final class DistributedRerank {
    /** Shard request marker: return your first-pass top docs (key, score), nothing else. */
    static final String FIRST_PASS_PHASE = "rerank.shard.firstPass";
    /** The global window's unique keys, in first-pass order (a JSON array). */
    static final String WINDOW = RerankScores.SHARD_WINDOW;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CrossEncoderRerankQuery rerank;
    /** The global first-pass top K+1: keys and scores, best first. */
    private final List<String> topKeys = new ArrayList<>();

    private final Map<String, Float> firstPassScores = new HashMap<>();
    /** Elevated unique keys (QueryElevationComponent) by priority, 0 first: they lead, as on one node. */
    private final Map<String, Integer> elevated = new HashMap<>();

    private final Map<String, ModelScore> modelScores = new LinkedHashMap<>();
    private final List<ShardDoc> shardDocs = new ArrayList<>();
    private boolean merged;

    private DistributedRerank(CrossEncoderRerankQuery rerank) {
        this.rerank = rerank;
    }

    static DistributedRerank of(ResponseBuilder rb) {
        return RequestContext.distributedRerank(rb.req);
    }

    private int k() {
        return rerank.params().reRankDocs();
    }

    /** The coordinator's stages for a plain rerank; STAGE_DONE when this request is not one. */
    @SuppressWarnings("deprecation") // ResponseBuilder.stage: no replacement in Solr 9
    static int distributedProcess(HybridSearchComponent component, ResponseBuilder rb) {
        if (!(rb.getRankQuery() instanceof CrossEncoderRerankQuery rerank)
                || !rerank.params().enabled()
                || rb.getSortSpec().getCount() == 0) {
            return ResponseBuilder.STAGE_DONE;
        }
        if (rb.stage < DistributedHybrid.STAGE_LISTS) return DistributedHybrid.STAGE_LISTS;
        if (rb.stage == DistributedHybrid.STAGE_LISTS) {
            DistributedRerank state = new DistributedRerank(rerank);
            state.readElevation(rb);
            RequestContext.setDistributedRerank(rb.req, state);
            rb.addRequest(component, state.firstPassRequest(rb));
        }
        return ResponseBuilder.STAGE_DONE;
    }

    /** The docs QueryElevationComponent put on top for this request, in its order. */
    private void readElevation(ResponseBuilder rb) {
        Set<BytesRef> ids = RequestContext.elevatedIds(rb.req);
        if (ids == null) return;
        FieldType keyType = rb.req.getSchema().getUniqueKeyField().getType();
        for (BytesRef id : ids) {
            String key = keyType.indexedToReadable(id, new CharsRefBuilder()).toString();
            elevated.putIfAbsent(key, elevated.size());
        }
    }

    /** Step 1: every shard's first-pass top K+1, with the request's query and filters and no rank query. */
    private ShardRequest firstPassRequest(ResponseBuilder rb) {
        ShardRequest sreq = new ShardRequest();
        sreq.purpose = ShardRequest.PURPOSE_PRIVATE | ShardRequest.PURPOSE_SET_TERM_STATS;
        ModifiableSolrParams params = new ModifiableSolrParams(rb.req.getParams());
        params.remove(ShardParams.SHARDS);
        params.remove(CommonParams.RQ);
        params.remove(CommonParams.DEBUG);
        params.remove(CommonParams.DEBUG_QUERY);
        params.set(FIRST_PASS_PHASE, true);
        params.set(CommonParams.START, 0);
        params.set(CommonParams.ROWS, k() + 1);
        params.set(CommonParams.FL, rb.req.getSchema().getUniqueKeyField().getName() + ",score");
        for (String component : List.of("facet", "hl", "stats", "spellcheck", "expand", "terms", "mlt")) {
            params.set(component, false);
        }
        sreq.params = params;
        StatsCache statsCache = rb.req.getSearcher().getStatsCache();
        statsCache.sendGlobalStats(rb, sreq);
        return sreq;
    }

    static boolean isFirstPassRequest(ShardRequest sreq) {
        return sreq.params != null && sreq.params.getBool(FIRST_PASS_PHASE, false);
    }

    /** Step 2: the global first-pass top K+1. Shards that failed (shards.tolerant) contribute nothing. */
    void mergeFirstPass(ResponseBuilder rb, ShardRequest sreq) {
        String keyField = rb.req.getSchema().getUniqueKeyField().getName();
        for (ShardResponse srsp : sreq.responses) {
            NamedList<Object> response = DistributedHybrid.responseOf(srsp);
            if (response == null || !(response.get("response") instanceof SolrDocumentList docs)) continue;
            for (SolrDocument doc : docs) {
                firstPassScores.put(
                        doc.getFieldValue(keyField).toString(), ((Number) doc.getFieldValue("score")).floatValue());
            }
        }
        List<String> keys = new ArrayList<>(firstPassScores.keySet());
        keys.sort(byFirstPass());
        topKeys.addAll(keys.subList(0, Math.min(keys.size(), k() + 1)));
        merged = true;
        if (topKeys.size() > k()) {
            String last = topKeys.get(k() - 1);
            String next = topKeys.get(k());
            if (!elevated.containsKey(last)
                    && !elevated.containsKey(next)
                    && firstPassScores.get(last).equals(firstPassScores.get(next))) {
                // one node cuts such a tie by docid, which no other layout reproduces: refuse, not differ
                throw new SolrException(
                        SolrException.ErrorCode.BAD_REQUEST,
                        "{!crossencoder}: on SolrCloud the first pass ties at the window's edge (places " + k()
                                + " and " + (k() + 1) + " both score " + firstPassScores.get(last)
                                + "), so which docs are reranked would depend on the index layout; choose another"
                                + " reRankDocs, or a first pass that breaks the tie (docs/rerank-contract.md)");
            }
        }
    }

    /** One node's first-pass order: elevated docs first (in their order), then score, then unique key. */
    private Comparator<String> byFirstPass() {
        return Comparator.comparingInt((String key) -> elevated.getOrDefault(key, Integer.MAX_VALUE))
                .thenComparing(key -> -firstPassScores.get(key))
                .thenComparing(Comparator.naturalOrder());
    }

    private List<String> window() {
        return topKeys.subList(0, Math.min(k(), topKeys.size()));
    }

    /** Step 3: the query-phase requests carry the window; every shard returns all its docs of it. */
    void addWindow(ResponseBuilder rb, ShardRequest sreq) {
        if (!merged || (sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) == 0) return;
        try {
            sreq.params.set(WINDOW, JSON.writeValueAsString(window()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int rows = sreq.params.getInt(CommonParams.ROWS, 0);
        sreq.params.set(CommonParams.ROWS, Math.max(rows, k()));
        if (rb.onePassDistributedQuery) {
            // the page is put together after the merge (step 4), so fields are fetched for the final page
            sreq.purpose &= ~ShardRequest.PURPOSE_GET_FIELDS;
            rb.onePassDistributedQuery = false;
        }
    }

    /**
     * Step 3 on a shard: rerank only this shard's docs of the global window, and report their model scores.
     * Without the window a shard would rerank its own top K, and the coordinator would merge incomparable scores:
     * such a request (a handler without this component) is refused.
     */
    static void shardSide(ResponseBuilder rb) throws IOException {
        String raw = rb.req.getParams().get(WINDOW);
        if (raw == null || !(rb.getRankQuery() instanceof CrossEncoderRerankQuery rerank)) return;
        List<?> keys;
        try {
            keys = JSON.readValue(raw, List.class);
        } catch (IOException e) {
            throw new SolrException(
                    SolrException.ErrorCode.BAD_REQUEST,
                    "internal shard parameter '" + WINDOW + "' is malformed (set by the SolrCloud coordinator): "
                            + e.getMessage());
        }
        SolrIndexSearcher searcher = rb.req.getSearcher();
        SchemaField keyField = UniqueKeys.field(searcher);
        Map<Integer, Integer> places = new HashMap<>();
        for (int place = 0; place < keys.size(); place++) {
            int doc = UniqueKeys.docOf(searcher, keyField, keys.get(place).toString());
            if (doc >= 0) places.put(doc, place);
        }
        // under reRankTimeAllowed this shard scores the global window's chunks, each its own docs of them
        RequestContext.setGlobalWindowPlaces(rb.req, places);
        CrossEncoderRerankQuery limited = rerank.limitedTo(places.size());
        rb.setRankQuery(limited);
        RerankScores.replace(rb.req, limited);
        rb.rsp.add(RerankScores.SHARD_SECTION, RerankScores.byKeySection(rb.req));
    }

    /** Step 4a: each shard's docs and its reranked docs' model scores. */
    void collectTopIds(ResponseBuilder rb, ShardRequest sreq) {
        ShardTopIds.collect(rb, sreq, modelScores, shardDocs);
    }

    /**
     * Under {@code reRankTimeAllowed}: how much of the global window every shard scored, the prefix that is
     * ranked as the window. Null without a budget, for an empty window, or when a shard failed or ran into a hard
     * limit ({@code timeout}, {@code timeAllowed}): those are all or nothing, as on one node.
     */
    private Coverage budgetCoverage(List<String> window) {
        if (rerank.params().reRankTimeAllowedMillis() <= 0 || window.isEmpty()) return null;
        RerankStatus merged = RequestContext.reportedRerankStatus();
        if (merged == RerankStatus.ERROR || merged == RerankStatus.TIMEOUT) return null;
        return Coverage.of(window.size(), i -> modelScores.containsKey(window.get(i)));
    }

    /**
     * Step 4b: the page as one node puts it together. When some window doc has no model score (a shard's rerank
     * failed) the window keeps its first-pass order and scores, as on one node.
     */
    void reorderPage(ResponseBuilder rb) {
        SolrDocumentList merged = rb.getResponseDocs();
        if (merged == null || rb.resultIds == null) return;
        Map<String, ShardDoc> unique = new LinkedHashMap<>();
        for (ShardDoc doc : shardDocs) unique.putIfAbsent(doc.id.toString(), doc);
        List<String> window = window();
        float[] firstPass = new float[window.size()];
        float[] model = new float[window.size()];
        boolean complete = true;
        for (int i = 0; i < window.size(); i++) {
            firstPass[i] = firstPassScores.get(window.get(i));
            ModelScore score = modelScores.get(window.get(i));
            if (score == null) complete = false;
            else model[i] = score.score();
        }
        // the docs ranked as the window: all K, or under reRankTimeAllowed the prefix every shard scored
        int n = window.size();
        Coverage coverage = budgetCoverage(window);
        if (coverage != null) {
            coverage.reportAsCoordinator(rerank.params().reRankTimeAllowedMillis());
            n = coverage.covered();
            complete = n > 0;
            RequestContext.setCoveredKeys(rb.req, new HashSet<>(window.subList(0, n)));
            // past the prefix a shard may have scored and ranked docs: like one node's, they keep first-pass scores
            for (String key : window.subList(n, window.size())) {
                ShardDoc doc = unique.get(key);
                if (doc != null) doc.score = firstPassScores.get(key);
            }
        }
        List<ShardDoc> ordered = new ArrayList<>();
        if (complete && n > 0) {
            WindowRanking.Window ranked = WindowRanking.rank(
                    rerank.params(), Arrays.copyOf(firstPass, n), Arrays.copyOf(model, n), List.of());
            RequestContext.reportModelTrust(ranked.trust());
            for (int i : ranked.order()) {
                ShardDoc doc = unique.remove(window.get(i));
                if (doc == null) continue;
                doc.score = ranked.finals()[i];
                ordered.add(doc);
            }
            // elevated docs of the window on top, in their order (a stable sort, as Solr's rerank collector does)
            ordered.sort(Comparator.comparingInt(d -> elevated.getOrDefault(d.id.toString(), Integer.MAX_VALUE)));
            double shift = topKeys.size() > n
                    ? WindowRanking.belowShift(ranked.lowest(), firstPassScores.get(topKeys.get(n)))
                    : 0;
            List<ShardDoc> below = new ArrayList<>(unique.values());
            below.sort(
                    Comparator.comparingInt((ShardDoc d) -> elevated.getOrDefault(d.id.toString(), Integer.MAX_VALUE))
                            .thenComparing(d -> -d.score)
                            .thenComparing(d -> d.id.toString()));
            for (ShardDoc doc : below) doc.score = WindowRanking.belowScore(doc.score, shift);
            ordered.addAll(below);
        } else {
            // a shard that reranked returned final scores, one whose rerank failed first-pass scores: only the
            // first-pass scores compare, so every window doc gets its own back, as on one node
            for (int i = 0; i < window.size(); i++) {
                ShardDoc doc = unique.get(window.get(i));
                if (doc != null) doc.score = firstPass[i];
            }
            ordered.addAll(unique.values());
            ordered.sort(
                    Comparator.comparingInt((ShardDoc d) -> elevated.getOrDefault(d.id.toString(), Integer.MAX_VALUE))
                            .thenComparing(d -> -d.score)
                            .thenComparing(d -> d.id.toString()));
        }
        ShardTopIds.installPage(rb, ordered);
    }
}
