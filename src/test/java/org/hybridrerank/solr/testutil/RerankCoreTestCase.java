package org.hybridrerank.solr.testutil;

import java.nio.file.Path;
import java.util.Set;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.core.NodeConfig;
import org.apache.solr.update.UpdateShardHandlerConfig;
import org.apache.solr.util.TestHarness;

/**
 * A real single-node Solr core from the test configset, whose solrconfig.xml reads the shared models through
 * {@code ${hybrid.models.dir}} (and generated broken graphs through {@code ${hybrid.test.models.dir}}); those
 * folders are added to Solr's allowed paths, as a user would.
 */
public abstract class RerankCoreTestCase extends SolrTestCaseJ4 {

  protected static void initRerankCore(String solrconfig, String schema) throws Exception {
    System.setProperty("hybrid.models.dir", SharedData.modelsDir().toString());
    Path generated = createTempDir("generated-models");
    OnnxGraphs.fixedSequenceLength(generated.resolve("fixed16"));
    System.setProperty("hybrid.test.models.dir", generated.toString());
    Path home = TEST_PATH();
    NodeConfig node =
        new NodeConfig.NodeConfigBuilder("testNode", home)
            .setAllowPaths(Set.of(SharedData.sharedDir(), generated))
            .setUpdateShardHandlerConfig(UpdateShardHandlerConfig.TEST_DEFAULT)
            .build();
    createCoreContainer(
        node,
        new TestHarness.TestCoresLocator(
            DEFAULT_TEST_CORENAME, initAndGetDataDir().getAbsolutePath(), solrconfig, schema));
    h.coreName = DEFAULT_TEST_CORENAME;
  }
}
