package org.hybridrerank.solr.cloud;

import java.util.concurrent.TimeUnit;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCloudTestCase;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A shard whose only replica is down: with shards.tolerant=true the hybrid+rerank answer comes from the
 * shards that are up and the header says partialResults; without it the request fails (Solr's 503).
 */
public class TolerantShardsIT extends ExampleCloudTestCase {
    private static final String COLLECTION = "tolerant";

    @BeforeClass
    public static void setUpCluster() throws Exception {
        startExampleCluster(2, OverlapOracle.dir());
        createCollection(cluster, COLLECTION, 2, 1);
        Beir.index(
                cluster.getSolrClient(COLLECTION),
                Beir.corpus(SharedData.scifact(), 60).values(),
                n -> {});
    }

    private static QueryResponse hybrid(SolrClient client, boolean tolerant) throws Exception {
        SolrQuery q = new SolrQuery("vitamin d deficiency and bone health");
        q.set("rq", "{!crossencoder reRankDocs=20}");
        q.set("shards.tolerant", tolerant);
        q.setFields("id", "score", "[shard]");
        q.setRows(60);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        return request.process(client, COLLECTION);
    }

    @Test
    public void aDeadShardGivesPartialResultsFlaggedInTheHeader() throws Exception {
        DocCollection state = cluster.getZkStateReader().getClusterState().getCollection(COLLECTION);
        Replica dead = state.getSlice("shard2").getReplicas().iterator().next();
        Replica alive = state.getSlice("shard1").getReplicas().iterator().next();
        assertNotEquals("the shards must live on different nodes", dead.getNodeName(), alive.getNodeName());
        JettySolrRunner aliveNode = cluster.getReplicaJetty(alive);

        try (SolrClient client = new Http2SolrClient.Builder(
                        aliveNode.getBaseUrl().toString())
                .withRequestTimeout(60, TimeUnit.SECONDS)
                .build()) {
            QueryResponse full = hybrid(client, true);
            assertNull(full.getHeader().get("partialResults"));
            long allCandidates = full.getResults().getNumFound();

            cluster.stopJettySolrRunner(cluster.getReplicaJetty(dead));
            QueryResponse partial = hybrid(client, true);
            assertEquals(Boolean.TRUE, partial.getHeader().get("partialResults"));
            assertEquals(
                    "the living shard still reranks", "ok", partial.getHeader().get("rerank.status"));
            assertFalse(partial.getResults().isEmpty());
            assertTrue(partial.getResults().getNumFound() < allCandidates);
            for (SolrDocument doc : partial.getResults()) {
                assertEquals(doc.get("id") + " comes from the living shard", alive.getShard(), doc.get("[shard]"));
            }

            SolrException strict = expectThrows(SolrException.class, () -> hybrid(client, false));
            assertEquals(strict.getMessage(), 503, strict.code());
        }
    }
}
