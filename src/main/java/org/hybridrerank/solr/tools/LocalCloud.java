package org.hybridrerank.solr.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.tools.compare.CompareJettySolrRunner;
import org.hybridrerank.solr.tools.compare.ComparePage;

/**
 * {@code bin/demo --cloud}: a SolrCloud on loopback in this JVM — an embedded ZooKeeper and several Solr
 * nodes on consecutive ports, each loading the plugin jar from a shared lib folder — with one collection of
 * the example configset.
 */
final class LocalCloud implements AutoCloseable {
    private final MiniSolrCloudCluster cluster;
    private final String collection;

    private LocalCloud(MiniSolrCloudCluster cluster, String collection) {
        this.cluster = cluster;
        this.collection = collection;
    }

    /** Starts {@code nodes} nodes from {@code port} up, uploads solr-conf/ and creates the collection. */
    static LocalCloud start(Path baseDir, Path jar, int port, int nodes, String collection, int shards, int replicas)
            throws Exception {
        if (Files.exists(baseDir)) {
            try (Stream<Path> old = Files.walk(baseDir)) {
                for (Path p : (Iterable<Path>) old.sorted(Comparator.reverseOrder())::iterator) Files.delete(p);
            }
        }
        Path lib = Files.createDirectories(baseDir.resolve("lib"));
        Files.copy(jar, lib.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        String solrXml = MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML.replaceFirst(
                "<solr>", "<solr>\n  <str name=\"sharedLib\">" + lib.toAbsolutePath() + "</str>");
        System.setProperty("metricsEnabled", "true");
        MiniSolrCloudCluster cluster = new MiniSolrCloudCluster(
                0,
                baseDir,
                solrXml,
                JettyConfig.builder().setPort(0).stopAtShutdown(false).build());
        try {
            // the first node also serves the compare page; the others are plain Solr nodes
            Properties zk = new Properties();
            zk.setProperty("zkHost", cluster.getZkServer().getZkAddress());
            Path firstHome = Files.createDirectories(baseDir.resolve("node1"));
            cluster.startJettySolrRunner(new CompareJettySolrRunner(
                    firstHome.toString(),
                    zk,
                    JettyConfig.builder()
                            .setPort(port)
                            .setContext("/solr")
                            .stopAtShutdown(false)
                            .build()));
            for (int i = 1; i < nodes; i++) {
                cluster.startJettySolrRunner(
                        "node" + (i + 1),
                        "/solr",
                        JettyConfig.builder()
                                .setPort(port + i)
                                .stopAtShutdown(false)
                                .build());
            }
            cluster.waitForAllNodes(60);
            cluster.uploadConfigSet(Path.of("solr-conf"), "hybrid");
            CollectionAdminRequest.createCollection(collection, "hybrid", shards, replicas)
                    .process(cluster.getSolrClient());
            cluster.waitForActiveCollection(collection, shards, shards * replicas);
            return new LocalCloud(cluster, collection);
        } catch (Exception e) {
            cluster.shutdown();
            throw e;
        }
    }

    JettySolrRunner firstNode() {
        return cluster.getJettySolrRunner(0);
    }

    ComparePage comparePage() {
        return ((CompareJettySolrRunner) firstNode()).comparePage();
    }

    String baseUrl() {
        return cluster.getJettySolrRunner(0).getBaseUrl().toString();
    }

    String nodes() {
        return String.join(
                ", ",
                cluster.getJettySolrRunners().stream()
                        .map(JettySolrRunner::getBaseUrl)
                        .map(Object::toString)
                        .toList());
    }

    /** A ZooKeeper-aware client whose default collection is the demo's. */
    SolrClient client() {
        return cluster.getSolrClient(collection);
    }

    @Override
    public void close() {
        Demo.StopAction shutdown = cluster::shutdown;
        shutdown.runUnchecked("the local SolrCloud");
    }
}
