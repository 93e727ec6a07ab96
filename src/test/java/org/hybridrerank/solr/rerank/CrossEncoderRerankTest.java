package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.NamedList;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.RerankContract;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code rq={!crossencoder}} on a real core with the overlap oracle, whose scores {@link OverlapOracle}
 * computes independently; the first pass is {@code {!func}first_pass}, so its order is known exactly.
 */
public class CrossEncoderRerankTest extends RerankCoreTestCase {
    static final String QUERY = "vitamin d deficiency and bone fractures in adults";

    /** id → {title, text, first-pass score}; first-pass order is d1 > d2 > ... > d8. */
    static final Map<String, Object[]> DOCS = new LinkedHashMap<>();

    static {
        DOCS.put("d1", new Object[] {"Weather report", "Mild weather in Paris this week.", 8f});
        DOCS.put("d2", new Object[] {"Bone health", "Fractures of the bone heal slowly in adults.", 7f});
        DOCS.put("d3", new Object[] {"Vitamin D", "Vitamin D deficiency and bone fractures in adults: a cohort.", 6f});
        DOCS.put("d4", new Object[] {"Diet", "Deficiency of iron.", 5f});
        DOCS.put("d5", new Object[] {"Sunlight", "Vitamin d is made in skin.", 4f});
        DOCS.put("d6", new Object[] {"Fractures", "Bone fractures and vitamin d deficiency in adults.", 3f});
        DOCS.put("d7", new Object[] {"Unrelated", "Stock markets fell.", 2f});
        DOCS.put("d8", new Object[] {"Adults", "Adults and vitamin d.", 1f});
    }

    static OverlapOracle oracle;

    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        oracle = new OverlapOracle();
        for (String id : DOCS.keySet()) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", id);
            doc.addField("title", DOCS.get(id)[0]);
            doc.addField("text", DOCS.get(id)[1]);
            doc.addField("first_pass", DOCS.get(id)[2]);
            doc.addField("label_dv", "label " + DOCS.get(id)[0]);
            doc.addField("hidden", "vitamin d deficiency");
            solr.add(doc);
        }
        solr.commit();
    }

    @AfterClass
    public static void afterClass() throws Exception {
        if (oracle != null) oracle.close();
        oracle = null;
    }

    static SolrQuery firstPass(String rq) {
        SolrQuery q = new SolrQuery("{!func}first_pass");
        q.set("rrq", QUERY);
        if (rq != null) q.set("rq", rq);
        q.setFields("id", "score", "originalScore()");
        q.setRows(DOCS.size());
        return q;
    }

    static List<String> ids(QueryResponse rsp) {
        List<String> ids = new ArrayList<>();
        for (SolrDocument d : rsp.getResults()) ids.add((String) d.getFieldValue("id"));
        return ids;
    }

    static String status(QueryResponse rsp) {
        return (String) rsp.getHeader().get(RequestContext.STATUS_HEADER);
    }

    static double oracleScore(String id) {
        Object[] d = DOCS.get(id);
        return oracle.score(QUERY, d[0] + " " + d[1]);
    }

    /** First-pass top K sorted by {@code key} descending (stable), then the rest in first-pass order. */
    static List<String> expectedOrder(int k, Comparator<String> byScoreDesc) {
        List<String> all = new ArrayList<>(DOCS.keySet());
        List<String> top = new ArrayList<>(all.subList(0, k));
        top.sort(byScoreDesc);
        top.addAll(all.subList(k, all.size()));
        return top;
    }

    @Test
    public void reranksTopKExactlyAsTheOracleSays() throws Exception {
        QueryResponse rsp = solr.query(firstPass("{!crossencoder reRankDocs=5 reRankText=$rrq}"));
        List<String> expected = expectedOrder(
                5, Comparator.comparingDouble((String id) -> oracleScore(id)).reversed());
        assertEquals(expected, ids(rsp));
        assertEquals("ok", status(rsp));
        // below the window: first-pass scores lowered under the window's lowest (docs/rerank-contract.md)
        double lowest = expected.subList(0, 5).stream()
                .mapToDouble(id -> (float) oracleScore(id))
                .min()
                .orElseThrow();
        float best = (Float) DOCS.get(expected.get(5))[2];
        for (SolrDocument d : rsp.getResults()) {
            String id = (String) d.getFieldValue("id");
            float first = (Float) DOCS.get(id)[2];
            boolean reranked = expected.indexOf(id) < 5;
            float score = (Float) d.getFieldValue("score");
            if (reranked) {
                assertEquals(id, oracleScore(id), score, 1e-6);
            } else {
                RerankContract.assertBelow(id, score, first, lowest, best);
            }
            assertEquals(id + " originalScore()", first, (Float) d.getFieldValue("originalScore()"), 1e-6);
        }
        // sanity: the oracle really reorders this window (d3 jumps over d1 and d2)
        assertTrue(ids(rsp).indexOf("d3") < ids(rsp).indexOf("d1"));
        assertEquals(8, rsp.getResults().getNumFound());
    }

    @Test
    public void defaultRerankTextIsTheQueryAndFieldsComeFromParams() throws Exception {
        SolrQuery q = new SolrQuery("vitamin deficiency");
        q.set("defType", "edismax");
        q.set("qf", "title text");
        q.set("rq", "{!crossencoder fields=text}");
        q.setFields("id", "score");
        QueryResponse rsp = solr.query(q);
        assertTrue(rsp.getResults().size() > 2);
        for (SolrDocument d : rsp.getResults()) {
            String text = (String) DOCS.get((String) d.getFieldValue("id"))[1];
            assertEquals(oracle.score("vitamin deficiency", text), (Float) d.getFieldValue("score"), 1e-6);
        }
    }

    @Test
    public void readsDocValuesOnlyFields() throws Exception {
        // label_dv is "label <title>": the model sees it only if docValues are read
        QueryResponse rsp =
                solr.query(firstPass("{!crossencoder reRankDocs=8 reRankText='label weather' fields=label_dv}"));
        assertEquals("d1", ids(rsp).get(0));
        assertEquals(1.0, (Float) rsp.getResults().get(0).getFieldValue("score"), 1e-6);
    }

    @Test
    public void blendsLikeRerank() throws Exception {
        for (String op : new String[] {"add", "multiply"}) {
            QueryResponse rsp = solr.query(
                    firstPass("{!crossencoder reRankDocs=8 reRankText=$rrq reRankOperator=" + op + " reRankWeight=2}"));
            Map<String, Double> expected = new LinkedHashMap<>();
            for (String id : DOCS.keySet()) {
                double f = (Float) DOCS.get(id)[2];
                double m = oracleScore(id);
                expected.put(id, op.equals("add") ? f + 2 * m : f * 2 * m);
            }
            List<String> order = expectedOrder(
                    8, Comparator.<String>comparingDouble(expected::get).reversed());
            assertEquals(op, order, ids(rsp));
            for (SolrDocument d : rsp.getResults()) {
                assertEquals(op, expected.get((String) d.getFieldValue("id")), (Float) d.getFieldValue("score"), 1e-5);
            }
        }
    }

    @Test
    public void scalesOverTheWindow() throws Exception {
        QueryResponse rsp = solr.query(firstPass(
                "{!crossencoder reRankDocs=8 reRankText=$rrq reRankOperator=add reRankScale=0-1 reRankMainScale=0-1}"));
        double minM = Double.MAX_VALUE, maxM = -Double.MAX_VALUE;
        for (String id : DOCS.keySet()) {
            minM = Math.min(minM, oracleScore(id));
            maxM = Math.max(maxM, oracleScore(id));
        }
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String id : DOCS.keySet()) {
            double f = ((Float) DOCS.get(id)[2] - 1.0) / 7.0; // first-pass scores 1..8 scaled to [0,1]
            double m = (oracleScore(id) - minM) / (maxM - minM);
            expected.put(id, f + m);
        }
        assertEquals(
                expectedOrder(
                        8, Comparator.<String>comparingDouble(expected::get).reversed()),
                ids(rsp));
        for (SolrDocument d : rsp.getResults()) {
            assertEquals(expected.get((String) d.getFieldValue("id")), (Float) d.getFieldValue("score"), 1e-5);
        }
    }

    @Test
    public void thresholdKeepsOnlyRerankedDocsAtOrAboveIt() throws Exception {
        QueryResponse rsp = solr.query(firstPass("{!crossencoder reRankDocs=6 reRankText=$rrq threshold=0.5}"));
        List<String> expected = new ArrayList<>();
        for (String id : expectedOrder(
                        6,
                        Comparator.comparingDouble((String id) -> oracleScore(id))
                                .reversed())
                .subList(0, 6)) {
            if (oracleScore(id) >= 0.5) expected.add(id);
        }
        assertTrue("the threshold must cut something here", expected.size() < 6 && !expected.isEmpty());
        assertEquals(expected, ids(rsp));
        assertEquals(expected.size(), rsp.getResults().getNumFound());
        assertEquals("ok", status(rsp));
        // beyond the end: an empty page, same count
        SolrQuery late = firstPass("{!crossencoder reRankDocs=6 reRankText=$rrq threshold=0.5}");
        late.setStart(expected.size());
        QueryResponse empty = solr.query(late);
        assertEquals(0, empty.getResults().size());
        assertEquals(expected.size(), empty.getResults().getNumFound());
    }

    @Test
    public void pagesAcrossTheRerankBoundary() throws Exception {
        List<String> full = ids(solr.query(firstPass("{!crossencoder reRankDocs=5 reRankText=$rrq}")));
        List<String> paged = new ArrayList<>();
        List<SolrDocument> pagedDocs = new ArrayList<>();
        for (int start = 0; start < DOCS.size(); start += 3) {
            SolrQuery q = firstPass("{!crossencoder reRankDocs=5 reRankText=$rrq}");
            q.setStart(start);
            q.setRows(3);
            QueryResponse page = solr.query(q);
            paged.addAll(ids(page));
            pagedDocs.addAll(page.getResults());
        }
        assertEquals(full, paged);
        assertEquals(DOCS.size(), paged.size());
        RerankContract.assertNonIncreasing("pages of 3 across K=5", pagedDocs);
    }

    @Test
    public void windowAndBestModesLookPastTheFirstWindow() throws Exception {
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField("id", "long");
        doc.addField("title", "long passage");
        doc.addField("text", "lorem ".repeat(80) + "zebra");
        doc.addField("first_pass", 0.5f);
        solr.add(doc);
        solr.commit();
        try {
            SolrQuery q = new SolrQuery("id:long");
            q.set("rq", "{!crossencoder model=oracle-short reRankText=zebra}");
            q.setFields("id", "score");
            assertEquals(0.0, (Float) solr.query(q).getResults().get(0).getFieldValue("score"), 1e-6);
            q.set("rq", "{!crossencoder model=oracle-short reRankText=zebra longDocs=window}");
            assertEquals(1.0, (Float) solr.query(q).getResults().get(0).getFieldValue("score"), 1e-6);
            q.set("rq", "{!crossencoder model=oracle-short reRankText=zebra longDocs=window windowPooling=mean}");
            float mean = (Float) solr.query(q).getResults().get(0).getFieldValue("score");
            assertTrue("mean over several windows: " + mean, mean > 0 && mean < 0.5);
            // best reads one window, the one holding the query term
            q.set("rq", "{!crossencoder model=oracle-short reRankText=zebra longDocs=best}");
            assertEquals(1.0, (Float) solr.query(q).getResults().get(0).getFieldValue("score"), 1e-6);
        } finally {
            solr.deleteById("long");
            solr.commit();
        }
    }

    @Test
    public void nothingToRerankIsSkipped() throws Exception {
        SolrQuery none = new SolrQuery("title:nosuchword");
        none.set("rq", "{!crossencoder}");
        QueryResponse rsp = solr.query(none);
        assertEquals(0, rsp.getResults().getNumFound());
        assertEquals("skipped", status(rsp));
        // enabled=false turns the stage off (for handlers whose defaults rerank): first-pass order, skipped
        QueryResponse off = solr.query(firstPass("{!crossencoder enabled=false reRankText=$rrq}"));
        assertEquals(new ArrayList<>(DOCS.keySet()), ids(off));
        assertEquals("skipped", status(off));
    }

    @Test
    public void debugExplainsEachDocAndTimesTheStages() throws Exception {
        SolrQuery q = firstPass("{!crossencoder reRankDocs=3 reRankText=$rrq}");
        q.set("debug", "true");
        QueryResponse rsp = solr.query(q);
        Map<String, Object> explain = rsp.getExplainMap();
        String top = ids(rsp).get(0);
        String topExplain = explain.get(top).toString();
        assertTrue(topExplain, topExplain.contains("model score (logit) of oracle"));
        assertTrue(topExplain, topExplain.contains("crossencoder rerank, model=oracle"));
        String last = explain.get("d8").toString();
        assertTrue(last, last.contains("not reranked: below the top reRankDocs=3"));
        NamedList<?> timings = (NamedList<?>) rsp.getDebugMap().get("rerank");
        assertNotNull("debug.rerank missing: " + rsp.getDebugMap().keySet(), timings);
        for (String key : new String[] {"loadTextMs", "tokenizeMs", "inferenceMs"}) {
            assertTrue(key, ((Number) timings.get(key)).doubleValue() >= 0);
        }
        assertEquals(3, timings.get("docs"));
        // scored now or earlier (the score cache may hold them from another test): every one accounted for
        assertEquals(3, (Integer) timings.get("scoreCacheHits") + (Integer) timings.get("pairsScored"));
    }
}
