package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.testutil.RerankContract;
import org.junit.Test;

/**
 * Issue 19: scores never rise with rank, across the window edge and across pages, for every fusion method and
 * every reRankOperator, with and without scaling; the order is the documented one (window by final score, then
 * the first pass), with the final scores computed here from the oracle and the formulas, and the explanation of
 * every doc gives its score.
 */
public class WindowEdgeScoresTest extends OracleRerankTestCase {
    private static final int K = 5;

    private static float model(String id) {
        return (float) oracleScore(id);
    }

    private static float first(String id) {
        return (Float) CrossEncoderRerankTest.DOCS.get(id)[2];
    }

    /** Min-max scaling to 0..1 over the window, the middle when all are equal (Solr's reRankScale). */
    private static Map<String, Double> scaled(List<String> window, Function<String, Float> score) {
        double lo = window.stream().mapToDouble(score::apply).min().orElseThrow();
        double hi = window.stream().mapToDouble(score::apply).max().orElseThrow();
        Map<String, Double> out = new HashMap<>();
        for (String id : window) out.put(id, hi == lo ? 0.5 : (score.apply(id) - lo) / (hi - lo));
        return out;
    }

    /** 1-based ranks by score descending, ties in first-pass order. */
    private static Map<String, Integer> ranks(List<String> window, Function<String, Float> score) {
        List<String> sorted = new ArrayList<>(window);
        sorted.sort(Comparator.comparingDouble((String id) -> -score.apply(id)));
        Map<String, Integer> out = new HashMap<>();
        for (int r = 0; r < sorted.size(); r++) out.put(sorted.get(r), r + 1);
        return out;
    }

    /** Each case: the rq's local params and the expected final score of each window doc. */
    private static Map<String, Map<String, Double>> cases() {
        List<String> w = FIRST_PASS.subList(0, K);
        Map<String, Map<String, Double>> cases = new LinkedHashMap<>();
        Map<String, Double> m01 = scaled(w, WindowEdgeScoresTest::model);
        Map<String, Double> f01 = scaled(w, WindowEdgeScoresTest::first);
        Map<String, Integer> modelRank = ranks(w, WindowEdgeScoresTest::model);
        Map<String, Double> fMinMax = scaled(w, WindowEdgeScoresTest::first);
        cases.put("fusion=replace reRankOperator=replace", byId(w, id -> (double) model(id)));
        cases.put("fusion=replace reRankOperator=replace reRankWeight=3", byId(w, id -> 3.0 * model(id)));
        cases.put("fusion=replace reRankOperator=add reRankWeight=2", byId(w, id -> first(id) + 2.0 * model(id)));
        cases.put("fusion=replace reRankOperator=multiply reRankWeight=2", byId(w, id -> first(id) * 2.0 * model(id)));
        cases.put("fusion=replace reRankOperator=replace reRankScale=0-1", byId(w, m01::get));
        cases.put("fusion=replace reRankOperator=add reRankScale=0-1", byId(w, id -> first(id) + m01.get(id)));
        cases.put(
                "fusion=replace reRankOperator=add reRankScale=0-1 reRankMainScale=0-1",
                byId(w, id -> f01.get(id) + m01.get(id)));
        cases.put(
                "fusion=replace reRankOperator=multiply reRankScale=0-1 reRankMainScale=0-1",
                byId(w, id -> f01.get(id) * m01.get(id)));
        cases.put(
                "fusion=rrf rrfK=10 modelWeight=2",
                byId(w, id -> 1.0 / (10 + FIRST_PASS.indexOf(id) + 1) + 2.0 / (10 + modelRank.get(id))));
        cases.put(
                "fusion=linear normalization=minmax modelWeight=0.5",
                byId(w, id -> fMinMax.get(id) + 0.5 * m01.get(id)));
        return cases;
    }

    private static Map<String, Double> byId(List<String> window, Function<String, Double> f) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String id : window) out.put(id, f.apply(id));
        return out;
    }

    private static SolrQuery request(String local, int start, int rows) {
        SolrQuery q = CrossEncoderRerankTest.firstPass(
                "{!crossencoder model=oracle reRankDocs=" + K + " " + local + " scoreCache=false reRankText=$rrq}");
        q.setStart(start);
        q.setRows(rows);
        return q;
    }

    @Test
    public void scoresNeverRiseAcrossTheWindowEdgeOrAcrossPages() throws Exception {
        for (Map.Entry<String, Map<String, Double>> c : cases().entrySet()) {
            String what = c.getKey();
            Map<String, Double> finals = c.getValue();
            List<String> window = new ArrayList<>(finals.keySet());
            window.sort(Comparator.comparingDouble((String id) -> -(float) (double) finals.get(id)));
            List<String> expected = new ArrayList<>(window);
            expected.addAll(FIRST_PASS.subList(K, FIRST_PASS.size()));

            QueryResponse all = solr.query(request(c.getKey(), 0, FIRST_PASS.size()));
            assertEquals(what, "ok", CrossEncoderRerankTest.status(all));
            assertEquals(what + ": order", expected, CrossEncoderRerankTest.ids(all));
            RerankContract.assertNonIncreasing(what, all.getResults());
            double lowest = finals.values().stream()
                    .mapToDouble(v -> (float) (double) v)
                    .min()
                    .orElseThrow();
            for (SolrDocument d : all.getResults()) {
                String id = (String) d.getFieldValue("id");
                float got = (Float) d.getFieldValue("score");
                if (finals.containsKey(id)) {
                    assertEquals(what + " " + id, finals.get(id), got, 1e-5);
                } else {
                    RerankContract.assertBelow(what + " " + id, got, first(id), lowest, first(FIRST_PASS.get(K)));
                }
                assertEquals(
                        what + " " + id + " originalScore()",
                        first(id),
                        (Float) d.getFieldValue("originalScore()"),
                        0f);
            }

            // pages of 2 (one straddles K=5) concatenate to the full answer, scores included
            List<SolrDocument> paged = new ArrayList<>();
            for (int start = 0; start < FIRST_PASS.size(); start += 2) {
                paged.addAll(solr.query(request(c.getKey(), start, 2)).getResults());
            }
            assertEquals(
                    what + ": pages",
                    expected,
                    paged.stream().map(d -> d.getFieldValue("id")).toList());
            for (int i = 0; i < paged.size(); i++) {
                assertEquals(
                        what + ": paged score at " + (i + 1),
                        all.getResults().get(i).getFieldValue("score"),
                        paged.get(i).getFieldValue("score"));
            }
            RerankContract.assertNonIncreasing(what + " (pages)", paged);
        }
    }

    @Test
    public void everyExplanationGivesTheScore() throws Exception {
        for (String local : cases().keySet()) {
            SolrQuery q = request(local, 0, FIRST_PASS.size());
            q.set("debugQuery", "true");
            QueryResponse rsp = solr.query(q);
            Map<String, Object> explain = rsp.getExplainMap() == null ? Map.of() : new HashMap<>(rsp.getExplainMap());
            for (SolrDocument d : rsp.getResults()) {
                String id = (String) d.getFieldValue("id");
                String text = String.valueOf(explain.get(id));
                assertTrue(local + " " + id + ": no explanation", explain.containsKey(id));
                float value = Float.parseFloat(text.trim().split(" ")[0]);
                assertEquals(local + " " + id + ": " + text, (Float) d.getFieldValue("score"), value, 0f);
            }
        }
    }
}
