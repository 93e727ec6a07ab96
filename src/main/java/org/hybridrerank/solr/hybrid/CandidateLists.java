package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.hybridrerank.solr.fusion.FirstStageLists;
import org.hybridrerank.solr.fusion.RankedScores;

/**
 * The lexical and vector lists behind the first-stage candidates, as fusion inputs for the rerank window:
 * the lists the mode used, with the request's weights, each doc's rank and score in them.
 */
public final class CandidateLists implements FirstStageLists {
    private final HybridParams hybrid;
    private final Map<Integer, FusedCandidate> byDoc;

    CandidateLists(HybridParams hybrid, Map<Integer, FusedCandidate> byDoc) {
        this.hybrid = hybrid;
        this.byDoc = byDoc;
    }

    @Override
    public List<RankedScores> over(int[] docs) {
        List<FusedCandidate> window = new ArrayList<>(docs.length);
        for (int doc : docs) window.add(byDoc.get(doc));
        return inputs(hybrid, window);
    }

    /**
     * The fusion inputs over {@code window} (null entries: docs that are no candidates, in no list). Public so
     * that offline tuning (bin/tune) builds the window's lists with this very function.
     */
    public static List<RankedScores> inputs(HybridParams hybrid, List<FusedCandidate> window) {
        boolean both = hybrid.mode().usesLexical() && hybrid.mode().usesVector();
        List<RankedScores> lists = new ArrayList<>(2);
        if (hybrid.mode().usesLexical()) {
            lists.add(list(
                    "lexical",
                    both ? hybrid.lexicalWeight() : 1.0,
                    window,
                    FusedCandidate::lexicalRank,
                    FusedCandidate::lexicalScore));
        }
        if (hybrid.mode().usesVector()) {
            lists.add(list(
                    "vector",
                    both ? hybrid.vectorWeight() : 1.0,
                    window,
                    FusedCandidate::vectorRank,
                    FusedCandidate::vectorScore));
        }
        return lists;
    }

    private static RankedScores list(
            String name,
            double weight,
            List<FusedCandidate> window,
            ToIntFunction<FusedCandidate> rank,
            ToDoubleFunction<FusedCandidate> score) {
        int[] ranks = new int[window.size()];
        float[] scores = new float[window.size()];
        for (int i = 0; i < ranks.length; i++) {
            FusedCandidate c = window.get(i);
            if (c != null && rank.applyAsInt(c) > 0) {
                ranks[i] = rank.applyAsInt(c);
                scores[i] = (float) score.applyAsDouble(c);
            }
        }
        return new RankedScores(name, weight, ranks, scores);
    }
}
