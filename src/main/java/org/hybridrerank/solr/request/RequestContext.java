package org.hybridrerank.solr.request;

import com.carrotsearch.hppc.IntIntHashMap;
import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.BytesRef;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.handler.component.QueryElevationComponent;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.stats.StatsSource;
import org.hybridrerank.solr.fusion.FirstStageLists;
import org.hybridrerank.solr.hybrid.DistributedHybrid;
import org.hybridrerank.solr.hybrid.DistributedRerank;
import org.hybridrerank.solr.hybrid.HybridParams;
import org.hybridrerank.solr.hybrid.HybridResult;
import org.hybridrerank.solr.rerank.Coverage;
import org.hybridrerank.solr.rerank.CrossEncoderRerankQuery;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.ModelTrust;
import org.hybridrerank.solr.rerank.RerankStatus;

/**
 * Everything this plugin keeps in a request's context ({@link SolrQueryRequest#getContext()}), and the one writer
 * of the {@code rerank.status} / {@code rerank.detail} / {@code rerank.coverage} / {@code rerank.modelTrusted}
 * response headers, in the shape of Solr LTR's
 * {@code SolrQueryRequestContextUtils}.
 *
 * <p>Stages that never call each other share a request's state through its context: the hybrid first stage and
 * the rank query, the search and a doc transformer, the stages of a SolrCloud coordinator. The context is an
 * untyped map shared with Solr and other plugins, so its keys are owned here: each is private, unique to this
 * class, and read and written only through an accessor of its type; what a request carries can be read in one
 * place. The status header has one writer for the same reason: every report replaces the previous one, so a
 * response holds one status (the last one reported) and at most one detail.
 *
 * <p>The accessors name types of the hybrid and rerank packages, which call them: the one place where those
 * packages meet both ways. The fusion package stays free of Solr (its {@link FirstStageLists} is stored here).
 */
public final class RequestContext {
    /** The response header every request with a {@code {!crossencoder}} rank query gets (RerankStatus's label). */
    public static final String STATUS_HEADER = "rerank.status";
    /** Why the rerank did not run as asked (timeout, error, which shards), next to {@link #STATUS_HEADER}. */
    public static final String DETAIL_HEADER = "rerank.detail";

    /** {@code N/K} next to {@code rerank.status=partial}: the model scored the first N of the K window docs. */
    public static final String COVERAGE_HEADER = "rerank.coverage";

    /** false when {@code trustGap} left the model's ranking out of this query (see ModelTrust). */
    public static final String MODEL_TRUSTED_HEADER = "rerank.modelTrusted";

    // keys of our own class name: no other component's key can be equal to them
    private static final String PREFIX = RequestContext.class.getName() + ".";
    private static final String HYBRID_PARAMS = PREFIX + "hybridParams";
    private static final String DISTRIBUTED_HYBRID = PREFIX + "distributedHybrid";
    private static final String DISTRIBUTED_RERANK = PREFIX + "distributedRerank";
    private static final String HYBRID_RESULT = PREFIX + "hybridResult";
    private static final String HYBRID_FIELDS_WANTED = PREFIX + "hybridFieldsWanted";
    private static final String FIRST_STAGE_LISTS = PREFIX + "firstStageLists";
    private static final String RANK_QUERY = PREFIX + "rankQuery";
    private static final String READ_BACK_MODEL_SCORES = PREFIX + "readBackModelScores";
    private static final String GLOBAL_WINDOW_PLACES = PREFIX + "globalWindowPlaces";
    private static final String COVERED_KEYS = PREFIX + "coveredKeys";

    private RequestContext() {}

    // ---- the hybrid first stage ----

    /** The request's validated hybrid parameters, or null when it is not a hybrid request (hybrid=false). */
    public static HybridParams hybridParams(SolrQueryRequest req) {
        return (HybridParams) req.getContext().get(HYBRID_PARAMS);
    }

    public static void setHybridParams(SolrQueryRequest req, HybridParams hybrid) {
        req.getContext().put(HYBRID_PARAMS, hybrid);
    }

    /** The coordinator's state of a distributed hybrid request, or null elsewhere. */
    public static DistributedHybrid distributedHybrid(SolrQueryRequest req) {
        return (DistributedHybrid) req.getContext().get(DISTRIBUTED_HYBRID);
    }

    public static void setDistributedHybrid(SolrQueryRequest req, DistributedHybrid state) {
        req.getContext().put(DISTRIBUTED_HYBRID, state);
    }

    /** The coordinator's state of a distributed plain {@code {!crossencoder}} request, or null elsewhere. */
    public static DistributedRerank distributedRerank(SolrQueryRequest req) {
        return (DistributedRerank) req.getContext().get(DISTRIBUTED_RERANK);
    }

    public static void setDistributedRerank(SolrQueryRequest req, DistributedRerank state) {
        req.getContext().put(DISTRIBUTED_RERANK, state);
    }

    /** The first stage's candidates on this node (and forwarded model scores), for [hybrid]; null when none. */
    public static HybridResult.Stored hybridResult(SolrQueryRequest req) {
        return (HybridResult.Stored) req.getContext().get(HYBRID_RESULT);
    }

    public static void setHybridResult(SolrQueryRequest req, HybridResult.Stored result) {
        req.getContext().put(HYBRID_RESULT, result);
    }

    /** Whether the request's fl asks for [hybrid] fields (a doc transformer is created before the search). */
    public static boolean hybridFieldsWanted(SolrQueryRequest req) {
        return Boolean.TRUE.equals(req.getContext().get(HYBRID_FIELDS_WANTED));
    }

    public static void markHybridFieldsWanted(SolrQueryRequest req) {
        req.getContext().put(HYBRID_FIELDS_WANTED, Boolean.TRUE);
    }

    /** The lists a window fusion combines with the model's ranking, or null when no first stage stored any. */
    public static FirstStageLists firstStageLists(SolrQueryRequest req) {
        return (FirstStageLists) req.getContext().get(FIRST_STAGE_LISTS);
    }

    public static void setFirstStageLists(SolrQueryRequest req, FirstStageLists lists) {
        req.getContext().put(FIRST_STAGE_LISTS, lists);
    }

    // ---- the rerank ----

    /** The request's {@code {!crossencoder}} rank query, or null when it parsed none. */
    public static CrossEncoderRerankQuery rankQuery(SolrQueryRequest req) {
        return (CrossEncoderRerankQuery) req.getContext().get(RANK_QUERY);
    }

    public static void setRankQuery(SolrQueryRequest req, CrossEncoderRerankQuery query) {
        req.getContext().put(RANK_QUERY, query);
    }

    /** Model scores by docid read back for a result served from the queryResultCache, or null before any. */
    @SuppressWarnings("unchecked") // only setReadBackModelScores writes this key
    public static Map<Integer, ModelScore> readBackModelScores(SolrQueryRequest req) {
        return (Map<Integer, ModelScore>) req.getContext().get(READ_BACK_MODEL_SCORES);
    }

    public static void setReadBackModelScores(SolrQueryRequest req, Map<Integer, ModelScore> scores) {
        req.getContext().put(READ_BACK_MODEL_SCORES, scores);
    }

    /**
     * On a SolrCloud shard: the place in the coordinator's global window (0-based, in global first-pass order) of
     * each docid of this shard's part of it, so that the shard scores under {@code reRankTimeAllowed} the same
     * global chunks as one node would ({@link Coverage}); null on one node.
     */
    @SuppressWarnings("unchecked") // only setGlobalWindowPlaces writes this key
    public static Map<Integer, Integer> globalWindowPlaces(SolrQueryRequest req) {
        return (Map<Integer, Integer>) req.getContext().get(GLOBAL_WINDOW_PLACES);
    }

    public static void setGlobalWindowPlaces(SolrQueryRequest req, Map<Integer, Integer> placeByDoc) {
        req.getContext().put(GLOBAL_WINDOW_PLACES, placeByDoc);
    }

    /**
     * On a SolrCloud coordinator after a partial rerank: the unique keys of the scored prefix it ranked as the
     * window (a shard may have scored further; those docs are not reranked, as on one node); null otherwise.
     */
    @SuppressWarnings("unchecked") // only setCoveredKeys writes this key
    public static Set<String> coveredKeys(SolrQueryRequest req) {
        return (Set<String>) req.getContext().get(COVERED_KEYS);
    }

    public static void setCoveredKeys(SolrQueryRequest req, Set<String> keys) {
        req.getContext().put(COVERED_KEYS, keys);
    }

    /**
     * Sets (replaces) the rerank status, and its detail when not null, in the current request's response header;
     * nothing when there is no current request or it has no header. The previous status, detail and coverage are
     * removed first, so a later stage that knows better (the rescorer after the parser, a coordinator's merge of
     * its shards) leaves one status and no stale detail.
     */
    public static void reportRerankStatus(RerankStatus status, String detail) {
        NamedList<Object> header = header();
        if (header == null) return;
        header.removeAll(STATUS_HEADER);
        header.removeAll(DETAIL_HEADER);
        header.removeAll(COVERAGE_HEADER);
        header.add(STATUS_HEADER, status.label());
        if (detail != null) header.add(DETAIL_HEADER, detail);
    }

    /**
     * Sets (replaces) {@code rerank.status=partial} with {@value #COVERAGE_HEADER} {@code N/K} and the detail, as
     * {@link #reportRerankStatus} does: the one writer of the coverage header.
     */
    public static void reportPartialCoverage(Coverage coverage, String detail) {
        reportRerankStatus(RerankStatus.PARTIAL, detail);
        NamedList<Object> header = header();
        if (header != null) header.add(COVERAGE_HEADER, coverage.label());
    }

    /** The rerank status the current response holds so far (a coordinator's merge of its shards'), or null. */
    public static RerankStatus reportedRerankStatus() {
        NamedList<Object> header = header();
        Object label = header == null ? null : header.get(STATUS_HEADER);
        if (label == null) return null;
        for (RerankStatus status : RerankStatus.values()) {
            if (status.label().equals(label.toString())) return status;
        }
        return RerankStatus.ERROR; // nothing this plugin writes: not an answer to vouch for
    }

    private static NamedList<Object> header() {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        SolrQueryResponse rsp = info == null ? null : info.getRsp();
        return rsp == null ? null : rsp.getResponseHeader();
    }

    /**
     * Sets (replaces) {@value #MODEL_TRUSTED_HEADER} in the current response header: whether the model's ranking
     * took part ({@code trustGap}). Written only when the rule judged the window (trustGap above 0), by whoever
     * ranks the window: the node, or the SolrCloud coordinator.
     */
    public static void reportModelTrust(ModelTrust.Verdict verdict) {
        if (Double.isNaN(verdict.gap())) return;
        NamedList<Object> header = header();
        if (header == null) return;
        header.removeAll(MODEL_TRUSTED_HEADER);
        header.add(MODEL_TRUSTED_HEADER, verdict.trusted());
    }

    // ---- Solr's own keys, read or written by this plugin ----

    /** The ids QueryElevationComponent put on top of this request, in its order, or null when none. */
    @SuppressWarnings("unchecked") // QueryElevationComponent stores its elevated ids (indexed BytesRef) as a Set
    public static Set<BytesRef> elevatedIds(SolrQueryRequest req) {
        Object boosted = req.getContext().get(QueryElevationComponent.BOOSTED);
        return boosted instanceof Set<?> ids ? (Set<BytesRef>) ids : null;
    }

    /** The docids and priorities of {@code ids} in {@code searcher}; Solr caches them in the request context. */
    public static IntIntHashMap elevatedDocs(SolrQueryRequest req, SolrIndexSearcher searcher, Set<BytesRef> ids)
            throws IOException {
        return QueryElevationComponent.getBoostDocs(searcher, ids, req.getContext());
    }

    /** The term statistics this request's searches use (a SolrCloud shard's: the global ones its coordinator sent). */
    public static void setStatsSource(SolrQueryRequest req, StatsSource source) {
        req.getContext().put(SolrIndexSearcher.STATS_SOURCE, source);
    }
}
