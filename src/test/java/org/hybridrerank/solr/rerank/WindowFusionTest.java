package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.testutil.RerankContract;
import org.junit.Test;

/**
 * {@code fusion=rrf|linear}: the oracle's ranking of the window fused with the first-pass ranking, the
 * expected scores computed here from the oracle's formula and the fusion formulas, independently of the plugin.
 */
public class WindowFusionTest extends OracleRerankTestCase {
    private static double model(String id) {
        return oracleScore(id);
    }

    private static double firstPass(String id) {
        return (Float) CrossEncoderRerankTest.DOCS.get(id)[2];
    }

    /** The window's docs by expected final score (stable: first-pass order on ties), then the rest. */
    private static void assertRanking(QueryResponse rsp, int k, Map<String, Double> expectedFinal) {
        assertEquals("ok", CrossEncoderRerankTest.status(rsp));
        RerankContract.assertWindowThenRest(
                rsp.getResults(), FIRST_PASS, WindowFusionTest::firstPass, k, expectedFinal);
    }

    /** 1-based ranks of the window's docs by {@code score} descending, ties in first-pass order. */
    private static Map<String, Integer> ranks(List<String> window, java.util.function.ToDoubleFunction<String> score) {
        List<String> sorted = new ArrayList<>(window);
        sorted.sort(Comparator.comparingDouble((String id) -> -score.applyAsDouble(id)));
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (int r = 0; r < sorted.size(); r++) ranks.put(sorted.get(r), r + 1);
        return ranks;
    }

    @Test
    public void rrfFusesTheModelRankingWithTheFirstPassRanking() throws Exception {
        int k = 6;
        List<String> window = FIRST_PASS.subList(0, k);
        Map<String, Integer> modelRanks = ranks(window, WindowFusionTest::model);
        Map<String, Double> expected = new LinkedHashMap<>();
        for (int i = 0; i < k; i++) {
            String id = window.get(i);
            expected.put(id, 1.0 / (10 + i + 1) + 2.0 / (10 + modelRanks.get(id)));
        }
        QueryResponse rsp = solr.query(CrossEncoderRerankTest.firstPass(
                "{!crossencoder model=oracle reRankDocs=6 fusion=rrf rrfK=10 modelWeight=2 reRankText=$rrq}"));
        assertRanking(rsp, k, expected);
        // the fusion really differs from both inputs: not first-pass order, not the model's order alone
        List<String> got = CrossEncoderRerankTest.ids(rsp).subList(0, k);
        assertNotEquals(window, got);
        assertNotEquals(new ArrayList<>(modelRanks.keySet()), got);
    }

    @Test
    public void linearFusesMinMaxNormalizedScores() throws Exception {
        int k = 6;
        List<String> window = FIRST_PASS.subList(0, k);
        double fLo =
                window.stream().mapToDouble(WindowFusionTest::firstPass).min().orElseThrow();
        double fHi =
                window.stream().mapToDouble(WindowFusionTest::firstPass).max().orElseThrow();
        double mLo = window.stream().mapToDouble(id -> (float) model(id)).min().orElseThrow();
        double mHi = window.stream().mapToDouble(id -> (float) model(id)).max().orElseThrow();
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String id : window) {
            double f = (firstPass(id) - fLo) / (fHi - fLo);
            double m = ((float) model(id) - mLo) / (mHi - mLo);
            expected.put(id, f + 0.5 * m);
        }
        QueryResponse rsp = solr.query(CrossEncoderRerankTest.firstPass(
                "{!crossencoder model=oracle reRankDocs=6 fusion=linear normalization=minmax modelWeight=0.5 "
                        + "reRankText=$rrq}"));
        assertRanking(rsp, k, expected);
    }

    @Test
    public void badFusionParametersAre400sNamingThem() throws Exception {
        for (String[] bad : new String[][] {
            {"fusion=blend", "'fusion'"},
            {"normalization=max", "'normalization'"},
            {"rrfK=0", "'rrfK'"},
            {"modelWeight=-1", "'modelWeight'"}
        }) {
            SolrQuery q =
                    CrossEncoderRerankTest.firstPass("{!crossencoder model=oracle " + bad[0] + " reRankText=$rrq}");
            var e = expectThrows(org.apache.solr.common.SolrException.class, () -> solr.query(q));
            assertEquals(bad[0], 400, e.code());
            assertTrue(bad[0] + ": " + e.getMessage(), e.getMessage().contains(bad[1]));
        }
    }
}
