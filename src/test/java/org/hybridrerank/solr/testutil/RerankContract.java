package org.hybridrerank.solr.testutil;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.apache.solr.common.SolrDocument;

/**
 * The score rule of docs/rerank-contract.md, as tests state it: the window keeps its final scores, and when the
 * best first-pass score below the window (B) is not under the window's lowest final score (W), every doc below
 * the window scores its first-pass score minus about {@code B - W}, the best of them strictly under W.
 */
public final class RerankContract {
    private RerankContract() {}

    /**
     * Expected score of a doc below the window (within float rounding of the lowering).
     *
     * @param firstPass the doc's first-pass score
     * @param windowLowest W
     * @param bestBelow B
     */
    public static double below(double firstPass, double windowLowest, double bestBelow) {
        return bestBelow < windowLowest ? firstPass : windowLowest - (bestBelow - firstPass);
    }

    /** Scores of the docs in response order never rise, and none is NaN. */
    public static void assertNonIncreasing(String what, List<SolrDocument> docs) {
        for (int i = 1; i < docs.size(); i++) {
            float before = (Float) docs.get(i - 1).getFieldValue("score");
            float here = (Float) docs.get(i).getFieldValue("score");
            assertTrue(
                    what + ": score rises at rank " + (i + 1) + " ("
                            + docs.get(i).getFieldValue("id") + "): " + before + " then " + here,
                    here <= before);
        }
    }

    /** A below-window doc's score as the rule says, and the best of them strictly under the window. */
    public static void assertBelow(String what, float got, double firstPass, double windowLowest, double bestBelow) {
        assertEquals(what, below(firstPass, windowLowest, bestBelow), got, 1e-5);
        assertTrue(what + ": " + got + " not under the window's lowest " + windowLowest, got < windowLowest);
    }
}
