package org.hybridrerank.solr.rerank;

import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The score cache (a user cache of the searcher): a rerank of docs already scored for the same text skips
 * inference, gives the same scores, can be switched off per request, and is dropped by a commit. Counted in
 * Solr's metrics under QUERYPARSER.crossencoder.*.
 */
public class RerankScoreCacheTest extends RerankCoreTestCase {
    private static final String PAIRS = "QUERYPARSER.crossencoder.pairsScored";
    private static final String HITS = "QUERYPARSER.crossencoder.scoreCacheHits";
    private static final String MISSES = "QUERYPARSER.crossencoder.scoreCacheMisses";
    private static final String RERANKS = "QUERYPARSER.crossencoder.reranks";
    private static final String INFERENCE = "QUERYPARSER.crossencoder.inference";

    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        indexDocs(CrossEncoderRerankTest.DOCS);
    }

    private static final String TEXT = "vitamin d deficiency and bone fractures";

    private static long count(String metric) {
        return CoreMetrics.count(h.getCore(), metric);
    }

    /**
     * The same first-pass order through a main query of another shape each time, so the query result cache
     * never answers and the rerank really runs.
     */
    private static QueryResponse rerank(int variant, String text, String extra) throws Exception {
        SolrQuery q =
                CrossEncoderRerankTest.firstPass("{!crossencoder reRankDocs=5 reRankText='" + text + "'" + extra + "}");
        q.setQuery("{!func}sum(first_pass," + variant + ")");
        return solr.query(q);
    }

    @Test
    public void aRepeatedRerankIsServedFromTheScoreCacheUntilACommit() throws Exception {
        long pairs = count(PAIRS);
        long hits = count(HITS);
        long misses = count(MISSES);
        long reranks = count(RERANKS);
        long inferences = count(INFERENCE);

        QueryResponse cold = rerank(0, TEXT, "");
        assertEquals("ok", CrossEncoderRerankTest.status(cold));
        assertEquals("cold: 5 pairs scored", pairs + 5, count(PAIRS));
        assertEquals(misses + 5, count(MISSES));
        assertEquals(hits, count(HITS));
        assertEquals(inferences + 1, count(INFERENCE));

        QueryResponse warm = rerank(1, TEXT, "");
        assertEquals("warm: nothing scored", pairs + 5, count(PAIRS));
        assertEquals(hits + 5, count(HITS));
        assertEquals("no inference call", inferences + 1, count(INFERENCE));
        assertEquals(reranks + 2, count(RERANKS));
        assertEquals(CrossEncoderRerankTest.ids(cold), CrossEncoderRerankTest.ids(warm));
        for (int i = 0; i < 5; i++) {
            SolrDocument c = cold.getResults().get(i);
            SolrDocument w = warm.getResults().get(i);
            // sum(first_pass, 1) moves every first-pass score by 1; the model scores (replace) stay the same
            assertEquals((Float) c.get("score"), (Float) w.get("score"), 0f);
        }

        rerank(2, TEXT, " scoreCache=false");
        assertEquals("scoreCache=false scores again", pairs + 10, count(PAIRS));
        assertEquals(hits + 5, count(HITS));

        indexDocs(Map.of("d-new", new Object[] {"unrelated", "", 0f})); // commits: a new searcher
        rerank(3, TEXT, "");
        assertEquals("a commit opens a searcher with an empty score cache", pairs + 15, count(PAIRS));
        assertEquals(hits + 5, count(HITS));
    }

    @Test
    public void anotherTextOrFieldsMissTheCache() throws Exception {
        // a text of its own, so that the other test's cached scores cannot interfere
        rerank(10, "iron deficiency in adults", "");
        long pairs = count(PAIRS);
        rerank(11, "iron deficiency in adults", " fields=title");
        assertEquals("other fields, other passages", pairs + 5, count(PAIRS));
        rerank(12, "iron deficiency in children", "");
        assertEquals("other text", pairs + 10, count(PAIRS));
        rerank(13, "iron deficiency in adults", "");
        assertEquals("the first combination again: cached", pairs + 10, count(PAIRS));
    }
}
