package org.hybridrerank.solr.rerank;

import java.util.HashMap;
import java.util.Map;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.hybridrerank.solr.model.ScoringStats;

/**
 * What the rerank stage of one request did: the status, each reranked doc's model and final score (for the
 * threshold and for explain), and timings for debug. Shared by a query and its rewrites within one request.
 */
final class RerankRequestState {
    /** Per doc: model score (after the score transform) with the passage read, and final (blended) score. */
    record DocScores(ModelScore modelScore, float fin) {
        float model() {
            return modelScore.score();
        }
    }

    private volatile boolean attempted;
    private volatile RerankStatus status;
    private volatile boolean cacheable = true;
    private Map<Integer, DocScores> scores = Map.of();
    private long loadNanos;
    private ScoringStats stats;
    private int cacheHits;
    private ModelTrust.Verdict trust = ModelTrust.Verdict.UNJUDGED;
    private Coverage coverage;
    private volatile double belowShift;
    private volatile java.util.function.IntPredicate elevated = doc -> false;

    boolean attempted() {
        return attempted;
    }

    void started() {
        attempted = true;
    }

    /**
     * The window was ranked: all of it ({@code ok}), or the prefix that {@code reRankTimeAllowed} let the model
     * score ({@code partial}, never served again from the query result cache).
     *
     * @param scores the ranked docs' scores (the covered prefix)
     */
    synchronized void succeeded(
            Map<Integer, DocScores> scores,
            long loadNanos,
            ScoringStats stats,
            int cacheHits,
            ModelTrust.Verdict trust,
            Coverage coverage) {
        this.scores = new HashMap<>(scores);
        this.trust = trust;
        this.loadNanos = loadNanos;
        this.stats = stats;
        this.cacheHits = cacheHits;
        this.coverage = coverage;
        this.status = coverage.complete() ? RerankStatus.OK : RerankStatus.PARTIAL;
        if (!coverage.complete()) this.cacheable = false;
    }

    /** Whether the window was ranked: {@code ok}, or {@code partial} (its scored prefix). */
    boolean reranked() {
        RerankStatus s = status;
        return s == RerankStatus.OK || s == RerankStatus.PARTIAL;
    }

    /** What the model scored of the window in the last successful run; null before one. */
    synchronized Coverage coverage() {
        return coverage;
    }

    /**
     * A result ranked without the model ({@code trustGap}) is not kept in the queryResultCache either, so that a
     * cache hit always means "reranked by a trusted model" and can report so; a repeat is cheap all the same (its
     * model scores come from the score cache).
     */
    void notCacheable() {
        this.cacheable = false;
    }

    /** A failed rerank must never be served again from the query result cache. */
    void failed(RerankStatus status) {
        this.status = status;
        this.cacheable = false;
    }

    /** Whether a docid of this request's searcher is elevated (QueryElevationComponent). */
    java.util.function.IntPredicate elevated() {
        return elevated;
    }

    void elevated(java.util.function.IntPredicate elevated) {
        this.elevated = elevated;
    }

    /** How much the docs below the window were lowered in this run ({@link WindowRanking#belowShift}). */
    double belowShift() {
        return belowShift;
    }

    void belowShift(double shift) {
        this.belowShift = shift;
    }

    /** Whether the model's ranking took part in the last successful run ({@code trustGap}). */
    synchronized ModelTrust.Verdict trust() {
        return trust;
    }

    RerankStatus status() {
        return status;
    }

    boolean cacheable() {
        return cacheable;
    }

    synchronized DocScores scoresOf(int docId) {
        return scores.get(docId);
    }

    /** Model score by docid of every reranked doc. */
    synchronized Map<Integer, ModelScore> modelScores() {
        Map<Integer, ModelScore> out = new HashMap<>(scores.size() * 2);
        scores.forEach((doc, s) -> out.put(doc, s.modelScore()));
        return out;
    }

    /** How many reranked docs pass {@code filter}'s threshold and minConfidence. */
    synchronized long countKept(RerankParams filter) {
        return scores.values().stream().filter(s -> filter.keeps(s.model())).count();
    }

    /** Drops per-doc data once the request is over; the query object may live on as a cache key. */
    synchronized void release() {
        scores = Map.of();
    }

    synchronized SimpleOrderedMap<Object> timings() {
        SimpleOrderedMap<Object> out = new SimpleOrderedMap<>();
        out.add("status", status == null ? RerankStatus.SKIPPED.label() : status.label());
        if (stats != null) {
            out.add("loadTextMs", loadNanos / 1e6);
            out.add("tokenizeMs", stats.tokenizeNanos() / 1e6);
            out.add("inferenceMs", stats.inferenceNanos() / 1e6);
            out.add("docs", scores.size());
            if (coverage != null && !coverage.complete()) out.add("coverage", coverage.label());
            out.add("scoreCacheHits", cacheHits);
            out.add("pairsScored", stats.passages());
            out.add("sequences", stats.sequences());
            out.add("batches", stats.batches());
            out.add("realTokens", stats.realTokens());
            out.add("paddedTokens", stats.paddedTokens());
        }
        if (!Double.isNaN(trust.gap())) {
            out.add("modelGap", trust.gap());
            out.add("modelTrusted", trust.trusted());
        }
        return out;
    }
}
