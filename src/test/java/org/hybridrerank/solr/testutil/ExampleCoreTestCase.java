package org.hybridrerank.solr.testutil;

import java.nio.file.Path;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.core.NodeConfig;
import org.apache.solr.util.TestHarness;
import org.junit.AfterClass;

/**
 * A core built from the example configset users copy ({@code solr-conf/}), with the trained SciFact
 * cross-encoder and the build's embedder plugged in through the configset's path properties.
 */
public abstract class ExampleCoreTestCase extends SolrTestCaseJ4 {
  protected static EmbeddedSolrServer solr;

  /** @param edit rewrites solrconfig.xml or managed-schema.xml text before the core loads (null: as shipped) */
  protected static void initExampleCore(java.util.function.BinaryOperator<String> edit) throws Exception {
    Path home = createTempDir("example-home");
    ExampleSolr.prepareHome(home, edit);
    NodeConfig node = ExampleSolr.nodeConfig(home);
    createCoreContainer(
        node,
        new TestHarness.TestCoresLocator(
            DEFAULT_TEST_CORENAME, initAndGetDataDir().getAbsolutePath(), "solrconfig.xml", "managed-schema.xml"));
    h.coreName = DEFAULT_TEST_CORENAME;
    solr = new EmbeddedSolrServer(h.getCoreContainer(), DEFAULT_TEST_CORENAME);
  }

  @AfterClass
  public static void closeExampleClient() throws Exception {
    if (solr != null) solr.close();
    solr = null;
  }
}
