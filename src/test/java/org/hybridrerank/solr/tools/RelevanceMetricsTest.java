package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * Metric values worked out by hand, against trec_eval's published definitions. trec_eval's ndcg_cut
 * (m_ndcg_cut.c) uses gain = the qrels relevance value itself (not 2^rel - 1), counts only gains > 0,
 * discounts the doc at 0-based position i by log2(i + 2), i.e. rank r by log2(r + 1), and cuts both the
 * run's DCG and the ideal DCG at k; a query whose ideal DCG is 0 scores 0.
 */
public class RelevanceMetricsTest {
    @Test
    public void matchesHandComputations() {
        List<String> ranking = List.of("a", "b", "c", "d");
        Map<String, Integer> judged = Map.of("b", 1, "d", 2, "x", 1);
        // DCG@4 = 1/log2(3) + 2/log2(5) = 0.63093 + 0.86135; IDCG = 2/1 + 1/log2(3) + 1/2 = 3.13093
        assertEquals(
                (1 / (Math.log(3) / Math.log(2)) + 2 / (Math.log(5) / Math.log(2)))
                        / (2 + 1 / (Math.log(3) / Math.log(2)) + 0.5),
                RelevanceMetrics.ndcg(ranking, judged, 4),
                1e-12);
        assertEquals(0.5, RelevanceMetrics.mrr(ranking, judged, 10), 0);
        assertEquals(0.0, RelevanceMetrics.mrr(ranking, judged, 1), 0);
        assertEquals(2.0 / 3, RelevanceMetrics.recall(ranking, judged, 100), 1e-12);
        assertEquals(1.0 / 3, RelevanceMetrics.recall(ranking, judged, 2), 1e-12);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /**
     * Graded judgments, more relevant docs than the cut-off. Ranking d1..d5 with grades 0, 2, 1, 3, 0; d6 (grade 2)
     * is judged but not retrieved, d7 is judged 0.
     *
     * <pre>
     * DCG@3  = 0/log2(2) + 2/log2(3) + 1/log2(4)           = 0 + 1.261860 + 0.5      = 1.761860
     * IDCG@3 = 3/log2(2) + 2/log2(3) + 2/log2(4)           = 3 + 1.261860 + 1        = 5.261860  (grades 3,2,2 | 1)
     * nDCG@3 = 1.761860 / 5.261860                                                   = 0.334836
     * DCG@5  = 1.761860 + 3/log2(5) + 0                    = 1.761860 + 1.292030     = 3.053889
     * IDCG@5 = 5.261860 + 1/log2(5) + 0/log2(6)            = 5.261860 + 0.430677     = 5.692536
     * nDCG@5 = 3.053889 / 5.692536                                                   = 0.536473
     * </pre>
     *
     * The two usual mistakes give other numbers: an ideal DCG not cut at k gives nDCG@3 = 1.761860 / 5.692536 =
     * 0.309503; exponential gain (2^rel - 1) gives (3/log2(3) + 1/2) / (7 + 3/log2(3) + 3/2) = 0.230236.
     */
    @Test
    public void gradedJudgmentsWithTheIdealCutAtK() {
        List<String> ranking = List.of("d1", "d2", "d3", "d4", "d5");
        Map<String, Integer> judged = Map.of("d2", 2, "d3", 1, "d4", 3, "d6", 2, "d7", 0);
        assertEquals(0.334836, RelevanceMetrics.ndcg(ranking, judged, 3), 1e-6);
        assertEquals(0.536473, RelevanceMetrics.ndcg(ranking, judged, 5), 1e-6);
        // the same from the formula, to the last bit
        assertEquals(
                (2 / log2(3) + 1 / log2(4)) / (3 + 2 / log2(3) + 2 / log2(4)),
                RelevanceMetrics.ndcg(ranking, judged, 3),
                1e-12);
        // a cut-off past the ranking: DCG stays at 5 docs, the ideal grows to all four relevant docs
        assertEquals(3.053889 / 5.692536, RelevanceMetrics.ndcg(ranking, judged, 10), 1e-6);
        // MRR: the first doc graded > 0 is d2 at rank 2, whatever its grade
        assertEquals(0.5, RelevanceMetrics.mrr(ranking, judged, 10), 0);
        // recall counts docs graded > 0 (d2, d3, d4, d6), not grades
        assertEquals(3.0 / 4, RelevanceMetrics.recall(ranking, judged, 5), 1e-12);
        assertEquals(1.0 / 4, RelevanceMetrics.recall(ranking, judged, 2), 1e-12);
    }

    @Test
    public void theIdealRankingIsPerfect() {
        Map<String, Integer> judged = Map.of("a", 3, "b", 2, "c", 1);
        assertEquals(1.0, RelevanceMetrics.ndcg(List.of("a", "b", "c", "x"), judged, 10), 1e-12);
        assertEquals(1.0, RelevanceMetrics.ndcg(List.of("a", "b"), judged, 2), 1e-12);
        // swapping two grades loses: (2 + 3/log2(3)) / (3 + 2/log2(3))
        assertEquals((2 + 3 / log2(3)) / (3 + 2 / log2(3)), RelevanceMetrics.ndcg(List.of("b", "a"), judged, 2), 1e-12);
    }

    @Test
    public void queriesWithoutRelevantDocsScoreZeroNotNaN() {
        List<String> ranking = List.of("a", "b");
        for (Map<String, Integer> judged : List.<Map<String, Integer>>of(Map.of(), Map.of("a", 0, "b", 0))) {
            assertEquals(0.0, RelevanceMetrics.ndcg(ranking, judged, 10), 0);
            assertEquals(0.0, RelevanceMetrics.mrr(ranking, judged, 10), 0);
            assertEquals(0.0, RelevanceMetrics.recall(ranking, judged, 10), 0);
        }
        assertEquals(0.0, RelevanceMetrics.ndcg(List.of(), Map.of("a", 1), 10), 0);
    }
}
