package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.fusion.Fusion;
import org.hybridrerank.solr.fusion.RankedScores;
import org.hybridrerank.solr.fusion.ReciprocalRank;

/**
 * The lexical and the vector list fused into the first stage's candidates by a {@link Fusion} method. Ties are
 * broken by the better best rank, then by the lexical list, then by unique key, so the order is a pure
 * function of the input lists.
 */
public final class ListFusion {
    private ListFusion() {}

    /** Reciprocal Rank Fusion with constant {@code k}. */
    public static List<FusedCandidate> fuse(
            RankedList lexical, RankedList vector, int k, double lexicalWeight, double vectorWeight) {
        return fuse(lexical, vector, new ReciprocalRank(k), lexicalWeight, vectorWeight);
    }

    public static List<FusedCandidate> fuse(
            RankedList lexical, RankedList vector, Fusion fusion, double lexicalWeight, double vectorWeight) {
        Map<String, FusedCandidate.Builder> byKey = new LinkedHashMap<>();
        for (int r = 0; r < lexical.size(); r++) {
            RankedList.Hit hit = lexical.get(r);
            byKey.computeIfAbsent(hit.key(), x -> new FusedCandidate.Builder(hit))
                    .lexical(r + 1, hit.score());
        }
        for (int r = 0; r < vector.size(); r++) {
            RankedList.Hit hit = vector.get(r);
            byKey.computeIfAbsent(hit.key(), x -> new FusedCandidate.Builder(hit))
                    .vector(r + 1, hit.score());
        }
        List<FusedCandidate.Builder> items = new ArrayList<>(byKey.values());
        int n = items.size();
        int[] lexicalRanks = new int[n];
        float[] lexicalScores = new float[n];
        int[] vectorRanks = new int[n];
        float[] vectorScores = new float[n];
        for (int i = 0; i < n; i++) {
            FusedCandidate.Builder b = items.get(i);
            lexicalRanks[i] = b.lexicalRank;
            lexicalScores[i] = b.lexicalScore;
            vectorRanks[i] = b.vectorRank;
            vectorScores[i] = b.vectorScore;
        }
        double[] scores = fusion.fuse(
                n,
                List.of(
                        new RankedScores("lexical", lexicalWeight, lexicalRanks, lexicalScores),
                        new RankedScores("vector", vectorWeight, vectorRanks, vectorScores)));
        // Lucene ranks positive scores only, and tied scores are later separated by ulps below them: a fusion that
        // can reach 0 or below (a z-score combination, a minimum-normalized doc, a list of weight 0) is shifted so
        // that its lowest candidate scores 1, keeping the order
        double min = Double.POSITIVE_INFINITY;
        for (double score : scores) min = Math.min(min, score);
        double shift = min <= 0 ? 1 - min : 0;
        List<FusedCandidate> fused = new ArrayList<>(n);
        for (int i = 0; i < n; i++) fused.add(items.get(i).build((float) (scores[i] + shift)));
        fused.sort(ORDER);
        return fused;
    }

    /** Fused score descending; then best rank; then lexical rank; then unique key. */
    static final Comparator<FusedCandidate> ORDER = Comparator.comparingDouble((FusedCandidate c) -> -c.fusedScore())
            .thenComparingInt(FusedCandidate::bestRank)
            .thenComparingInt(c -> c.lexicalRank() > 0 ? c.lexicalRank() : Integer.MAX_VALUE)
            .thenComparing(FusedCandidate::key);
}
