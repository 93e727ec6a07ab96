package org.hybridrerank.solr.testutil;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
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

    /**
     * A page of every doc as the rule orders it: the window (the first {@code k} docs of {@code firstPass}) by its
     * expected final score, ties in first-pass order, with exactly those scores; then the other docs in first-pass
     * order, their first-pass scores lowered under the window's lowest.
     *
     * @param firstPass every doc's id in first-pass order
     * @param firstPassScore a doc's first-pass score
     * @param expectedFinal the expected final score of each window doc
     */
    public static void assertWindowThenRest(
            List<SolrDocument> page,
            List<String> firstPass,
            ToDoubleFunction<String> firstPassScore,
            int k,
            Map<String, Double> expectedFinal) {
        List<String> window = new ArrayList<>(firstPass.subList(0, k));
        window.sort(Comparator.comparingDouble((String id) -> -expectedFinal.get(id)));
        List<String> expected = new ArrayList<>(window);
        expected.addAll(firstPass.subList(k, firstPass.size()));
        assertEquals(
                expected, page.stream().map(d -> (String) d.getFieldValue("id")).toList());
        double lowest = expectedFinal.values().stream()
                .mapToDouble(v -> (float) (double) v)
                .min()
                .orElseThrow();
        double best = firstPassScore.applyAsDouble(firstPass.get(k));
        for (SolrDocument d : page) {
            String id = (String) d.getFieldValue("id");
            float got = (Float) d.getFieldValue("score");
            if (expectedFinal.containsKey(id)) {
                assertEquals(id, (float) (double) expectedFinal.get(id), got, 1e-6f);
            } else {
                assertBelow(id, got, firstPassScore.applyAsDouble(id), lowest, best);
            }
        }
        assertNonIncreasing("the window then the rest", page);
    }
}
