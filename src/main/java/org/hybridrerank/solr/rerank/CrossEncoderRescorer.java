package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;
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
 * blended score, ties kept in first-pass order. Under {@code reRankTimeAllowed} it scores chunk by chunk in
 * first-pass order until the budget is spent and ranks the scored prefix as the window, the rest following in
 * first-pass order ({@link Coverage}). On a hard timeout ({@code timeout}, {@code timeAllowed}), a budget that
 * allowed no chunk, or a failure it records why and throws {@link IncompleteRerankingException}, on which Solr's
 * ReRankCollector restores the first-pass order.
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
            RerankBudget budget = params.reRankTimeAllowedMillis() > 0
                    ? new RerankBudget(params.reRankTimeAllowedMillis(), RerankClock.forRerank())
                    : null;
            Map<Integer, Integer> globalPlaces = globalWindowPlaces();
            // without a budget the whole window is one chunk: one model call, as length bucketing likes it best
            RawScores raw = rawScores(
                    (SolrIndexSearcher) searcher,
                    docIds,
                    budget == null ? new int[n] : chunks(docIds, globalPlaces),
                    rawScores,
                    deadline,
                    budget);
            Coverage coverage = coverage(rawScores, globalPlaces != null);
            if (coverage.covered() == 0 && globalPlaces == null) {
                // one node, and the budget allowed no chunk: first-pass order, as when a hard limit runs out
                throw new DeadlineExceededException(Coverage.nothingScored(budget.millis()));
            }

            int m = coverage.covered();
            float[] modelScores = new float[m];
            ModelScore[] transformed = new ModelScore[m];
            for (int i = 0; i < m; i++) {
                transformed[i] = rawScores[i].transformedBy(params.score());
                modelScores[i] = transformed[i].score();
            }
            // the covered prefix is ranked exactly as a window of m docs would be; the rest keep first-pass order
            WindowRanking.Window window = m == 0
                    ? WindowRanking.Window.EMPTY
                    : WindowRanking.rank(
                            params,
                            Arrays.copyOf(firstScores, m),
                            modelScores,
                            firstStageLists(Arrays.copyOf(docIds, m)));
            float[] finalScores = window.finals();
            int[] order = window.order();
            ScoreDoc[] reranked = new ScoreDoc[n];
            Map<Integer, RerankRequestState.DocScores> perDoc = new HashMap<>(m * 2);
            for (int r = 0; r < m; r++) {
                int i = order[r];
                reranked[r] = new ScoreDoc(docIds[i], finalScores[i], hits[i].shardIndex);
                perDoc.put(docIds[i], new RerankRequestState.DocScores(transformed[i], finalScores[i]));
            }
            for (int i = m; i < n; i++) reranked[i] = new ScoreDoc(docIds[i], firstScores[i], hits[i].shardIndex);
            state.succeeded(perDoc, raw.loadNanos(), raw.stats(), raw.cacheHits(), window.trust(), coverage);
            metrics.succeeded(raw.loadNanos(), raw.stats(), raw.cacheHits(), raw.cacheMisses(), coverage.complete());
            if (!window.trust().trusted()) {
                metrics.untrusted.inc();
                state.notCacheable();
            }
            if (coverage.complete()) {
                RequestContext.reportRerankStatus(RerankStatus.OK, null);
            } else {
                RequestContext.reportPartialCoverage(coverage, coverage.detail(budget.millis()));
            }
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

    /**
     * The scored prefix of the window. One node: down to a chunk's edge ({@link Coverage#of}). A SolrCloud shard:
     * every leading doc scored, since its chunks are global ones and its coordinator decides the global coverage.
     */
    private static Coverage coverage(ModelScore[] rawScores, boolean shard) {
        if (!shard) return Coverage.of(rawScores.length, i -> rawScores[i] != null);
        int prefix = 0;
        while (prefix < rawScores.length && rawScores[prefix] != null) prefix++;
        return new Coverage(prefix, rawScores.length);
    }

    /** On a SolrCloud shard, each docid's place in the coordinator's global window; null on one node. */
    private static Map<Integer, Integer> globalWindowPlaces() {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        return info == null ? null : RequestContext.globalWindowPlaces(info.getReq());
    }

    /**
     * The chunk of each window doc (in first-pass order): by its place in the window on one node, by its place in
     * the global window on a SolrCloud shard, so that every layout scores the same chunks.
     */
    private static int[] chunks(int[] docIds, Map<Integer, Integer> globalPlaces) {
        int[] chunks = new int[docIds.length];
        for (int i = 0; i < docIds.length; i++) {
            Integer place = globalPlaces == null ? Integer.valueOf(i) : globalPlaces.get(docIds[i]);
            chunks[i] = place == null ? Integer.MAX_VALUE : Coverage.chunkOf(place);
        }
        return chunks;
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
        return rawScores(searcher, docIds, new int[docIds.length], rawScores, deadline, null);
    }

    /**
     * Fills {@code rawScores} (aligned with {@code docIds}) with raw scores and the passages read: cached ones
     * first, free; the rest one model call per chunk, in first-pass order. Under {@code reRankTimeAllowed} the
     * budget is checked before each chunk that needs the model, and scoring stops at the first one that finds it
     * spent: the entries of the chunks not reached stay null unless cached.
     *
     * @param chunks each doc's chunk ({@link #chunks}), non-decreasing; all 0 for one call over the whole window
     * @param budget {@code reRankTimeAllowed}, or null for none
     */
    private RawScores rawScores(
            SolrIndexSearcher searcher,
            int[] docIds,
            int[] chunks,
            ModelScore[] rawScores,
            Deadline deadline,
            RerankBudget budget)
            throws IOException {
        ScoreCache cache = ScoreCache.of(searcher, scoreCacheName, params);
        int hits = fromCache(cache, docIds, rawScores);
        long loadNanos = 0;
        ScoringStats stats = ScoringStats.NONE;
        int misses = 0;
        for (int from = 0, to; from < docIds.length; from = to) {
            to = from + 1;
            while (to < docIds.length && chunks[to] == chunks[from]) to++;
            int[] missing = new int[to - from];
            int count = 0;
            for (int i = from; i < to; i++) if (rawScores[i] == null) missing[count++] = i;
            if (count == 0) continue; // a chunk read from the score cache costs nothing
            if (budget != null && budget.spent()) break;
            RawScores chunk = score(searcher, docIds, Arrays.copyOf(missing, count), rawScores, cache, deadline);
            if (budget != null) budget.chunkScored();
            loadNanos += chunk.loadNanos();
            stats = stats.plus(chunk.stats());
            misses += count;
        }
        return new RawScores(loadNanos, stats, hits, cache == null ? 0 : misses);
    }

    /** Copies cached raw scores into {@code rawScores}; how many there were. */
    private static int fromCache(ScoreCache cache, int[] docIds, ModelScore[] rawScores) {
        if (cache == null) return 0;
        int hits = 0;
        for (int i = 0; i < docIds.length; i++) {
            ModelScore cached = cache.get(docIds[i]);
            if (cached != null) {
                rawScores[i] = cached;
                hits++;
            }
        }
        return hits;
    }

    /** Loads the text of the docs at {@code missing} (indexes into docIds) and scores them in one model call. */
    private RawScores score(
            SolrIndexSearcher searcher,
            int[] docIds,
            int[] missing,
            ModelScore[] rawScores,
            ScoreCache cache,
            Deadline deadline)
            throws IOException {
        deadline.check("loading document text");
        int[] missingDocs = new int[missing.length];
        for (int m = 0; m < missing.length; m++) missingDocs[m] = docIds[missing[m]];
        long start = System.nanoTime();
        String[] texts = new DocumentText(params.fields(), params.fieldSeparator()).load(searcher, missingDocs);
        long loadNanos = System.nanoTime() - start;

        ScoredPassages scored = model.score(params.reRankText(), List.of(texts), params.scoring(), deadline);
        for (int m = 0; m < missing.length; m++) {
            PassageSpan passage = scored.spans() == null ? null : scored.spans()[m];
            rawScores[missing[m]] = new ModelScore(scored.scores()[m], passage);
            if (cache != null) cache.put(missingDocs[m], rawScores[missing[m]]);
        }
        return new RawScores(loadNanos, scored.stats(), 0, 0);
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
            Coverage coverage = state.coverage();
            String why = state.status() == RerankStatus.OK
                    ? "not reranked: below the top reRankDocs=" + params.reRankDocs() + " of the first pass"
                    : state.status() == RerankStatus.PARTIAL
                            ? "not reranked: reRankTimeAllowed=" + params.reRankTimeAllowedMillis()
                                    + " ms let the model score the first " + coverage.covered() + " of the top "
                                    + coverage.window() + " docs of the first pass (rerank.status=partial)"
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
