package org.hybridrerank.solr.hybrid;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.Test;

/** RRF against numbers worked out by hand. */
public class ListFusionTest {
    /** A list in the given order (scores descending, so the order is the rank order). */
    private static RankedList list(int... docs) {
        List<RankedList.Hit> hits = new ArrayList<>();
        for (int i = 0; i < docs.length; i++)
            hits.add(new RankedList.Hit(Integer.toString(docs[i]), docs[i], docs.length - i));
        return new RankedList(hits);
    }

    private static List<Integer> order(List<FusedCandidate> fused) {
        return fused.stream().map(FusedCandidate::doc).toList();
    }

    @Test
    public void sumsReciprocalRanksAndSkipsMissingLists() {
        // lexical: 10, 20, 30   vector: 30, 40
        List<FusedCandidate> fused = ListFusion.fuse(list(10, 20, 30), list(30, 40), 60, 1.0, 1.0);
        // 30: 1/63 + 1/61 = 0.032266; 10: 1/61 = 0.016393; 20: 1/62; 40: 1/62 (tie, lexical first)
        assertEquals(List.of(30, 10, 20, 40), order(fused));
        assertEquals(1.0 / 63 + 1.0 / 61, fused.get(0).fusedScore(), 1e-7);
        assertEquals(1.0 / 61, fused.get(1).fusedScore(), 1e-7);
        assertEquals(3, fused.get(0).lexicalRank());
        assertEquals(1, fused.get(0).vectorRank());
        assertEquals(0, fused.get(1).vectorRank());
    }

    @Test
    public void tiesGoToTheBetterBestRankThenLexicalThenKey() {
        // 9 (lexical 1) and 8 (vector 1) tie at 1/61 with the same best rank: lexical first
        assertEquals(List.of(9, 8), order(ListFusion.fuse(list(9), list(8), 60, 1.0, 1.0)));
        // with lexical weight 0, 4 and 3 tie at 0 and keep lexical order; vector-only 7 comes first
        assertEquals(List.of(7, 4, 3), order(ListFusion.fuse(list(4, 3), list(7), 60, 0.0, 1.0)));
        // vector ranks decide between vector-only docs, whatever their keys
        assertEquals(List.of(2, 1), order(ListFusion.fuse(list(), list(2, 1), 60, 1.0, 1.0)));
        // with both weights 0 everything ties at 0 with best rank 1 and no lexical rank for 5: keys decide
        assertEquals(List.of(6, 5), order(ListFusion.fuse(list(6), list(5), 60, 0.0, 0.0)));
    }

    @Test
    public void weightsScaleEachList() {
        List<FusedCandidate> fused = ListFusion.fuse(list(1, 2), list(2, 1), 10, 1.0, 0.5);
        // 1: 1/11 + 0.5/12 = 0.131818   2: 1/12 + 0.5/11 = 0.128788
        assertEquals(List.of(1, 2), order(fused));
        assertEquals(1.0 / 11 + 0.5 / 12, fused.get(0).fusedScore(), 1e-7);
        assertEquals(1.0 / 12 + 0.5 / 11, fused.get(1).fusedScore(), 1e-7);
    }

    @Test
    public void fusionsReachingZeroAreShiftedToPositiveScoresKeepingTheOrder() {
        List<FusedCandidate> fused = ListFusion.fuse(
                list(1, 2, 3),
                list(3, 2, 1),
                new org.hybridrerank.solr.fusion.LinearCombination(org.hybridrerank.solr.fusion.Normalization.ZSCORE),
                2.0,
                1.0);
        for (FusedCandidate c : fused) assertTrue(c.key() + ": " + c.fusedScore(), c.fusedScore() > 0);
        assertEquals(
                "the lowest candidate scores 1", 1f, fused.get(fused.size() - 1).fusedScore(), 1e-6f);
        // a list of weight 0: docs found only there would score 0
        for (FusedCandidate c : ListFusion.fuse(list(1, 2), list(3), 60, 0.0, 1.0)) {
            assertTrue(c.key() + ": " + c.fusedScore(), c.fusedScore() > 0);
        }
        // lexical weight 2 wins: the lexical order
        assertEquals(List.of(1, 2, 3), order(fused));
    }
}
