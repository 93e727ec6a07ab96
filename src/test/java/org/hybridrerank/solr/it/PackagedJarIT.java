package org.hybridrerank.solr.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.Test;

/**
 * Installs the plugin the way a user does: the packaged jar in the Solr home's lib/ directory, a configset
 * that names the parser, and requests over HTTP. This test's class path has neither the plugin's classes nor
 * ONNX Runtime nor the tokenizer library, so everything comes from the jar.
 */
public class PackagedJarIT extends SolrTestCaseJ4 {

    @Test
    public void rerankingWorksFromThePackagedJarOverHttp() throws Exception {
        System.setProperty("hybrid.models.dir", SharedData.fixtureModelsDir().toString());
        System.setProperty("solr.allowPaths", SharedData.fixtureModelsDir().toString());
        JettySolrRunner jetty = new JettySolrRunner(
                solrHome("solrconfig.xml").toString(),
                JettyConfig.builder().setPort(0).build());
        jetty.start();
        try (SolrClient client = new Http2SolrClient.Builder(jetty.getBaseUrl().toString()).build()) {
            SolrQuery q = indexThreeDocs(client);
            q.set("rq", "{!crossencoder reRankText='vitamin d deficiency fractures'}");
            q.setFields("id", "score");
            QueryResponse rsp = client.query("collection1", q);
            assertEquals("ok", rsp.getHeader().get("rerank.status"));
            assertEquals("b", rsp.getResults().get(0).getFieldValue("id"));
            assertEquals(1.0f, (Float) rsp.getResults().get(0).getFieldValue("score"), 1e-6f);
            assertEquals("a", rsp.getResults().get(2).getFieldValue("id"));

            // and bad input is a 400 over HTTP, naming the parameter
            q.set("rq", "{!crossencoder reRankDocs=0}");
            SolrException bad = expectThrows(SolrException.class, () -> client.query("collection1", q));
            assertEquals(400, bad.code());
            assertTrue(bad.getMessage(), bad.getMessage().contains("reRankDocs"));
        } finally {
            jetty.stop();
        }
    }

    /**
     * A Solr home with the packaged jar in lib/ and one core from the test configset's {@code solrconfig} (minus
     * the generated graphs this test does not build), after checking that nothing of the plugin is on the class
     * path.
     */
    static Path solrHome(String solrconfigFile) throws Exception {
        assertThrows(
                ClassNotFoundException.class,
                () -> Class.forName("org.hybridrerank.solr.rerank.CrossEncoderQParserPlugin"));
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.onnxruntime.OrtSession"));

        Path jar = Path.of(System.getProperty("hybrid.plugin.jar"));
        assertTrue("packaged jar missing: " + jar, Files.isRegularFile(jar));
        Path home = createTempDir("solr-home");
        Files.createDirectories(home.resolve("lib"));
        Files.copy(jar, home.resolve("lib").resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(home.resolve("solr.xml"), "<solr><str name=\"allowPaths\">${solr.allowPaths:}</str></solr>");
        Path conf = Files.createDirectories(home.resolve("collection1").resolve("conf"));
        Path testConf = TEST_PATH().resolve("collection1").resolve("conf");
        Files.copy(testConf.resolve("schema.xml"), conf.resolve("schema.xml"));
        Files.copy(testConf.resolve("elevate.xml"), conf.resolve("elevate.xml"));
        // the test configset minus the generated-graph model this test does not build
        String solrconfig = Files.readString(testConf.resolve(solrconfigFile))
                .replaceAll("(?s)<lst name=\"fixed16\">.*?</lst>", "")
                .replaceAll("(?s)<lst name=\"batch2\">.*?</lst>", "");
        Files.writeString(conf.resolve("solrconfig.xml"), solrconfig);
        Properties core = new Properties();
        core.setProperty("name", "collection1");
        try (var out = Files.newBufferedWriter(home.resolve("collection1").resolve("core.properties"))) {
            core.store(out, null);
        }
        return home;
    }

    /** Three docs whose first-pass order (first_pass: a, b, c) the oracle turns round; the first-pass query. */
    static SolrQuery indexThreeDocs(SolrClient client) throws Exception {
        String[][] docs = {
            {"a", "Weather", "Mild weather in Paris.", "3"},
            {"b", "Vitamin D", "Vitamin D deficiency and bone fractures.", "2"},
            {"c", "Bones", "Bone fractures in adults.", "1"},
        };
        for (String[] d : docs) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", d[0]);
            doc.addField("title", d[1]);
            doc.addField("text", d[2]);
            doc.addField("first_pass", Float.parseFloat(d[3]));
            client.add("collection1", doc);
        }
        client.commit("collection1");
        return new SolrQuery("{!func}first_pass");
    }
}
