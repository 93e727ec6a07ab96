package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A dynamically quantized cross-encoder gives a doc the same score whatever docs share its rerank window: the
 * plugin runs such a graph one pair per call unless told otherwise. The same docs are reranked in a window of 8
 * and in a window of 24 (other batch-mates); with batches of 4 the scores move, which shows the comparison can
 * see the difference.
 *
 * <p>Shared suite (profile shared-suites): needs the trained model and SciFact under ../shared, and fails
 * without them (SharedData.require).
 */
public class QuantizedBatchingSharedIT extends RerankCoreTestCase {
    private static final int DOCS = 24;
    private static String claim;

    @BeforeClass
    public static void beforeClass() throws Exception {
        SharedData.require();
        initSharedRerankCore();
        Dataset scifact = Dataset.open(SharedData.scifact());
        List<Dataset.Doc> docs = new ArrayList<>();
        scifact.documents(d -> {
            if (docs.size() < DOCS) docs.add(d);
        });
        Map<String, Object[]> indexed = new LinkedHashMap<>();
        for (int i = 0; i < docs.size(); i++)
            indexed.put(
                    docs.get(i).id(),
                    new Object[] {docs.get(i).title(), docs.get(i).text(), 100f - i});
        indexDocs(indexed);
        claim = scifact.queries().values().iterator().next();
    }

    private static Map<String, Float> scores(String model, int window) throws Exception {
        SolrQuery q = new SolrQuery("{!func}first_pass");
        q.set("rq", "{!crossencoder model=" + model + " reRankDocs=" + window + " scoreCache=false reRankText=$claim}");
        q.set("claim", claim);
        q.setFields("id", "score");
        q.setRows(window);
        QueryResponse rsp = solr.query(q);
        assertEquals("ok", CrossEncoderRerankTest.status(rsp));
        Map<String, Float> scores = new LinkedHashMap<>();
        for (SolrDocument d : rsp.getResults())
            scores.put((String) d.getFieldValue("id"), (Float) d.getFieldValue("score"));
        assertEquals(window, scores.size());
        return scores;
    }

    @Test
    public void defaultBatchingKeepsEveryScoreIndependentOfTheWindow() throws Exception {
        Map<String, Float> small = scores("int8", 8);
        Map<String, Float> large = scores("int8", DOCS);
        for (Map.Entry<String, Float> e : small.entrySet()) {
            assertEquals("score of " + e.getKey(), e.getValue(), large.get(e.getKey()), 0f);
        }
    }

    @Test
    public void batchesOfFourMoveScores() throws Exception {
        Map<String, Float> small = scores("int8-batch4", 8);
        Map<String, Float> large = scores("int8-batch4", DOCS);
        double maxDifference = 0;
        for (Map.Entry<String, Float> e : small.entrySet()) {
            maxDifference = Math.max(maxDifference, Math.abs(e.getValue() - large.get(e.getKey())));
        }
        assertTrue("batch-mates should move some score: max difference " + maxDifference, maxDifference > 1e-3);
    }
}
