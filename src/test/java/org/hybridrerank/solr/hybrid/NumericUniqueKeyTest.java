package org.hybridrerank.solr.hybrid;

import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.util.RefCounted;
import org.hybridrerank.solr.rerank.UniqueKeys;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/** A numeric uniqueKey (a long) names docs in the first-stage lists and back, as a string key does. */
public class NumericUniqueKeyTest extends ExampleCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore((name, text) -> name.equals("managed-schema.xml")
                ? text.replace("<field name=\"id\" type=\"string\"", "<field name=\"id\" type=\"tlong\"")
                        .replace(
                                "<fieldType name=\"string\"",
                                "<fieldType name=\"tlong\" class=\"solr.TrieLongField\" docValues=\"true\"/>\n  "
                                        + "<fieldType name=\"string\"")
                : text);
        for (String[] d : HybridSearchTest.DOCS) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", 1000L + Long.parseLong(d[0]));
            doc.addField("title", d[1]);
            doc.addField("text", d[2]);
            solr.add(doc);
        }
        solr.commit();
    }

    @Test
    public void hybridAndRerankWorkWithALongKey() throws Exception {
        SolrQuery q = new SolrQuery(HybridSearchTest.QUERY);
        q.set("rq", "{!crossencoder reRankDocs=5}");
        q.setFields("id", "score", "[hybrid]");
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        QueryResponse rsp = request.process(solr);
        assertEquals("ok", rsp.getHeader().get("rerank.status"));
        assertEquals(10, rsp.getResults().size());
        for (SolrDocument doc : rsp.getResults()) {
            assertTrue(doc.toString(), doc.getFieldValue("id") instanceof Long);
            assertNotNull(doc + ": fused", HybridSearchTest.info(doc, "fused_score"));
        }
        assertNotNull(HybridSearchTest.info(rsp.getResults().get(0), "ce_score"));
    }

    @Test
    public void keysReadBackAsTheirExternalFormAndFindTheirDocs() throws Exception {
        RefCounted<SolrIndexSearcher> ref = h.getCore().getSearcher();
        try {
            SolrIndexSearcher searcher = ref.get();
            var keyField = UniqueKeys.field(searcher);
            int doc = UniqueKeys.docOf(searcher, keyField, "1003");
            assertTrue("doc of key 1003", doc >= 0);
            assertArrayEquals(new String[] {"1003"}, UniqueKeys.of(searcher, new int[] {doc}));
            assertEquals(-1, UniqueKeys.docOf(searcher, keyField, "999"));
        } finally {
            ref.decref();
        }
    }
}
