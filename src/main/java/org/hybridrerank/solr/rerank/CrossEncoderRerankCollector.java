package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.LeafCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopDocsCollector;
import org.apache.lucene.search.TotalHits;
import org.apache.solr.search.ReRankCollector;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.request.RequestContext;

/**
 * Solr's {@link ReRankCollector} (window, first-pass order beyond K, {@code originalScore()}, fail-open)
 * plus what it lacks: the {@code threshold} (and {@code minConfidence}), under which only reranked docs whose model
 * score (calibrated confidence) reaches it are returned and counted in numFound, the {@code skipped} status when
 * there was nothing to rerank, and, for a partial rerank ({@code reRankTimeAllowed}), the window shrunk to its
 * scored prefix.
 */
final class CrossEncoderRerankCollector extends TopDocsCollector<ScoreDoc> {
    private final ReRankCollector reRank;
    private final int length;
    /** threshold and minConfidence: which reranked docs are kept ({@link RerankParams#keeps}). */
    private final RerankParams filter;

    private final RerankRequestState state;
    private final boolean reranks;
    private final int window;
    private final SolrIndexSearcher searcher;
    private final boolean lowerBelowWindow;
    private TopDocs result;

    /**
     * @param window K: how many of the first-pass top docs the rescorer reranks
     * @param lowerBelowWindow whether docs below the window are lowered under it here ({@link WindowRanking}); a
     *     SolrCloud shard leaves that to its coordinator, which alone sees the global window
     */
    CrossEncoderRerankCollector(
            ReRankCollector reRank,
            int length,
            RerankParams filter,
            RerankRequestState state,
            boolean reranks,
            int window,
            boolean lowerBelowWindow,
            SolrIndexSearcher searcher) {
        super(null);
        this.searcher = searcher;
        this.window = window;
        this.lowerBelowWindow = lowerBelowWindow;
        this.reranks = reranks;
        this.reRank = reRank;
        this.length = length;
        this.filter = filter;
        this.state = state;
    }

    @Override
    public LeafCollector getLeafCollector(LeafReaderContext context) throws IOException {
        return reRank.getLeafCollector(context);
    }

    @Override
    public ScoreMode scoreMode() {
        return reRank.scoreMode();
    }

    @Override
    public int getTotalHits() {
        // Solr asks for the count before the docs; with a threshold the count is known only after reranking
        return !filter.filters() ? reRank.getTotalHits() : (int) result().totalHits.value;
    }

    @Override
    public TopDocs topDocs() {
        return topDocs(0, length);
    }

    @Override
    public TopDocs topDocs(int start) {
        return topDocs(start, length);
    }

    @Override
    public TopDocs topDocs(int start, int howMany) {
        TopDocs all = result();
        int from = Math.min(start, all.scoreDocs.length);
        int to = Math.min(all.scoreDocs.length, from + Math.max(0, howMany));
        return new TopDocs(all.totalHits, Arrays.copyOfRange(all.scoreDocs, from, to));
    }

    private TopDocs result() {
        if (result != null) return result;
        TopDocs ranked = reRank.topDocs(0, length);
        if (!state.attempted()) {
            // no first-pass hits reached the rescorer: a run, with nothing to rerank (kept out of the result cache)
            RequestContext.reportRerankStatus(RerankStatus.SKIPPED, null);
            if (reranks) state.started();
        }
        if (state.reranked()) {
            int k = Math.min(window, ranked.scoreDocs.length);
            // partial: the window is the scored prefix; the rest of the top K is below it, in first-pass order
            if (state.status() == RerankStatus.PARTIAL) k = scoredFirst(ranked.scoreDocs, k);
            // below the window: equal first-pass scores by unique key, as in the window (KeyTieBreak)
            try {
                KeyTieBreak.apply(searcher, ranked.scoreDocs, k, ranked.scoreDocs.length, state.elevated());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (lowerBelowWindow) lowerBelowWindow(ranked.scoreDocs, k);
        }
        if (filter.filters() && state.reranked()) {
            List<ScoreDoc> kept = new ArrayList<>();
            for (ScoreDoc doc : ranked.scoreDocs) {
                RerankRequestState.DocScores scores = state.scoresOf(doc.doc);
                if (scores != null && filter.keeps(scores.model())) kept.add(doc);
            }
            long matches = state.countKept(filter);
            ranked = new TopDocs(new TotalHits(matches, TotalHits.Relation.EQUAL_TO), kept.toArray(new ScoreDoc[0]));
        }
        result = ranked;
        return result;
    }

    /**
     * Of a partial rerank's top {@code k}: elevated docs, then the scored prefix (as ranked), then the unscored docs
     * (in first-pass order), each group keeping its order: Solr's rerank collector re-sorts the top K by score when
     * docs are elevated, which would mix first-pass scores into the window. Returns the window's size.
     */
    private int scoredFirst(ScoreDoc[] docs, int k) {
        List<ScoreDoc> ordered = new ArrayList<>(k);
        for (int group = 0; group < 3; group++) {
            for (int i = 0; i < k; i++) {
                boolean elevated = state.elevated().test(docs[i].doc);
                boolean scored = state.scoresOf(docs[i].doc) != null;
                if ((elevated ? 0 : scored ? 1 : 2) == group) ordered.add(docs[i]);
            }
        }
        int window = 0;
        for (int i = 0; i < k; i++) {
            docs[i] = ordered.get(i);
            if (state.elevated().test(docs[i].doc) || state.scoresOf(docs[i].doc) != null) window++;
        }
        return window;
    }

    /** The window is the first k docs (reranked); those after it are lowered under its lowest final score. */
    private void lowerBelowWindow(ScoreDoc[] docs, int k) {
        if (k == 0 || k == docs.length) return;
        float lowest = Float.POSITIVE_INFINITY;
        for (int i = 0; i < k; i++) lowest = Math.min(lowest, docs[i].score);
        double shift = WindowRanking.belowShift(lowest, docs[k].score);
        state.belowShift(shift);
        if (shift == 0) return;
        // in place: the array may be of a ScoreDoc subtype
        for (int i = k; i < docs.length; i++) docs[i].score = WindowRanking.belowScore(docs[i].score, shift);
    }
}
