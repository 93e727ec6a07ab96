package org.hybridrerank.solr.rerank;

import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The queryResultCache holds only reranks that succeeded: a failed rerank, or one with nothing to rerank, is
 * not kept (so a later request reruns it), and a cache hit reports the status of what it serves.
 */
public class QueryResultCacheHonestyTest extends RerankCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        indexDocs(CrossEncoderRerankTest.DOCS);
    }

    private static long stat(String name) {
        return CoreMetrics.cacheStat(h.getCore(), "queryResultCache", name);
    }

    private static SolrQuery query(String q, String rq) {
        SolrQuery query = new SolrQuery(q);
        query.set("rrq", CrossEncoderRerankTest.QUERY);
        query.set("rq", rq);
        query.setFields("id", "score");
        query.setRows(8);
        return query;
    }

    @Test
    public void failedRerankIsNotKeptAndRunsAgain() throws Exception {
        String rq = "{!crossencoder model=fixed16 reRankDocs=8 reRankText=$rrq}";
        long size = stat("size");
        long errors = CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.errors");
        assertEquals("error", CrossEncoderRerankTest.status(solr.query(query("{!func}first_pass", rq))));
        assertEquals("no cache entry for a failed rerank", size, stat("size"));
        long hits = stat("hits");
        assertEquals("error", CrossEncoderRerankTest.status(solr.query(query("{!func}first_pass", rq))));
        assertEquals("not served from the cache", hits, stat("hits"));
        assertEquals(
                "the model really ran again",
                errors + 2,
                CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.errors"));
    }

    @Test
    public void successfulRerankIsServedFromTheCacheAsOk() throws Exception {
        String rq = "{!crossencoder model=oracle reRankDocs=8 reRankText=$rrq}";
        QueryResponse first = solr.query(query("{!func}first_pass", rq));
        assertEquals("ok", CrossEncoderRerankTest.status(first));
        long hits = stat("hits");
        QueryResponse second = solr.query(query("{!func}first_pass", rq));
        assertEquals("served from the cache", hits + 1, stat("hits"));
        assertEquals("ok", CrossEncoderRerankTest.status(second));
        assertEquals(CrossEncoderRerankTest.ids(first), CrossEncoderRerankTest.ids(second));
    }

    @Test
    public void disabledRerankIsSkippedOnACacheHitToo() throws Exception {
        String rq = "{!crossencoder model=oracle enabled=false reRankText=$rrq}";
        assertEquals("skipped", CrossEncoderRerankTest.status(solr.query(query("{!func}first_pass", rq))));
        long hits = stat("hits");
        QueryResponse second = solr.query(query("{!func}first_pass", rq));
        assertEquals("served from the cache", hits + 1, stat("hits"));
        assertEquals("skipped", CrossEncoderRerankTest.status(second));
    }

    @Test
    public void nothingToRerankIsSkippedEveryTime() throws Exception {
        String rq = "{!crossencoder model=oracle reRankDocs=8 reRankText=$rrq}";
        for (int i = 0; i < 2; i++) {
            QueryResponse rsp = solr.query(query("id:no-such-doc", rq));
            assertEquals(0, rsp.getResults().getNumFound());
            assertEquals("request " + (i + 1), "skipped", CrossEncoderRerankTest.status(rsp));
        }
        assertEquals(List.of(), CrossEncoderRerankTest.ids(solr.query(query("id:no-such-doc", rq))));
    }
}
