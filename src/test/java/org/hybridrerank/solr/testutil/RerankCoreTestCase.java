package org.hybridrerank.solr.testutil;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.core.NodeConfig;
import org.apache.solr.update.UpdateShardHandlerConfig;
import org.apache.solr.util.TestHarness;
import org.junit.AfterClass;

/**
 * A real single-node Solr core from the test configset, whose solrconfig.xml reads the in-repo oracle through
 * {@code ${hybrid.models.dir}} (and generated broken graphs through {@code ${hybrid.test.models.dir}});
 * solrconfig-shared.xml adds the trained models of the shared folder through {@code ${hybrid.shared.models.dir}}
 * ({@link #initSharedRerankCore}). Those folders are added to Solr's allowed paths, as a user would.
 */
public abstract class RerankCoreTestCase extends SolrTestCaseJ4 {
    /** A client on the test core, open from {@link #initRerankCore} to the end of the class. */
    protected static EmbeddedSolrServer solr;

    protected static void initRerankCore(String solrconfig, String schema) throws Exception {
        initRerankCore(solrconfig, schema, Set.of());
    }

    /** A core from solrconfig-shared.xml: the test configset plus the shared trained models (SharedData). */
    protected static void initSharedRerankCore() throws Exception {
        System.setProperty("hybrid.shared.models.dir", SharedData.modelsDir().toString());
        initRerankCore("solrconfig-shared.xml", "schema.xml", Set.of(SharedData.sharedDir()));
    }

    private static void initRerankCore(String solrconfig, String schema, Set<Path> alsoAllowed) throws Exception {
        System.setProperty("hybrid.models.dir", SharedData.fixtureModelsDir().toString());
        Path generated = createTempDir("generated-models");
        OnnxGraphs.writeTestConfigsetModels(generated);
        System.setProperty("hybrid.test.models.dir", generated.toString());
        Path home = TEST_PATH();
        Set<Path> allowed = new HashSet<>(alsoAllowed);
        allowed.add(SharedData.fixtureModelsDir());
        allowed.add(generated);
        NodeConfig node = new NodeConfig.NodeConfigBuilder("testNode", home)
                .setAllowPaths(allowed)
                .setUpdateShardHandlerConfig(UpdateShardHandlerConfig.TEST_DEFAULT)
                .build();
        createCoreContainer(
                node,
                new TestHarness.TestCoresLocator(
                        DEFAULT_TEST_CORENAME, initAndGetDataDir().getAbsolutePath(), solrconfig, schema));
        h.coreName = DEFAULT_TEST_CORENAME;
        solr = new EmbeddedSolrServer(h.getCoreContainer(), DEFAULT_TEST_CORENAME);
    }

    @AfterClass
    public static void closeClient() throws Exception {
        if (solr != null) solr.close();
        solr = null;
    }

    /** Indexes and commits docs given as id → {title, text, first_pass}. */
    protected static void indexDocs(Map<String, Object[]> docs) throws Exception {
        for (Map.Entry<String, Object[]> e : docs.entrySet()) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", e.getKey());
            doc.addField("title", e.getValue()[0]);
            doc.addField("text", e.getValue()[1]);
            doc.addField("first_pass", e.getValue()[2]);
            solr.add(doc);
        }
        solr.commit();
    }
}
