package org.hybridrerank.solr.cloud;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.testutil.ExampleCloudTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.update.TextEmbeddingUpdateProcessorFactory;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * SolrCloud, 2 shards × 2 replicas on 2 nodes (each node holds one replica of each shard), the example configset with
 * the light embedder in the update chain and the overlap-oracle cross-encoder:
 *
 * <ul>
 *   <li>the embedding runs once per document, on the node that receives it, before distribution: the sum over every
 *       core of {@value TextEmbeddingUpdateProcessorFactory#METRIC} equals the documents sent (a replica that embedded
 *       again would double it), before and after the node restart;
 *   <li>one node is stopped while 2 clients index, and restarted while they still index; once every replica is
 *       active again, both replicas of each shard hold the same documents with bit-identical vectors, and every
 *       acknowledged document is there with a 384-d vector.
 * </ul>
 */
public class ReplicaRestartIT extends ExampleCloudTestCase {
    private static final String COLLECTION = "durable";
    private static final int BATCH = 5;

    @BeforeClass
    public static void setUpCluster() throws Exception {
        java.nio.file.Path conf = configset(createTempDir("configset"), SharedData.oracleDir());
        // the light embedder (MiniLM, 384-d like the schema's field): the same vectors' shape, a third of the time
        System.setProperty("hybrid.embedder.dir", SharedData.lightEmbedderDir().toString());
        System.setProperty("solr.allowPaths", SharedData.oracleDir() + "," + SharedData.lightEmbedderDir());
        configureCluster(2).addConfig(CONFIG, conf).configure();
        http = http(cluster, 0);
        createCollection(cluster, COLLECTION, 2, 2);
    }

    private static SolrInputDocument doc(String id) {
        SolrInputDocument doc = new SolrInputDocument();
        doc.setField("id", id);
        doc.setField("title", "Replica restart " + id);
        doc.setField("text", "Vitamin d and bone density in older adults, document " + id + " of the restart test.");
        return doc;
    }

    private static void indexSequentially(String prefix, int count) throws Exception {
        SolrClient cloud = cluster.getSolrClient(COLLECTION);
        for (int i = 0; i < count; i += BATCH) {
            UpdateRequest add = new UpdateRequest();
            for (int j = i; j < Math.min(count, i + BATCH); j++) add.add(doc(prefix + j));
            add.process(cloud, COLLECTION);
        }
        cloud.commit(COLLECTION);
    }

    private static long embedded() throws Exception {
        return counterSum(cluster, COLLECTION, TextEmbeddingUpdateProcessorFactory.METRIC);
    }

    @Test
    public void replicasAgreeBitForBitAfterANodeRestartUnderIndexing() throws Exception {
        long seed = Long.getLong("hybrid.durability.seed", System.nanoTime());
        Random random = new Random(seed);
        // before any failure: exactly one embedding per document over the 4 cores
        indexSequentially("a-", 40);
        assertEquals("documents embedded over all cores for 40 sent (80 = the replicas embedded too)", 40, embedded());

        Set<String> acked = ConcurrentHashMap.newKeySet();
        Collection<String> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService indexers = Executors.newFixedThreadPool(2);
        SolrClient cloud = cluster.getSolrClient(COLLECTION);
        for (int t = 0; t < 2; t++) {
            int thread = t;
            indexers.execute(() -> {
                int seq = 0;
                while (running.get()) {
                    UpdateRequest add = new UpdateRequest();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        String id = "b-" + thread + "-" + seq++;
                        add.add(doc(id));
                        ids.add(id);
                    }
                    String outcome = NodeDownUnderLoad.call(() -> add.process(cloud, COLLECTION));
                    if (outcome.equals("ok")) acked.addAll(ids);
                    else failures.add(outcome);
                }
            });
        }
        int target = 20 + random.nextInt(60);
        awaitAcked(acked, target, "before the stop");
        JettySolrRunner node = cluster.getJettySolrRunner(1);
        long stopStart = System.nanoTime();
        cluster.stopJettySolrRunner(node);
        cluster.waitForJettyToStop(node);
        long stopMillis = NodeDownUnderLoad.millisSince(stopStart);
        int atStop = acked.size();
        awaitAcked(acked, atStop + 30, "while the node is down");
        int whileDown = acked.size() - atStop;
        long restartStart = System.nanoTime();
        cluster.startJettySolrRunner(node);
        cluster.waitForNode(node, 120);
        awaitAcked(acked, acked.size() + 30, "after the restart");
        running.set(false);
        indexers.shutdown();
        assertTrue("indexers did not stop", indexers.awaitTermination(60, TimeUnit.SECONDS));
        cluster.waitForActiveCollection(COLLECTION, 120, TimeUnit.SECONDS, 2, 4);
        long recoverMillis = NodeDownUnderLoad.millisSince(restartStart);
        cloud.commit(COLLECTION);

        Map<String, float[]> all = assertReplicasIdentical();
        List<String> missing = new ArrayList<>();
        for (String id : acked) if (!all.containsKey(id)) missing.add(id);
        assertTrue(
                missing.size() + " acknowledged docs missing, e.g. " + missing.subList(0, Math.min(10, missing.size())),
                missing.isEmpty());
        for (Map.Entry<String, float[]> e : all.entrySet()) {
            assertEquals("vector of " + e.getKey(), NodeDownUnderLoad.DIMENSION, e.getValue().length);
        }

        // after recovery: still one embedding per document sent
        long before = embedded();
        indexSequentially("c-", 20);
        assertEquals("documents embedded over all cores for 20 sent after the restart", 20, embedded() - before);

        Map<String, Integer> failureKinds = new TreeMap<>();
        for (String f : failures) failureKinds.merge(f, 1, Integer::sum);
        NodeDownUnderLoad.report("replica restart (seed " + seed + "): stopped node 1 after " + atStop
                + " acked docs in " + stopMillis + " ms; " + whileDown + " acked while it was down; restart to all "
                + "4 replicas active " + recoverMillis + " ms; " + acked.size() + " acked in all, failures "
                + failureKinds + "; " + all.size() + " docs, both replicas of each shard bit-identical");
    }

    private static void awaitAcked(Set<String> acked, int count, String when) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (acked.size() < count && System.nanoTime() < deadline) Thread.sleep(10);
        assertTrue("indexing stalled " + when + ": " + acked.size() + " of " + count + " acked", acked.size() >= count);
    }

    /** Every shard's replicas hold the same ids with bit-identical vectors; returns all docs' vectors. */
    private static Map<String, float[]> assertReplicasIdentical() throws Exception {
        DocCollection collection = cluster.getZkStateReader().getClusterState().getCollection(COLLECTION);
        Map<String, float[]> all = new HashMap<>();
        for (Slice slice : collection.getSlices()) {
            Map<String, Map<String, float[]>> byReplica = new TreeMap<>();
            for (Replica replica : slice.getReplicas()) {
                byReplica.put(replica.getName() + "@" + replica.getNodeName(), vectors(replica));
            }
            assertEquals(slice.getName() + " replicas", 2, byReplica.size());
            List<Map<String, float[]>> two = new ArrayList<>(byReplica.values());
            assertEquals(
                    slice.getName() + ": the replicas hold different ids " + byReplica.keySet(),
                    two.get(0).keySet(),
                    two.get(1).keySet());
            for (Map.Entry<String, float[]> e : two.get(0).entrySet()) {
                float[] a = e.getValue();
                float[] b = two.get(1).get(e.getKey());
                assertEquals(e.getKey() + " vector lengths", a.length, b.length);
                for (int i = 0; i < a.length; i++) {
                    if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                        fail(slice.getName() + ": doc " + e.getKey() + " differs between replicas at dimension " + i
                                + ": " + a[i] + " vs " + b[i]);
                    }
                }
            }
            all.putAll(two.get(0));
        }
        return all;
    }

    private static Map<String, float[]> vectors(Replica replica) throws Exception {
        try (SolrClient client = new Http2SolrClient.Builder(replica.getBaseUrl()).build()) {
            SolrQuery q = new SolrQuery("*:*");
            q.set("distrib", false);
            q.setFields("id", "vector");
            q.setRows(100_000);
            Map<String, float[]> out = new HashMap<>();
            for (SolrDocument doc : client.query(replica.getCoreName(), q).getResults()) {
                Collection<Object> values = doc.getFieldValues("vector");
                float[] v = new float[values == null ? 0 : values.size()];
                int i = 0;
                if (values != null) for (Object value : values) v[i++] = ((Number) value).floatValue();
                out.put((String) doc.getFieldValue("id"), v);
            }
            return out;
        }
    }
}
