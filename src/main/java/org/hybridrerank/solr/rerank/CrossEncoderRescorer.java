package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Rescorer;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.search.IncompleteRerankingException;
import org.apache.solr.search.QueryLimits;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.fusion.FirstStageLists;
import org.hybridrerank.solr.fusion.RankedScores;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.Deadline;
import org.hybridrerank.solr.model.DeadlineExceededException;
import org.hybridrerank.solr.model.PassageSpan;
import org.hybridrerank.solr.model.ScoredPassages;
import org.hybridrerank.solr.model.ScoringStats;
import org.hybridrerank.solr.request.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scores the first-pass top K with the cross-encoder in one batched call and returns them sorted by the
 * blended score, ties kept in first-pass order. On timeout or failure it records why and throws
 * {@link IncompleteRerankingException}, on which Solr's ReRankCollector restores the first-pass order.
 */
final class CrossEncoderRescorer extends Rescorer {
    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
    private static final FailureLog failures = new FailureLog(log);

    private final CrossEncoder model;
    private final RerankParams params;
    private final RerankRequestState state;
    private final RerankMetrics metrics;
    private final String scoreCacheName;

    CrossEncoderRescorer(
            CrossEncoder model,
            RerankParams params,
            RerankRequestState state,
            RerankMetrics metrics,
            String scoreCacheName) {
        this.model = model;
        this.params = params;
        this.state = state;
        this.metrics = metrics;
        this.scoreCacheName = scoreCacheName;
    }

    @Override
    public TopDocs rescore(IndexSearcher searcher, TopDocs firstPass, int topN) throws IOException {
        if (!params.enabled()) {
            return firstPass; // the collector reports "skipped"
        }
        state.started();
        int n = Math.min(topN, firstPass.scoreDocs.length);
        if (n == 0) {
            RequestContext.reportRerankStatus(RerankStatus.SKIPPED, null);
            return firstPass;
        }
        ScoreDoc[] hits = new ScoreDoc[n];
        for (int i = 0; i < n; i++) {
            ScoreDoc d = firstPass.scoreDocs[i];
            hits[i] = new ScoreDoc(d.doc, d.score, d.shardIndex);
        }
        KeyTieBreak.apply((SolrIndexSearcher) searcher, hits, 0, n, state.elevated());
        int[] docIds = new int[n];
        float[] firstScores = new float[n];
        for (int i = 0; i < n; i++) {
            docIds[i] = hits[i].doc;
            firstScores[i] = hits[i].score;
        }
        try {
            Deadline deadline = Deadline.of(
                    params.timeoutMillis(), () -> QueryLimits.getCurrentLimits().shouldExit());
            ModelScore[] rawScores = new ModelScore[n];
            RawScores raw = rawScores((SolrIndexSearcher) searcher, docIds, rawScores, deadline);

            float[] modelScores = new float[n];
            ModelScore[] transformed = new ModelScore[n];
            for (int i = 0; i < n; i++) {
                transformed[i] = rawScores[i].transformedBy(params.score());
                modelScores[i] = transformed[i].score();
            }
            WindowRanking.Window window = WindowRanking.rank(params, firstScores, modelScores, firstStageLists(docIds));
            float[] finalScores = window.finals();
            int[] order = window.order();
            ScoreDoc[] reranked = new ScoreDoc[n];
            Map<Integer, RerankRequestState.DocScores> perDoc = new HashMap<>(n * 2);
            for (int r = 0; r < n; r++) {
                int i = order[r];
                reranked[r] = new ScoreDoc(docIds[i], finalScores[i], hits[i].shardIndex);
                perDoc.put(docIds[i], new RerankRequestState.DocScores(transformed[i], finalScores[i]));
            }
            state.succeeded(perDoc, raw.loadNanos(), raw.stats(), raw.cacheHits(), window.trust());
            metrics.succeeded(raw.loadNanos(), raw.stats(), raw.cacheHits(), raw.cacheMisses());
            if (!window.trust().trusted()) {
                metrics.untrusted.inc();
                state.notCacheable();
            }
            RequestContext.reportRerankStatus(RerankStatus.OK, null);
            RequestContext.reportModelTrust(window.trust());
            addDebugTimings();
            return new TopDocs(firstPass.totalHits, reranked);
        } catch (DeadlineExceededException e) {
            metrics.timeouts.inc();
            fail(RerankStatus.TIMEOUT, e.getMessage());
            throw new IncompleteRerankingException();
        } catch (IOException | RuntimeException e) {
            failures.warn(
                    params.model() + "/" + e.getClass().getName(),
                    "crossencoder rerank failed with model '" + params.model() + "'; returning first-pass order",
                    e);
            metrics.errors.inc();
            fail(RerankStatus.ERROR, e.getClass().getSimpleName() + ": " + e.getMessage());
            throw new IncompleteRerankingException();
        }
    }

    /**
     * Model scores (after the score transform), with their passages, of docs that were reranked by an earlier
     * run of the same rerank: from the score cache, else computed. Records nothing in this request's state.
     */
    Map<Integer, ModelScore> modelScores(SolrIndexSearcher searcher, int[] docIds) throws IOException {
        ModelScore[] raw = new ModelScore[docIds.length];
        rawScores(searcher, docIds, raw, Deadline.of(params.timeoutMillis(), () -> QueryLimits.getCurrentLimits()
                .shouldExit()));
        Map<Integer, ModelScore> out = new HashMap<>(docIds.length * 2);
        for (int i = 0; i < docIds.length; i++) out.put(docIds[i], raw[i].transformedBy(params.score()));
        return out;
    }

    /** The first stage's lists over the window, when the request's first stage stored them. */
    private static List<RankedScores> firstStageLists(int[] docIds) {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        FirstStageLists lists = info == null ? null : RequestContext.firstStageLists(info.getReq());
        return lists == null ? List.of() : lists.over(docIds);
    }

    /** What producing the raw scores cost: text loading, scoring, and how many came from the score cache. */
    private record RawScores(long loadNanos, ScoringStats stats, int cacheHits, int cacheMisses) {}

    /**
     * Fills {@code rawScores} (aligned with {@code docIds}) with raw scores and the passages read: cached ones
     * first, the rest scored in one call.
     */
    private RawScores rawScores(SolrIndexSearcher searcher, int[] docIds, ModelScore[] rawScores, Deadline deadline)
            throws IOException {
        ScoreCache cache = ScoreCache.of(searcher, scoreCacheName, params);
        int[] missing = new int[docIds.length];
        int misses = 0;
        for (int i = 0; i < docIds.length; i++) {
            ModelScore cached = cache == null ? null : cache.get(docIds[i]);
            if (cached != null) {
                rawScores[i] = cached;
            } else {
                missing[misses++] = i;
            }
        }
        if (misses == 0) return new RawScores(0, ScoringStats.NONE, docIds.length, 0);

        deadline.check("loading document text");
        int[] missingDocs = new int[misses];
        for (int m = 0; m < misses; m++) missingDocs[m] = docIds[missing[m]];
        long start = System.nanoTime();
        String[] texts = new DocumentText(params.fields(), params.fieldSeparator()).load(searcher, missingDocs);
        long loadNanos = System.nanoTime() - start;

        ScoredPassages scored = model.score(params.reRankText(), List.of(texts), params.scoring(), deadline);
        for (int m = 0; m < misses; m++) {
            PassageSpan passage = scored.spans() == null ? null : scored.spans()[m];
            rawScores[missing[m]] = new ModelScore(scored.scores()[m], passage);
            if (cache != null) cache.put(missingDocs[m], rawScores[missing[m]]);
        }
        return new RawScores(loadNanos, scored.stats(), docIds.length - misses, cache == null ? 0 : misses);
    }

    private void fail(RerankStatus status, String detail) {
        state.failed(status);
        RequestContext.reportRerankStatus(status, detail);
        addDebugTimings();
    }

    private void addDebugTimings() {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        ResponseBuilder rb = info == null ? null : info.getResponseBuilder();
        if (rb != null && rb.isDebug()) {
            rb.addDebugInfo("rerank", state.timings());
        }
    }

    @Override
    public Explanation explain(IndexSearcher searcher, Explanation firstPass, int docId) {
        RerankRequestState.DocScores scores = state.scoresOf(docId);
        if (scores == null) {
            String why = state.status() == RerankStatus.OK
                    ? "not reranked: below the top reRankDocs=" + params.reRankDocs() + " of the first pass"
                    : "not reranked: rerank.status="
                            + (state.status() == null
                                    ? "skipped"
                                    : state.status().label());
            double shift = state.belowShift();
            if (shift == 0) return Explanation.match(firstPass.getValue(), why + "; first-pass score kept", firstPass);
            return Explanation.match(
                    WindowRanking.belowScore(firstPass.getValue().floatValue(), shift),
                    why + "; first-pass score lowered by " + shift
                            + " to stay under the window's lowest final score (docs/rerank-contract.md)",
                    firstPass);
        }
        ScoreBlender blender = params.blender();
        String how = params.fusion() != null
                ? "crossencoder rerank, model=" + params.model() + ", fusion="
                        + params.fusion().describe()
                        + " (the model's ranking of the window fused with the first-stage lists)"
                : "crossencoder rerank, model=" + params.model() + ", reRankOperator="
                        + blender.operator().toLower() + ", reRankWeight=" + blender.weight()
                        + (blender.modelScale() != null ? ", reRankScale=" + blender.modelScale() : "")
                        + (blender.mainScale() != null ? ", reRankMainScale=" + blender.mainScale() : "");
        ModelTrust.Verdict trust = state.trust();
        if (!trust.trusted()) {
            how += "; the model's ranking was left out of this query: its best score exceeds its "
                    + ModelTrust.AT_RANK + "th best by " + (float) trust.gap() + ", under trustGap="
                    + params.trust().minGap() + ", so the window keeps the first stage's order";
        }
        return Explanation.match(
                scores.fin(),
                how,
                firstPass,
                Explanation.match(
                        scores.model(), "model score (" + params.score().label() + ") of " + params.model()));
    }
}
