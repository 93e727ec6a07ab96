package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.List;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * A test core holding {@link CrossEncoderRerankTest#DOCS}, with the overlap oracle open beside it: the tests compute
 * the model scores they expect from the oracle itself, independently of the plugin.
 */
public abstract class OracleRerankTestCase extends RerankCoreTestCase {
    /** The docs in first-pass order (their first_pass values descend). */
    static final List<String> FIRST_PASS = new ArrayList<>(CrossEncoderRerankTest.DOCS.keySet());

    static OverlapOracle oracle;

    @BeforeClass
    public static void indexTheDocsAndOpenTheOracle() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        indexDocs(CrossEncoderRerankTest.DOCS);
        oracle = new OverlapOracle();
    }

    @AfterClass
    public static void closeTheOracle() throws Exception {
        if (oracle != null) oracle.close();
        oracle = null;
    }

    /** The oracle's score of a doc for the test query, its title and text joined as the parser joins them. */
    static double oracleScore(String id) {
        Object[] d = CrossEncoderRerankTest.DOCS.get(id);
        return oracle.score(CrossEncoderRerankTest.QUERY, d[0] + " " + d[1]);
    }
}
