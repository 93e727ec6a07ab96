package org.hybridrerank.solr.context;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The packing rule of {@code context=true}, on its own: the page's passages in final order go into the token
 * budget one after another, and the first passage that fails stops the packing. So the context is always a prefix
 * of the ranking: if a doc is in it, every doc ranked above it is too, and nothing is re-sorted or skipped. A
 * passage fails when {@code minConfidence} is set and it has no confidence below it (checked first; a head has no
 * confidence), or when its tokens exceed what is left of the budget (a passage that fills it exactly fits).
 */
public final class ContextPacker {
    private ContextPacker() {}

    /** Why packing ended. */
    public enum StoppedBy {
        /** the next passage needed more tokens than were left */
        BUDGET,
        /** the next passage's confidence was below minConfidence, or it had none */
        THRESHOLD,
        /** every passage of the page was packed */
        CANDIDATES;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One doc's passage.
     *
     * @param reranked whether the cross-encoder read it (its ce_passage); false: the doc's head
     * @param start first character in the doc's model text
     * @param end after the last character
     * @param tokens its length with the context's tokenizer (no special tokens)
     * @param confidence the calibrated confidence of a reranked doc; null without a calibration, and for heads
     */
    public record Passage(
            String id, boolean reranked, int start, int end, String text, int tokens, Double confidence) {}

    /** What was packed, how many tokens it takes, and why packing ended. */
    public record Packed(List<Passage> passages, int tokensUsed, StoppedBy stoppedBy) {}

    /**
     * @param ranked the page's passages in final order
     * @param budget tokens available, at least 1
     * @param minConfidence null: no confidence floor
     */
    public static Packed pack(List<Passage> ranked, int budget, Double minConfidence) {
        return pack(ranked.iterator(), budget, minConfidence);
    }

    /** As above, pulling passages only until packing stops (they may be computed as they are pulled). */
    public static Packed pack(Iterator<Passage> ranked, int budget, Double minConfidence) {
        List<Passage> packed = new ArrayList<>();
        int used = 0;
        while (ranked.hasNext()) {
            Passage passage = ranked.next();
            if (minConfidence != null && (passage.confidence() == null || passage.confidence() < minConfidence)) {
                return new Packed(packed, used, StoppedBy.THRESHOLD);
            }
            if (passage.tokens() > budget - used) return new Packed(packed, used, StoppedBy.BUDGET);
            packed.add(passage);
            used += passage.tokens();
        }
        return new Packed(packed, used, StoppedBy.CANDIDATES);
    }
}
