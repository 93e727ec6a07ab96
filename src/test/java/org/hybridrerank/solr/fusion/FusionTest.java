package org.hybridrerank.solr.fusion;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

/** The fusion methods against hand computations (values worked out in the comments). */
public class FusionTest {
    private static final float ABSENT = 0f;

    // items 0, 1, 2: list a ranks them 1, 2, absent with scores 10, 4; list b ranks them absent, 2, 1 with 0.5, 0.9
    private static final RankedScores A =
            new RankedScores("a", 1.0, new int[] {1, 2, 0}, new float[] {10f, 4f, ABSENT});
    private static final RankedScores B =
            new RankedScores("b", 2.0, new int[] {0, 2, 1}, new float[] {ABSENT, 0.5f, 0.9f});

    @Test
    public void reciprocalRankSumsWeightOverKPlusRank() {
        // k=10: item0 = 1/11; item1 = 1/12 + 2/12 = 0.25; item2 = 2/11
        assertArrayEquals(
                new double[] {1.0 / 11, 0.25, 2.0 / 11}, new ReciprocalRank(10).fuse(3, List.of(A, B)), 1e-12);
    }

    @Test
    public void linearMinMaxNormalizesEachListOverTheItemsItHolds() {
        // a: min 4, max 10 -> item0 1, item1 0; b: min 0.5, max 0.9 -> item1 0, item2 1 (x2)
        assertArrayEquals(
                new double[] {1.0, 0.0, 2.0}, new LinearCombination(Normalization.MINMAX).fuse(3, List.of(A, B)), 1e-6);
    }

    @Test
    public void linearL2DividesByTheListsNorm() {
        // a: |(10,4)| = sqrt(116); b: |(0.5,0.9)| = sqrt(1.06)
        double na = Math.sqrt(116);
        double nb = Math.sqrt(0.25 + 0.81);
        assertArrayEquals(
                new double[] {10 / na, 4 / na + 2 * 0.5 / nb, 2 * 0.9 / nb},
                new LinearCombination(Normalization.L2).fuse(3, List.of(A, B)),
                1e-6);
    }

    @Test
    public void linearZScoreCentresOnTheMeanInStandardDeviations() {
        // a: mean 7, sd 3 -> +1, -1; b: mean 0.7, sd 0.2 -> -1, +1 (x2)
        assertArrayEquals(
                new double[] {1.0, -1.0 - 2.0, 2.0},
                new LinearCombination(Normalization.ZSCORE).fuse(3, List.of(A, B)),
                1e-6);
    }

    @Test
    public void equalScoresNormalizeWithoutDividingByZero() {
        RankedScores flat = new RankedScores("flat", 1.0, new int[] {1, 2}, new float[] {3f, 3f});
        assertArrayEquals(new double[] {1, 1}, new LinearCombination(Normalization.MINMAX).fuse(2, List.of(flat)), 0);
        assertArrayEquals(new double[] {0, 0}, new LinearCombination(Normalization.ZSCORE).fuse(2, List.of(flat)), 0);
        RankedScores zero = new RankedScores("zero", 1.0, new int[] {1, 2}, new float[] {0f, 0f});
        assertArrayEquals(new double[] {0, 0}, new LinearCombination(Normalization.L2).fuse(2, List.of(zero)), 0);
    }

    @Test
    public void rankingByScoreKeepsItemOrderForTies() {
        RankedScores ranked = RankedScores.byScore("m", 1.0, new float[] {0.2f, 0.9f, 0.2f, 0.5f});
        assertArrayEquals(new int[] {3, 1, 4, 2}, ranked.ranks());
        assertEquals("rrf k=60", new ReciprocalRank(60).describe());
    }
}
