package org.hybridrerank.solr.hybrid;

import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/** Every bad hybrid.* parameter is a 400 naming the parameter. */
public class HybridBadInputTest extends ExampleCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField("id", "1");
        doc.addField("title", "vitamin d");
        solr.add(doc);
        solr.commit();
    }

    private static void assertBadRequest(String q, String[] params, String... expected) throws Exception {
        SolrQuery query = new SolrQuery(q);
        query.set("hybrid", "true");
        for (int i = 0; i < params.length; i += 2) query.set(params[i], params[i + 1]);
        try {
            solr.query(query);
            fail("expected a 400 for " + String.join(" ", params));
        } catch (SolrException e) {
            assertEquals(e.getMessage(), 400, e.code());
            for (String s : expected)
                assertTrue(
                        "'" + s + "' not in: " + e.getMessage(), e.getMessage().contains(s));
        }
    }

    private static void assertBadRequest(String name, String value, String... expected) throws Exception {
        assertBadRequest("vitamin", new String[] {name, value}, expected);
    }

    @Test
    public void queryVectors() throws Exception {
        assertBadRequest("hybrid.vector", "[0.1, 0.2]", "'hybrid.vector'", "384");
        assertBadRequest("hybrid.vector", "[\"a\"]", "'hybrid.vector'", "JSON array of 384 finite numbers");
        assertBadRequest("hybrid.vector", "not json", "'hybrid.vector'");
        assertBadRequest("hybrid.vector", "{\"v\": 1}", "'hybrid.vector'");
        assertBadRequest("hybrid.vector", "[1e999" + ", 0".repeat(383) + "]", "'hybrid.vector'", "finite");
    }

    @Test
    public void vectorField() throws Exception {
        assertBadRequest("hybrid.vector.field", "title", "'hybrid.vector.field'", "DenseVectorField", "TextField");
        assertBadRequest("hybrid.vector.field", "nope", "'hybrid.vector.field'", "no such field");
    }

    @Test
    public void numbers() throws Exception {
        assertBadRequest("hybrid.rrf.k", "0", "'hybrid.rrf.k'", "[1, ");
        assertBadRequest("hybrid.rrf.k", "-5", "'hybrid.rrf.k'");
        assertBadRequest("hybrid.rrf.k", "sixty", "'hybrid.rrf.k'", "integer");
        assertBadRequest("hybrid.lexical.topN", "0", "'hybrid.lexical.topN'", "[1, 1000]");
        assertBadRequest("hybrid.lexical.topN", "1001", "'hybrid.lexical.topN'", "[1, 1000]");
        assertBadRequest("hybrid.vector.topN", "-1", "'hybrid.vector.topN'", "[1, 1000]");
    }

    @Test
    public void weights() throws Exception {
        for (String bad :
                new String[] {"lexical", "lexical:-1", "lexical:x", "lexical:NaN", "lexical:0,vector:0", "lexical:1:2"
                }) {
            assertBadRequest("hybrid.weights", bad, "'hybrid.weights'");
        }
        assertBadRequest("hybrid.weights", "bm25:1", "'hybrid.weights'", "bm25", "lexical, vector");
    }

    @Test
    public void modeSwitchAndText() throws Exception {
        assertBadRequest("hybrid.mode", "bm25", "'hybrid.mode'", "rrf|linear|lexical|vector");
        assertBadRequest("hybrid.lexical.syntax", "lucene", "'hybrid.lexical.syntax'", "text|edismax", "lucene");
        assertBadRequest("hybrid.lexical.syntax", "", "'hybrid.lexical.syntax'", "text|edismax");
        assertBadRequest("hybrid", "maybe", "'hybrid'", "true or false");
        assertBadRequest("   ", new String[] {}, "'q'");
    }
}
