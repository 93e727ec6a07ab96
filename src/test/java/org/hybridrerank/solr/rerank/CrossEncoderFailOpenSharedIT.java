package org.hybridrerank.solr.rerank;

import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Exhausted budgets (the parser's own timeout, Solr's timeAllowed) return the first-pass order with rerank.status
 * saying why, and such a fallback is never served later from the query result cache. On the trained fp32 model
 * (model=minilm), slow enough on these docs that the budgets run out.
 *
 * <p>Shared suite (profile shared-suites): needs the trained model under ../shared, and fails without it
 * (SharedData.require).
 */
public class CrossEncoderFailOpenSharedIT extends RerankCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        SharedData.require();
        initSharedRerankCore();
        indexDocs(CrossEncoderFailOpenTest.longDocs());
    }

    static final List<String> FIRST_PASS = CrossEncoderFailOpenTest.FIRST_PASS;
    static final String FULL = "{!crossencoder model=minilm reRankDocs=8 scoreCache=false reRankText=$rrq}";

    static SolrQuery query(String rq) {
        return CrossEncoderFailOpenTest.query(rq);
    }

    @Test
    public void ownTimeoutReturnsFirstPassOrder() throws Exception {
        long timeouts = CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.timeouts");
        // 8 docs in batches of 4 on the fp32 model: the budget is gone after the first batch
        // (scoreCache=false: scores cached by another test would need no inference, hence no timeout)
        QueryResponse rsp = solr.query(
                query("{!crossencoder model=minilm reRankDocs=8 timeout=1 scoreCache=false reRankText=$rrq}"));
        assertEquals("timeout", CrossEncoderRerankTest.status(rsp));
        assertEquals(FIRST_PASS, CrossEncoderRerankTest.ids(rsp));
        assertEquals(timeouts + 1, CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.timeouts"));
    }

    @Test
    public void timeAllowedFallbackIsNotCached() throws Exception {
        // 8 calls of one fp32 pair each (tens of ms apiece): the request thread checks the limit before each of its
        // calls, and the calls of a request run side by side on at most the inference threads, so some call starts
        // after the 50 ms are gone
        String oneByOne = FULL.replace("model=minilm", "model=minilm-batch1");
        // warm-up under another cache key (reRankDocs=2), so that the limit is not spent on a cold first stage or
        // the model's first call, which would give the first-pass order for another reason
        assertEquals(
                "ok",
                CrossEncoderRerankTest.status(solr.query(query(oneByOne.replace("reRankDocs=8", "reRankDocs=2")))));
        SolrQuery limited = query(oneByOne);
        limited.set("timeAllowed", 50);
        QueryResponse timedOut = solr.query(limited);
        assertEquals("timeout", CrossEncoderRerankTest.status(timedOut));
        assertEquals(FIRST_PASS, CrossEncoderRerankTest.ids(timedOut));

        // the same query without the limit (timeAllowed is not part of the cache key) must really rerank
        QueryResponse full = solr.query(query(oneByOne));
        assertEquals("ok", CrossEncoderRerankTest.status(full));
        List<String> reranked = CrossEncoderRerankTest.ids(full);
        assertNotEquals(FIRST_PASS, reranked);
        assertTrue("the weather report should not stay on top: " + reranked, reranked.indexOf("d1") > 2);
        // and a successful rerank is served from the cache the second time, same answer
        QueryResponse cached = solr.query(query(oneByOne));
        assertEquals(reranked, CrossEncoderRerankTest.ids(cached));
        assertEquals("ok", CrossEncoderRerankTest.status(cached));
    }
}
