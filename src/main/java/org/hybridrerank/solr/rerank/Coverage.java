package org.hybridrerank.solr.rerank;

import java.util.function.IntPredicate;
import org.hybridrerank.solr.request.RequestContext;

/**
 * How much of the rerank window the model scored within {@code reRankTimeAllowed}: the first {@code covered} docs
 * of the window's first-pass order (a prefix, never a scattering). Scoring runs in chunks of {@link #CHUNK_DOCS}
 * consecutive window places and stops at a chunk's edge, so the coverage is a whole number of chunks, or the
 * whole window. Whoever ranks the window (the node, or a SolrCloud coordinator over its shards' scores) ranks the
 * covered prefix exactly as a window of that size ({@link WindowRanking}); the docs after it follow in first-pass
 * order under the same below-window rule.
 *
 * @param covered N: the docs ranked as the window
 * @param window K: the window asked for (reRankDocs, or fewer first-pass hits)
 */
public record Coverage(int covered, int window) {
    /** Window places scored per chunk; the budget is checked before each chunk that needs the model. */
    public static final int CHUNK_DOCS = 8;

    public Coverage {
        if (covered < 0 || covered > window) {
            throw new IllegalArgumentException("coverage " + covered + "/" + window);
        }
    }

    /**
     * The coverage of a window whose places {@code scored} tells which have a model score: the longest prefix of
     * scored places, down to a chunk's edge unless it is the whole window. The same on one node (which stops at a
     * chunk's edge anyway, but may find later docs in the score cache) and on a coordinator (whose shards score
     * the same global chunks, each its own docs of them).
     */
    public static Coverage of(int window, IntPredicate scored) {
        int prefix = 0;
        while (prefix < window && scored.test(prefix)) prefix++;
        return new Coverage(prefix == window ? window : prefix - prefix % CHUNK_DOCS, window);
    }

    /** The chunk a window place belongs to. */
    public static int chunkOf(int place) {
        return place / CHUNK_DOCS;
    }

    public boolean complete() {
        return covered == window;
    }

    /** {@code N/K}, the value of the {@code rerank.coverage} response header. */
    public String label() {
        return covered + "/" + window;
    }

    /** What a partial status says in {@code rerank.detail}. */
    String detail(long budgetMillis) {
        return "reRankTimeAllowed=" + budgetMillis + " ms was spent after the model scored the first " + covered
                + " of " + window + " docs; the rest keep their first-pass order";
    }

    /** What a timeout without any chunk scored says in {@code rerank.detail}. */
    static String nothingScored(long budgetMillis) {
        return "reRankTimeAllowed=" + budgetMillis + " ms was spent before the first chunk of " + CHUNK_DOCS
                + " docs was scored; first-pass order";
    }

    /**
     * A SolrCloud coordinator's verdict, once it knows the global coverage: {@code ok} for the whole window,
     * {@code partial} with {@code rerank.coverage} for a prefix, {@code timeout} for none (first-pass order), as
     * one node reports the same coverage.
     */
    public void reportAsCoordinator(long budgetMillis) {
        if (complete()) {
            RequestContext.reportRerankStatus(RerankStatus.OK, null);
        } else if (covered == 0) {
            RequestContext.reportRerankStatus(RerankStatus.TIMEOUT, nothingScored(budgetMillis));
        } else {
            RequestContext.reportPartialCoverage(this, detail(budgetMillis));
        }
    }
}
