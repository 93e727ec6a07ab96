package org.hybridrerank.solr.rerank;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

/** The rule's arithmetic at its edges: zero, equal, huge and negative scores all end strictly under W. */
public class WindowRankingTest {
    @Test
    public void theBestDocBelowLandsJustUnderTheWindow() {
        float[][] cases = {{0f, 3f}, {0.03f, 3.148f}, {1000.5f, 1000.5f}, {-5f, 1e6f}, {1e-30f, 1e-30f}, {7f, 7.0001f}};
        for (float[] c : cases) {
            float w = c[0];
            float b = c[1];
            double shift = WindowRanking.belowShift(w, b);
            float best = WindowRanking.belowScore(b, shift);
            assertTrue(w + "/" + b + ": " + best, best < w);
            assertEquals(w + "/" + b, w, best, Math.max(1e-6, Math.abs(w) * 1e-6));
            // a lower doc below stays lower
            assertTrue(WindowRanking.belowScore(b - 1, shift) <= best);
        }
    }

    @Test
    public void nothingMovesWhenTheWindowIsAlreadyAbove() {
        assertEquals(0.0, WindowRanking.belowShift(5f, 4.9f), 0);
        assertEquals(4.9f, WindowRanking.belowScore(4.9f, 0), 0f);
        assertEquals(0.0, WindowRanking.belowShift(Float.NaN, 4.9f), 0);
    }

    @Test
    public void theWindowOrderIsStableOnTies() {
        assertEquals(
                java.util.List.of(1, 0, 2, 3),
                java.util.Arrays.stream(WindowRanking.order(new float[] {1f, 2f, 1f, 0.5f}))
                        .boxed()
                        .toList());
    }
}
