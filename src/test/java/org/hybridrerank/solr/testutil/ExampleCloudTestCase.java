package org.hybridrerank.solr.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.AfterClass;

/**
 * SolrCloud tests on the example configset (solr-conf/) with the build's embedder and a cross-encoder (the
 * in-repo oracle or a shared model) plugged in. Long suites: they run in the shared-suites profile.
 */
public abstract class ExampleCloudTestCase extends SolrCloudTestCase {
    public static final String CONFIG = "hybrid";

    /** An HTTP client on the first node, open from {@link #startExampleCluster} to the end of the class. */
    protected static SolrClient http;

    /**
     * Starts {@code nodes} Solr nodes with the example configset uploaded, its cross-encoder pointing at the
     * model folder {@code crossEncoder}, and opens {@link #http}.
     */
    protected static void startExampleCluster(int nodes, Path crossEncoder) throws Exception {
        configureCluster(nodes)
                .addConfig(CONFIG, configset(createTempDir("configset"), crossEncoder))
                .configure();
        http = http(cluster, 0);
    }

    @AfterClass
    public static void closeHttpClient() throws Exception {
        if (http != null) http.close();
        http = null;
    }

    /**
     * A copy of solr-conf/ to upload, after setting the model path properties the configset reads.
     *
     * @param crossEncoder the model folder the configset's cross-encoder points at
     */
    public static Path configset(Path dir, Path crossEncoder) throws IOException {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, conf.resolve(file.getFileName().toString()));
            }
        }
        System.setProperty("hybrid.crossencoder.dir", crossEncoder.toString());
        OverlapOracle.setTrustGapProperty(crossEncoder);
        System.setProperty("hybrid.embedder.dir", SharedData.embedderDir().toString());
        System.setProperty("solr.allowPaths", crossEncoder + "," + SharedData.embedderDir());
        System.setProperty("metricsEnabled", "true"); // MiniSolrCloudCluster turns Solr's metrics off by default
        return conf;
    }

    /** An HTTP client on one node (requests go where a user's would), with a timeout so nothing can hang. */
    public static SolrClient http(MiniSolrCloudCluster cluster, int node) {
        return new Http2SolrClient.Builder(
                        cluster.getJettySolrRunner(node).getBaseUrl().toString())
                .withRequestTimeout(120, TimeUnit.SECONDS)
                .build();
    }

    public static void createCollection(MiniSolrCloudCluster cluster, String name, int shards, int replicas)
            throws Exception {
        CollectionAdminRequest.createCollection(name, CONFIG, shards, replicas).process(cluster.getSolrClient());
        cluster.waitForActiveCollection(name, shards, shards * replicas);
    }

    /**
     * The sum over every core of {@code collection} on every node of one counter, read through Solr's metrics
     * API ({@code /admin/metrics}).
     */
    public static long counterSum(MiniSolrCloudCluster cluster, String collection, String metric) throws Exception {
        long sum = 0;
        for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
            ModifiableSolrParams params = new ModifiableSolrParams();
            params.set("group", "core");
            params.set("prefix", metric);
            try (SolrClient client = jetty.newClient()) {
                NamedList<Object> rsp =
                        client.request(new GenericSolrRequest(SolrRequest.METHOD.GET, "/admin/metrics", params));
                NamedList<?> registries = (NamedList<?>) rsp.get("metrics");
                for (Map.Entry<String, ?> registry : registries) {
                    if (!registry.getKey().startsWith("solr.core." + collection + ".")) continue;
                    Object value = ((NamedList<?>) registry.getValue()).get(metric);
                    if (value instanceof Number n) sum += n.longValue();
                }
            }
        }
        return sum;
    }
}
