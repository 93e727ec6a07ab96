package org.hybridrerank.solr.hybrid;

import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Asking for [hybrid] does not turn the queryResultCache off: a repeated request is served from it, and the
 * model scores of its reranked docs are read back (from the score cache, or computed again without it).
 */
public class HybridResultCacheTest extends ExampleCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
        HybridSearchTest.indexTitlesAndTexts(solr);
    }

    @Test
    public void repeatedRequestIsACacheHitWithTheSameModelScores() throws Exception {
        for (String scoreCache : List.of("true", "false")) {
            SolrQuery q = HybridSearchTest.hybrid("rq", "{!crossencoder reRankDocs=4 scoreCache=" + scoreCache + "}");
            q.setRows(8);
            QueryResponse first = solr.query(q);
            assertEquals("ok", first.getHeader().get("rerank.status"));
            long hits = CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits");
            long reranks = CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.reranks");
            QueryResponse second = solr.query(q);
            // three hits: the lexical list, the vector list and the reranked result
            assertEquals(
                    "scoreCache=" + scoreCache + ": served from the queryResultCache",
                    hits + 3,
                    CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits"));
            assertEquals("no rerank ran", reranks, CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.reranks"));
            assertEquals("ok", second.getHeader().get("rerank.status"));
            assertEquals(HybridSearchTest.ids(first), HybridSearchTest.ids(second));
            assertEquals(8, second.getResults().size());
            for (int i = 0; i < 8; i++) {
                SolrDocument a = first.getResults().get(i);
                SolrDocument b = second.getResults().get(i);
                Object ceFirst = HybridSearchTest.info(a, "ce_score");
                Object ceSecond = HybridSearchTest.info(b, "ce_score");
                String at = "scoreCache=" + scoreCache + ", place " + (i + 1);
                assertEquals(at + ": reranked iff within K=4", i < 4, ceFirst != null);
                assertEquals(at + ": same on the cache hit", i < 4, ceSecond != null);
                if (ceFirst != null) assertEquals(at, (Float) ceFirst, (Float) ceSecond, 1e-4f);
                assertEquals(
                        at + ": same passage",
                        HybridSearchTest.info(a, "ce_passage"),
                        HybridSearchTest.info(b, "ce_passage"));
                assertEquals(at, HybridSearchTest.info(a, "fused_score"), HybridSearchTest.info(b, "fused_score"));
            }
        }
    }
}
