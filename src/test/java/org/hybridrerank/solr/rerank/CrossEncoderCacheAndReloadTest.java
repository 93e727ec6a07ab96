package org.hybridrerank.solr.rerank;

import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/** The query result cache keys on every rerank parameter; reloads share and release model sessions. */
public class CrossEncoderCacheAndReloadTest extends RerankCoreTestCase {

    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        indexDocs(CrossEncoderRerankTest.DOCS);
    }

    /** Entries of the current searcher's query result cache, from Solr's metrics. */
    private static int cachedResults() {
        var registry = h.getCoreContainer()
                .getMetricManager()
                .registry(h.getCore().getCoreMetricManager().getRegistryName());
        var gauge = (com.codahale.metrics.Gauge<?>) registry.getMetrics().get("CACHE.searcher.queryResultCache");
        return ((Number) ((java.util.Map<?, ?>) gauge.getValue()).get("size")).intValue();
    }

    private static QueryResponse run(String rq) throws Exception {
        return solr.query(CrossEncoderRerankTest.firstPass(rq));
    }

    @Test
    public void everyParameterIsPartOfTheCacheKey() throws Exception {
        int before = cachedResults();
        String base = "{!crossencoder reRankDocs=5 reRankText=$rrq";
        QueryResponse first = run(base + "}");
        assertEquals(before + 1, cachedResults());
        QueryResponse again = run(base + "}");
        assertEquals("an identical request is a cache hit", before + 1, cachedResults());
        assertEquals(CrossEncoderRerankTest.ids(first), CrossEncoderRerankTest.ids(again));
        assertEquals("ok", CrossEncoderRerankTest.status(again));

        String[][] variants = {
            {"model", "oracle-short"},
            {"reRankDocs", "6"},
            {"threshold", "0.1"},
            {"score", "sigmoid"},
            {"timeout", "60000"},
            {"fields", "title"},
            {"reRankText", "'other text'"},
            {"reRankOperator", "add"},
            {"reRankWeight", "2"},
            {"reRankScale", "0-1"},
            {"reRankMainScale", "0-1"},
            {"longDocs", "window"},
            {"windowPooling", "mean"},
            {"fieldSeparator", "|"}
        };
        int expected = before + 1;
        for (String[] variant : variants) {
            java.util.Map<String, String> params = new java.util.LinkedHashMap<>();
            params.put("reRankDocs", "5");
            params.put("reRankText", "$rrq");
            params.put(variant[0], variant[1]);
            StringBuilder rq = new StringBuilder("{!crossencoder");
            params.forEach((k, v) -> rq.append(' ').append(k).append('=').append(v));
            run(rq.append('}').toString());
            assertEquals("a new cache entry for " + variant[0], ++expected, cachedResults());
        }
    }

    @Test
    public void sigmoidTransformsTheModelScore() throws Exception {
        QueryResponse rsp = run("{!crossencoder reRankDocs=8 reRankText=$rrq score=sigmoid}");
        try (OverlapOracle oracle = new OverlapOracle()) {
            for (var d : rsp.getResults()) {
                Object[] doc = CrossEncoderRerankTest.DOCS.get((String) d.getFieldValue("id"));
                double raw = oracle.score(CrossEncoderRerankTest.QUERY, doc[0] + " " + doc[1]);
                assertEquals(1 / (1 + Math.exp(-raw)), (Float) d.getFieldValue("score"), 1e-6);
            }
        }
    }

    @Test
    public void reloadsShareAndReleaseModelSessions() throws Exception {
        int loaded = ModelRegistry.shared().loadedModels();
        assertTrue("the test configset loads its models: " + loaded, loaded >= 4);
        for (int i = 0; i < 3; i++) {
            h.getCoreContainer().reload(DEFAULT_TEST_CORENAME);
            assertEquals(
                    "sessions after reload " + (i + 1),
                    loaded,
                    ModelRegistry.shared().loadedModels());
        }
        assertEquals("ok", CrossEncoderRerankTest.status(run("{!crossencoder reRankText=$rrq}")));
    }
}
