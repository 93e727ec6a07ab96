package org.hybridrerank.solr.rerank;

import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/** Every bad local param is a 400 whose message names the parameter and what it accepts. */
public class CrossEncoderBadInputTest extends RerankCoreTestCase {

    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField("id", "1");
        doc.addField("title", "vitamin d");
        doc.addField("first_pass", 1f);
        solr.add(doc);
        solr.commit();
    }

    private static void assertBadRequest(String rq, String... expectedInMessage) throws Exception {
        SolrQuery query = new SolrQuery("title:vitamin");
        query.set("rq", rq);
        try {
            solr.query(query);
            fail("expected a 400 for rq=" + rq);
        } catch (SolrException e) {
            assertEquals("code for rq=" + rq + ": " + e.getMessage(), 400, e.code());
            for (String expected : expectedInMessage) {
                assertTrue(
                        "'" + expected + "' not in: " + e.getMessage(),
                        e.getMessage().contains(expected));
            }
        }
    }

    @Test
    public void unknownModelListsTheConfiguredOnes() throws Exception {
        assertBadRequest("{!crossencoder model=gpt9}", "'model'", "gpt9", "oracle", "oracle-short");
    }

    @Test
    public void reRankDocsMustBeWithinOneAndTheMaximum() throws Exception {
        assertBadRequest("{!crossencoder reRankDocs=0}", "'reRankDocs'", "[1, 100]");
        assertBadRequest("{!crossencoder reRankDocs=-3}", "'reRankDocs'", "[1, 100]");
        assertBadRequest("{!crossencoder reRankDocs=101}", "'reRankDocs'", "[1, 100]");
        assertBadRequest("{!crossencoder reRankDocs=ten}", "'reRankDocs'", "integer", "'ten'");
        assertBadRequest("{!crossencoder reRankDocs=99999999999999}", "'reRankDocs'", "integer");
    }

    @Test
    public void numbersMustBeFinite() throws Exception {
        assertBadRequest("{!crossencoder threshold=NaN}", "'threshold'", "finite number");
        assertBadRequest("{!crossencoder threshold=Infinity}", "'threshold'", "finite number");
        assertBadRequest("{!crossencoder threshold=high}", "'threshold'", "finite number");
        assertBadRequest("{!crossencoder reRankWeight=abc}", "'reRankWeight'", "finite number");
        assertBadRequest("{!crossencoder timeout=-1}", "'timeout'", "integer in [0, ");
        assertBadRequest("{!crossencoder timeout=soon}", "'timeout'", "integer");
    }

    @Test
    public void fieldsMustExistAndBeReadable() throws Exception {
        assertBadRequest("{!crossencoder fields=nope}", "'fields'", "does not exist", "nope");
        assertBadRequest("{!crossencoder fields=title,hidden}", "'fields'", "hidden", "neither stored nor docValues");
        assertBadRequest("{!crossencoder fields=' , '}", "'fields'");
    }

    @Test
    public void rerankTextMustNotBeEmpty() throws Exception {
        assertBadRequest("{!crossencoder reRankText=''}", "'reRankText'", "non-empty");
        assertBadRequest("{!crossencoder reRankText='   '}", "'reRankText'");
    }

    @Test
    public void enumsListTheirValues() throws Exception {
        assertBadRequest("{!crossencoder score=softmax}", "'score'", "logit|sigmoid");
        assertBadRequest("{!crossencoder reRankOperator=max}", "'reRankOperator'", "add|multiply|replace");
        assertBadRequest("{!crossencoder longDocs=chunk}", "'longDocs'", "truncate|window|best");
        assertBadRequest("{!crossencoder windowPooling=sum}", "'windowPooling'", "max|mean");
    }

    @Test
    public void scalesUseMinMaxNotation() throws Exception {
        assertBadRequest("{!crossencoder reRankScale=1-0}", "'reRankScale'", "min-max");
        assertBadRequest("{!crossencoder reRankMainScale=zero-one}", "'reRankMainScale'", "min-max");
        assertBadRequest("{!crossencoder reRankScale=0-1-2}", "'reRankScale'");
    }

    @Test
    public void goodParamsStillWork() throws Exception {
        SolrQuery query = new SolrQuery("title:vitamin");
        query.set("rq", "{!crossencoder reRankDocs=100 threshold=0 score=sigmoid reRankOperator=ADD reRankScale=0-1}");
        assertEquals(1, solr.query(query).getResults().getNumFound());
    }
}
