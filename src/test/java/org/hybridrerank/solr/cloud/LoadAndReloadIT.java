package org.hybridrerank.solr.cloud;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCloudTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Load and reloads on a real Solr over HTTP (loopback), with the trained cross-encoder:
 *
 * <ul>
 *   <li>4 concurrent clients send hybrid+rerank queries for {@code -Dhybrid.load.seconds} (default 30; 120 for
 *       the full run) and stop themselves: no errors, every answer reranked; throughput, p50 and p95 printed;
 *   <li>{@code -Dhybrid.reloads} (default 50) collection reloads under a light query load: every query is
 *       answered with {@code rerank.status=ok} (a fail-open answer in the first-stage order counts as failed),
 *       the ONNX Runtime sessions open afterwards are those open before (none leaked), and the process RSS
 *       grows by less than 50 MB (the heap is pre-touched, so RSS growth is native memory and metaspace).
 * </ul>
 *
 * Figures go to stdout and to target/load-and-reload.txt.
 */
public class LoadAndReloadIT extends ExampleCloudTestCase {
    private static final String COLLECTION = "load";
    private static final int CLIENTS = 4;
    private static final List<String> CLAIMS = new ArrayList<>();

    @BeforeClass
    public static void setUpCluster() throws Exception {
        startExampleCluster(1, SharedData.model(SharedData.CROSS_ENCODER));
        createCollection(cluster, COLLECTION, 1, 1);
        Beir.index(
                cluster.getSolrClient(COLLECTION),
                Beir.corpus(SharedData.scifact(), 300).values(),
                n -> {});
        Map<String, String> queries = Beir.queries(SharedData.scifact());
        for (String qid : Beir.qrels(SharedData.scifact(), "test").keySet()) CLAIMS.add(queries.get(qid));
    }

    private static QueryResponse hybrid(String claim, int reRankDocs) throws Exception {
        SolrQuery q = new SolrQuery(claim);
        q.set("rq", "{!crossencoder reRankDocs=" + reRankDocs + "}");
        q.setRows(10);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        return request.process(http, COLLECTION);
    }

    private static void report(String line) throws Exception {
        System.out.println("[load-and-reload] " + line);
        Files.writeString(
                Path.of("target", "load-and-reload.txt"),
                line + System.lineSeparator(),
                java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    public void fourClientsGetEveryAnswerReranked() throws Exception {
        long seconds = Long.getLong("hybrid.load.seconds", 30);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicInteger next = new AtomicInteger();
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long start = System.nanoTime();
        List<Future<?>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(pool.submit(() -> {
                while (System.nanoTime() < deadline) {
                    String claim = CLAIMS.get(next.getAndIncrement() % CLAIMS.size());
                    long t = System.nanoTime();
                    try {
                        QueryResponse rsp = hybrid(claim, 20);
                        Object status = rsp.getHeader().get("rerank.status");
                        if (!"ok".equals(status)) errors.add("status " + status + " for '" + claim + "'");
                    } catch (Exception e) {
                        errors.add(e.toString());
                    }
                    latencies.add(System.nanoTime() - t);
                }
                return null;
            }));
        }
        for (Future<?> client : clients) client.get(seconds + 300, TimeUnit.SECONDS);
        pool.shutdown();
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        report(String.format(
                java.util.Locale.ROOT,
                "load: %d clients, %.0f s, %d requests, %.2f req/s, p50 %.0f ms, p95 %.0f ms, errors %d",
                CLIENTS,
                elapsed,
                sorted.size(),
                sorted.size() / elapsed,
                percentile(sorted, 0.50),
                percentile(sorted, 0.95),
                errors.size()));
        assertTrue("every request answered and reranked: " + errors, errors.isEmpty());
        assertTrue("the clients ran: " + sorted.size(), sorted.size() >= CLIENTS);
    }

    private static double percentile(List<Long> sortedNanos, double p) {
        int index = (int) Math.ceil(p * sortedNanos.size()) - 1;
        return sortedNanos.get(Math.max(0, index)) / 1e6;
    }

    @Test
    public void reloadsUnderQueriesLeakNoSessionAndLittleMemory() throws Exception {
        int reloads = Integer.getInteger("hybrid.reloads", 50);
        // warm-up with the very workload measured below (JIT, ONNX Runtime arenas, allocator arenas, caches), so
        // that what grows afterwards is what reloads leave behind
        ReloadRun warmUp = reloadsUnderQueries(10);
        assertTrue("warm-up queries: " + warmUp.failures(), warmUp.failures().isEmpty());
        int sessionsBefore = ModelRegistry.openOnnxSessions();
        // the embedder and the cross-encoder of the loaded core: a count of 0 or 1 would make "no leak" vacuous
        assertTrue("ONNX sessions open before the reloads: " + sessionsBefore, sessionsBefore >= 2);
        System.gc();
        long rssBefore = rssKb();

        ReloadRun run = reloadsUnderQueries(reloads);

        // cores closed by a reload close when their last request lets go: wait (bounded) for that
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (ModelRegistry.openOnnxSessions() != sessionsBefore && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        int sessionsAfter = ModelRegistry.openOnnxSessions();
        System.gc();
        long rssAfter = rssKb();
        report(String.format(
                java.util.Locale.ROOT,
                "reloads: %d in %.0f s under %d queries (%d failed), after a warm-up of 10; ONNX sessions open %d "
                        + "before, %d after; RSS %.1f MB -> %.1f MB (%+.1f MB)",
                reloads,
                run.seconds(),
                run.answered(),
                run.failures().size(),
                sessionsBefore,
                sessionsAfter,
                rssBefore / 1024.0,
                rssAfter / 1024.0,
                (rssAfter - rssBefore) / 1024.0));
        assertTrue("queries during reloads: " + run.failures(), run.failures().isEmpty());
        assertTrue("queries ran during the reloads", run.answered() > 0);
        assertEquals("ONNX sessions leaked by reloads", sessionsBefore, sessionsAfter);
        assertTrue("RSS grew by " + (rssAfter - rssBefore) / 1024 + " MB", rssAfter - rssBefore < 50 * 1024);
    }

    private record ReloadRun(double seconds, int answered, List<String> failures) {}

    /** {@code reloads} collection reloads while 2 clients send hybrid+rerank queries (K=5) without pause. */
    private static ReloadRun reloadsUnderQueries(int reloads) throws Exception {
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger next = new AtomicInteger();
        ExecutorService queries = Executors.newFixedThreadPool(2);
        List<Future<?>> load = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            load.add(queries.submit(() -> {
                while (running.get()) {
                    try {
                        String claim = CLAIMS.get(next.getAndIncrement() % CLAIMS.size());
                        QueryResponse rsp = hybrid(claim, 5);
                        // a 200 in the first-stage order (rerank failed open on a closing core) is a failure too
                        Object status = rsp.getHeader().get("rerank.status");
                        if (!"ok".equals(status)) failures.add("rerank.status " + status + " for '" + claim + "'");
                        else if (rsp.getResults() == null || rsp.getResults().isEmpty())
                            failures.add("no results for '" + claim + "'");
                        else answered.incrementAndGet();
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
                return null;
            }));
        }
        long start = System.nanoTime();
        try {
            for (int i = 0; i < reloads; i++) reload();
        } finally {
            running.set(false);
            for (Future<?> f : load) f.get(300, TimeUnit.SECONDS);
            queries.shutdown();
        }
        return new ReloadRun((System.nanoTime() - start) / 1e9, answered.get(), new ArrayList<>(failures));
    }

    private static void reload() throws Exception {
        CollectionAdminRequest.reloadCollection(COLLECTION).process(cluster.getSolrClient());
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
