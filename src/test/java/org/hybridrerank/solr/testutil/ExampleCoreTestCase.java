package org.hybridrerank.solr.testutil;

import java.nio.file.Path;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.core.NodeConfig;
import org.apache.solr.util.TestHarness;
import org.junit.AfterClass;

/**
 * A core built from the example configset users copy ({@code solr-conf/}), with the build's embedder and a
 * cross-encoder (the in-repo overlap-oracle, or the one a shared suite names) plugged in through the configset's
 * path properties.
 */
public abstract class ExampleCoreTestCase extends SolrTestCaseJ4 {
    protected static EmbeddedSolrServer solr;

    /** @param edit rewrites solrconfig.xml or managed-schema.xml text before the core loads (null: as shipped) */
    protected static void initExampleCore(java.util.function.BinaryOperator<String> edit) throws Exception {
        initExampleCore(edit, OverlapOracle.dir());
    }

    /**
     * As {@link #initExampleCore(java.util.function.BinaryOperator)}, with the cross-encoder in {@code crossEncoder}.
     */
    protected static void initExampleCore(java.util.function.BinaryOperator<String> edit, Path crossEncoder)
            throws Exception {
        Path home = createTempDir("example-home");
        ExampleSolr.prepareHome(home, edit, crossEncoder);
        NodeConfig node = ExampleSolr.nodeConfig(home, crossEncoder);
        createCoreContainer(
                node,
                new TestHarness.TestCoresLocator(
                        DEFAULT_TEST_CORENAME,
                        initAndGetDataDir().getAbsolutePath(),
                        "solrconfig.xml",
                        "managed-schema.xml"));
        h.coreName = DEFAULT_TEST_CORENAME;
        solr = new EmbeddedSolrServer(h.getCoreContainer(), DEFAULT_TEST_CORENAME);
    }

    @AfterClass
    public static void closeExampleClient() throws Exception {
        if (solr != null) solr.close();
        solr = null;
    }
}
