package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.util.NamedList;
import org.junit.Test;

/**
 * {@code trustGap}: the model's ranking joins the result only when its best score exceeds its 10th best (the last
 * one in a smaller window) by at least the gap. The gap is computed here from the oracle's formula, independently
 * of the plugin, and each request is sent with the gap just above and just below it.
 */
public class ModelTrustTest extends OracleRerankTestCase {
    private static final int K = 6;

    private static float model(String id) {
        return (float) oracleScore(id);
    }

    /** Best minus worst oracle score of the first K docs: with K < 10 the last one is the one compared. */
    private static double windowGap() {
        List<String> window = FIRST_PASS.subList(0, K);
        double best = window.stream().mapToDouble(ModelTrustTest::model).max().orElseThrow();
        double worst = window.stream().mapToDouble(ModelTrustTest::model).min().orElseThrow();
        return best - worst;
    }

    private static QueryResponse rrf(String trustGap) throws Exception {
        SolrQuery q = CrossEncoderRerankTest.firstPass("{!crossencoder model=oracle reRankDocs=" + K
                + " fusion=rrf rrfK=10 trustGap=" + trustGap + " reRankText=$rrq}");
        q.set("debugQuery", true);
        return solr.query(q);
    }

    @Test
    public void theGapIsTheOraclesBestMinusItsLastInTheWindow() {
        double gap = windowGap();
        assertTrue("the fixture must give the oracle an order to trust: " + gap, gap > 0.2);
    }

    @Test
    public void aGapAtOrAboveTheMinimumKeepsTheModelsRanking() throws Exception {
        double gap = windowGap();
        QueryResponse always = rrf("0");
        QueryResponse trusted = rrf(Double.toString(gap * 0.99));
        assertEquals("ok", CrossEncoderRerankTest.status(trusted));
        assertEquals(CrossEncoderRerankTest.ids(always), CrossEncoderRerankTest.ids(trusted));
        assertNotEquals("the model moves the window", FIRST_PASS, CrossEncoderRerankTest.ids(trusted));
        NamedList<?> debug = rerankDebug(trusted);
        assertEquals(Boolean.TRUE, debug.get("modelTrusted"));
        assertEquals(Boolean.TRUE, trusted.getHeader().get("rerank.modelTrusted"));
        assertNull("trustGap=0 judges nothing", always.getHeader().get("rerank.modelTrusted"));
        assertEquals(gap, ((Number) debug.get("modelGap")).doubleValue(), 1e-6);
    }

    @Test
    public void aGapBelowTheMinimumKeepsTheFirstPassOrderWithModelWeightZero() throws Exception {
        double gap = windowGap();
        QueryResponse rsp = rrf(Double.toString(gap * 1.01));
        assertEquals("ok", CrossEncoderRerankTest.status(rsp));
        assertEquals(FIRST_PASS, CrossEncoderRerankTest.ids(rsp));
        // the window's final scores are the first-pass list's RRF contributions alone: 1 / (rrfK + rank)
        for (SolrDocument d : rsp.getResults()) {
            int rank = FIRST_PASS.indexOf((String) d.getFieldValue("id")) + 1;
            if (rank <= K) assertEquals(1.0f / (10 + rank), (Float) d.getFieldValue("score"), 1e-7f);
        }
        NamedList<?> debug = rerankDebug(rsp);
        assertEquals(Boolean.FALSE, debug.get("modelTrusted"));
        assertEquals(Boolean.FALSE, rsp.getHeader().get("rerank.modelTrusted"));
        String explain = String.valueOf(rsp.getExplainMap().get("d1"));
        assertTrue(explain, explain.contains("left out of this query") && explain.contains("trustGap="));
    }

    @Test
    public void aRepeatedRequestReportsTheSameVerdictFromTheQueryResultCacheOrWithout() throws Exception {
        double gap = windowGap();
        String[] gaps = {Double.toString(gap * 0.98), Double.toString(gap * 1.02)};
        for (String trustGap : gaps) {
            SolrQuery q = CrossEncoderRerankTest.firstPass("{!crossencoder model=oracle reRankDocs=" + K
                    + " fusion=rrf rrfK=10 trustGap=" + trustGap + " reRankText=$rrq}");
            QueryResponse first = solr.query(q);
            QueryResponse again = solr.query(q);
            assertEquals(
                    trustGap,
                    first.getHeader().get("rerank.modelTrusted"),
                    again.getHeader().get("rerank.modelTrusted"));
            assertEquals(trustGap, CrossEncoderRerankTest.ids(first), CrossEncoderRerankTest.ids(again));
        }
        assertEquals(
                Boolean.TRUE,
                solr.query(CrossEncoderRerankTest.firstPass("{!crossencoder model=oracle reRankDocs=" + K
                                + " fusion=rrf rrfK=10 trustGap=" + gaps[0] + " reRankText=$rrq}"))
                        .getHeader()
                        .get("rerank.modelTrusted"));
    }

    @Test
    public void replaceKeepsTheFirstPassScoresWhenTheModelIsNotTrusted() throws Exception {
        double gap = windowGap();
        QueryResponse trusted = solr.query(CrossEncoderRerankTest.firstPass(
                "{!crossencoder model=oracle reRankDocs=" + K + " trustGap=" + gap * 0.99 + " reRankText=$rrq}"));
        List<String> byModel = new ArrayList<>(FIRST_PASS.subList(0, K));
        byModel.sort(Comparator.comparingDouble((String id) -> -model(id)));
        assertEquals(byModel, CrossEncoderRerankTest.ids(trusted).subList(0, K));

        QueryResponse untrusted = solr.query(CrossEncoderRerankTest.firstPass(
                "{!crossencoder model=oracle reRankDocs=" + K + " trustGap=" + gap * 1.01 + " reRankText=$rrq}"));
        assertEquals(FIRST_PASS, CrossEncoderRerankTest.ids(untrusted));
        for (SolrDocument d : untrusted.getResults()) {
            Object[] doc = CrossEncoderRerankTest.DOCS.get((String) d.getFieldValue("id"));
            assertEquals((Float) doc[2], (Float) d.getFieldValue("score"), 0f);
        }
    }

    @Test
    public void theGapIsMeasuredInRawScoresWhateverTheTransform() throws Exception {
        double gap = windowGap();
        // sigmoid squeezes the oracle's [0, 1] into [0.5, 0.73]: a gap measured on transformed scores would be
        // about a quarter of the raw one and fall under this minimum
        QueryResponse rsp = solr.query(CrossEncoderRerankTest.firstPass("{!crossencoder model=oracle reRankDocs=" + K
                + " score=sigmoid trustGap=" + gap * 0.99 + " reRankText=$rrq}"));
        List<String> byModel = new ArrayList<>(FIRST_PASS.subList(0, K));
        byModel.sort(Comparator.comparingDouble((String id) -> -model(id)));
        assertEquals(byModel, CrossEncoderRerankTest.ids(rsp).subList(0, K));
    }

    @Test
    public void badTrustGapsAre400sNamingTheParameter() throws Exception {
        for (String bad : new String[] {"-1", "abc", "NaN", "Infinity"}) {
            SolrQuery q = CrossEncoderRerankTest.firstPass(
                    "{!crossencoder model=oracle trustGap=" + bad + " reRankText=$rrq}");
            var e = expectThrows(org.apache.solr.common.SolrException.class, () -> solr.query(q));
            assertEquals(bad, 400, e.code());
            assertTrue(bad + ": " + e.getMessage(), e.getMessage().contains("'trustGap'"));
        }
    }

    @Test
    public void theTenthBestIsComparedInALargerWindow() {
        float[] scores = new float[20];
        for (int i = 0; i < scores.length; i++) scores[i] = 10 - i; // 10, 9, ..., -9: the 10th best is 1
        assertEquals(9.0, ModelTrust.gap(scores, ScoreTransform.LOGIT), 0);
        assertEquals(0.0, ModelTrust.gap(new float[] {3f}, ScoreTransform.LOGIT), 0);
        assertTrue(new ModelTrust(9).judge(scores, ScoreTransform.LOGIT).trusted());
        assertFalse(new ModelTrust(9.5).judge(scores, ScoreTransform.LOGIT).trusted());
        assertTrue(ModelTrust.ALWAYS
                .judge(new float[] {1f, 1f}, ScoreTransform.LOGIT)
                .trusted());
    }

    private static NamedList<?> rerankDebug(QueryResponse rsp) {
        return (NamedList<?>) rsp.getDebugMap().get("rerank");
    }
}
