package org.hybridrerank.solr.it;

import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * PackagedJarIT's install, with the trained SciFact cross-encoder (a real BERT graph) loaded and run from the
 * packaged jar too. Shared suite (profile shared-suites): needs ../shared, and fails without it.
 */
public class PackagedJarSharedIT extends SolrTestCaseJ4 {
    @BeforeClass
    public static void requireSharedData() {
        SharedData.require();
    }

    @Test
    public void theTrainedModelRunsFromThePackagedJar() throws Exception {
        System.setProperty("hybrid.models.dir", SharedData.fixtureModelsDir().toString());
        System.setProperty("hybrid.shared.models.dir", SharedData.modelsDir().toString());
        System.setProperty("solr.allowPaths", SharedData.fixtureModelsDir() + "," + SharedData.sharedDir());
        JettySolrRunner jetty = new JettySolrRunner(
                PackagedJarIT.solrHome("solrconfig-shared.xml").toString(),
                JettyConfig.builder().setPort(0).build());
        jetty.start();
        try (SolrClient client = new Http2SolrClient.Builder(jetty.getBaseUrl().toString()).build()) {
            SolrQuery q = PackagedJarIT.indexThreeDocs(client);
            q.setFields("id", "score");
            q.set("rq", "{!crossencoder model=minilm reRankText='vitamin d deficiency fractures'}");
            QueryResponse rsp = client.query("collection1", q);
            assertEquals("ok", rsp.getHeader().get("rerank.status"));
            assertNotEquals("a", rsp.getResults().get(0).getFieldValue("id"));
        } finally {
            jetty.stop();
        }
    }
}
