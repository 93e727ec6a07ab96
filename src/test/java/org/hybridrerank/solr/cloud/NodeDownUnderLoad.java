package org.hybridrerank.solr.cloud;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.update.UpdateLog;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ChildSolrNode;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.Test;

/**
 * A real Solr node in a child JVM ({@link ChildSolrNode}: the example configset, the light embedder in the update
 * chain, the overlap-oracle cross-encoder), taken down while 2 clients index small uncommitted batches and 2 clients
 * send {@code /hybrid} queries with the reranker, then restarted on the same Solr home; {@link #CYCLES} times in a
 * row, at a random moment of the indexing each time. Each cycle asserts:
 *
 * <ul>
 *   <li>the child JVM exited with the status of the signal (143 for SIGTERM: its shutdown hook stopped Solr; 137
 *       for SIGKILL), not a crash's (134), and left no {@code hs_err} file;
 *   <li>no request failed before the node was taken down; after, the only failures are HTTP 503 (a core closing
 *       under the request) and connection-level ones (refused, reset): no other status;
 *   <li>after the restart and a commit, every document whose add was acknowledged (HTTP 200) in any cycle so far is
 *       found, with a vector of the schema's 384 dimensions (the update log replays what no commit made durable).
 * </ul>
 *
 * Figures per cycle go to stdout and target/durability.txt (docs/failures.md reports them).
 */
public abstract class NodeDownUnderLoad {
    /**
     * Cycles per run. 5 by default: with the native-close fix reverted, the SIGTERM test crashed the child within
     * its first cycles (docs/failures.md gives the measured count), so 5 cycles catch that race with a wide margin
     * while the class stays under 3 minutes on 2 cores. Raise it for a soak ({@code -Dhybrid.durability.cycles=50}).
     */
    static final int CYCLES = Integer.getInteger("hybrid.durability.cycles", 5);

    static final int DIMENSION = 384;
    private static final int BATCH = 5;
    private static final long START_TIMEOUT_S = 180;
    private static final long EXIT_TIMEOUT_S = 60;
    private static final Path DATASET = Path.of("src/test/resources/datasets/claims-mini");

    /** How the node is taken down. */
    enum Down {
        /** Process.destroy(): SIGTERM, the JVM's shutdown hook stops Jetty, as {@code bin/solr stop} does. */
        SIGTERM(143),
        /** Process.destroyForcibly(): SIGKILL, {@code kill -9}: nothing runs, the update log is all that is left. */
        SIGKILL(137);

        final int exitStatus;

        Down(int exitStatus) {
            this.exitStatus = exitStatus;
        }
    }

    abstract Down down();

    /** One request's outcome: "ok", "http NNN" or "io ExceptionClass", and when it completed. */
    record Outcome(long nanos, String what) {}

    @Test
    public void acknowledgedDocumentsSurviveAndNothingCrashes() throws Exception {
        long seed = Long.getLong("hybrid.durability.seed", System.nanoTime());
        Random random = new Random(seed);
        String name = down().name().toLowerCase(java.util.Locale.ROOT);
        report(name + ": " + CYCLES + " cycles, seed " + seed);
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "node-" + name + "-");
        Path home = dir.resolve("home");
        ChildSolrNode.prepareHome(home);
        List<Dataset.Doc> corpus = new ArrayList<>(Beir.corpus(DATASET, 1000).values());
        List<String> queries = new ArrayList<>(Beir.queries(DATASET).values());
        Set<String> acknowledged = new HashSet<>();
        long start = System.nanoTime();
        ChildSolrNode node = ChildSolrNode.start(home, dir, START_TIMEOUT_S, TimeUnit.SECONDS);
        report(name + ": first start " + millisSince(start) + " ms");
        try {
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                acknowledged.addAll(cycle(node, dir, cycle, random, corpus, queries));
                long restart = System.nanoTime();
                node = ChildSolrNode.start(home, dir, START_TIMEOUT_S, TimeUnit.SECONDS);
                long restartMillis = millisSince(restart);
                int found = assertAllFoundWithVectors(node, acknowledged);
                report(name + " cycle " + cycle + ": restart " + restartMillis + " ms; all " + acknowledged.size()
                        + " acknowledged ids found with " + DIMENSION + "-d vectors (" + found + " docs in the index)");
            }
        } finally {
            node.process().destroyForcibly().waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        }
        assertTrue(
                "crash logs " + ChildSolrNode.crashLogs(dir),
                ChildSolrNode.crashLogs(dir).isEmpty());
        report(name + ": " + CYCLES + " cycles in " + millisSince(start) + " ms");
    }

    /** Runs the load on {@code node}, takes it down at a random moment of the indexing; returns the acked ids. */
    private Set<String> cycle(
            ChildSolrNode node, Path dir, int cycle, Random random, List<Dataset.Doc> corpus, List<String> queries)
            throws Exception {
        Set<String> acked = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Collection<Outcome> indexing = new ConcurrentLinkedQueue<>();
        Collection<Outcome> querying = new ConcurrentLinkedQueue<>();
        AtomicInteger failOpen = new AtomicInteger();
        AtomicInteger reranked = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<SolrClient> http = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            http.add(new Http2SolrClient.Builder(node.baseUrl())
                    .withRequestTimeout(60, TimeUnit.SECONDS)
                    .build());
        }
        for (int t = 0; t < 2; t++) {
            int thread = t;
            SolrClient client = http.get(t);
            clients.execute(() -> {
                int seq = 0;
                while (running.get()) {
                    UpdateRequest add = new UpdateRequest();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < BATCH; i++) {
                        Dataset.Doc source = corpus.get(Math.floorMod(seq * 7 + i * 13 + thread, corpus.size()));
                        String id = "k" + cycle + "-" + thread + "-" + seq++;
                        SolrInputDocument doc = new SolrInputDocument();
                        doc.setField("id", id);
                        doc.setField("title", source.title());
                        doc.setField("text", source.text() + " (copy " + id + ")");
                        add.add(doc);
                        ids.add(id);
                    }
                    // most batches stay uncommitted (only the update log holds them); every 4th asks for a commit
                    if (seq % (4 * BATCH) == 0) add.setCommitWithin(1000);
                    String outcome = call(() -> add.process(client, ChildSolrNode.CORE));
                    if (outcome.equals("ok")) acked.addAll(ids);
                    indexing.add(new Outcome(System.nanoTime(), outcome));
                }
            });
        }
        for (int t = 0; t < 2; t++) {
            int thread = t;
            SolrClient client = http.get(2 + t);
            clients.execute(() -> {
                int n = thread;
                while (running.get()) {
                    SolrQuery q = new SolrQuery(queries.get(n++ % queries.size()));
                    QueryRequest request = new QueryRequest(q);
                    request.setPath("/hybrid");
                    String outcome = call(() -> {
                        QueryResponse rsp = request.process(client, ChildSolrNode.CORE);
                        if ("ok".equals(String.valueOf(rsp.getHeader().get("rerank.status")))) {
                            reranked.incrementAndGet();
                        } else {
                            failOpen.incrementAndGet();
                        }
                        return rsp;
                    });
                    querying.add(new Outcome(System.nanoTime(), outcome)); // when it completed
                }
            });
        }
        // take it down once a random number of this cycle's documents were acknowledged and queries answered
        int target = 10 + random.nextInt(140);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while ((acked.size() < target || reranked.get() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(
                "the load did not get going: " + acked.size() + " docs acked, " + reranked + " queries reranked",
                acked.size() >= target && reranked.get() >= 2);
        long downAt = System.nanoTime();
        if (down() == Down.SIGTERM) node.process().destroy();
        else node.process().destroyForcibly();
        boolean exited = node.process().waitFor(EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        long exitMillis = millisSince(downAt);
        running.set(false);
        clients.shutdown();
        boolean clientsDone = clients.awaitTermination(EXIT_TIMEOUT_S, TimeUnit.SECONDS);
        for (SolrClient client : http) client.close();
        assertTrue("the child did not exit within " + EXIT_TIMEOUT_S + " s of " + down(), exited);
        assertTrue("the clients did not stop", clientsDone);
        assertEquals(
                "child exit status after " + down() + " (134 = crashed; see " + ChildSolrNode.crashLogs(dir) + " and "
                        + node.log() + ")",
                down().exitStatus,
                node.process().exitValue());
        assertTrue(
                "the JVM crashed: " + ChildSolrNode.crashLogs(dir),
                ChildSolrNode.crashLogs(dir).isEmpty());
        if (down() == Down.SIGTERM) {
            assertTrue(
                    "the shutdown hook did not finish stopping Solr: " + node.log(),
                    Files.readString(node.log()).contains(ChildSolrNode.STOPPED));
        }
        Map<String, Integer> indexFailures = failures(indexing, downAt);
        Map<String, Integer> queryFailures = failures(querying, downAt);
        report(down().name().toLowerCase(java.util.Locale.ROOT) + " cycle " + cycle + ": down after " + acked.size()
                + " acked docs (target " + target + "), exit " + node.process().exitValue() + " in " + exitMillis
                + " ms; " + count(indexing, "ok") + " add batches ok, failures " + indexFailures + "; "
                + reranked + " queries reranked, " + failOpen + " fail-open, failures " + queryFailures
                + stopLine(node));
        return acked;
    }

    private static String stopLine(ChildSolrNode node) throws Exception {
        for (String line : Files.readAllLines(node.log())) {
            if (line.startsWith(ChildSolrNode.STOPPED)) return "; jetty.stop() took " + line.substring(18);
        }
        return "";
    }

    /**
     * The failures after the node went down, by kind; fails on any failure before it, and on any after it that is
     * neither a 503 nor connection-level.
     */
    private static Map<String, Integer> failures(Collection<Outcome> outcomes, long downAt) {
        Map<String, Integer> byKind = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.what().equals("ok")) continue;
            byKind.merge(o.what(), 1, Integer::sum);
            if (o.nanos() < downAt) {
                wrong.add(o.what() + " " + TimeUnit.NANOSECONDS.toMillis(downAt - o.nanos()) + " ms before down");
            } else if (!o.what().equals("http 503") && !o.what().startsWith("io ")) {
                wrong.add(o.what() + " while going down");
            }
        }
        if (!wrong.isEmpty()) fail("unexpected failures " + wrong + " (all: " + byKind + ")");
        return byKind;
    }

    private static long count(Collection<Outcome> outcomes, String what) {
        return outcomes.stream().filter(o -> o.what().equals(what)).count();
    }

    interface Request {
        Object run() throws Exception;
    }

    /**
     * "ok", "http NNN" for an HTTP error status, "io Name" for a connection-level failure (Name: the root cause)
     * or a reply cut mid-body.
     */
    static String call(Request request) {
        try {
            request.run();
            return "ok";
        } catch (SolrException e) {
            // SolrJ throws with status 200 only when it could not read the body of a successful reply: the
            // connection was cut mid-response (the node stopping), a connection-level failure, not a server error
            if (e.code() == 200) return "io unreadable 200 reply";
            return "http " + e.code();
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            return "io " + root.getClass().getSimpleName();
        }
    }

    /** Finds every id with a vector of {@link #DIMENSION} finite values; returns the index's document count. */
    static int assertAllFoundWithVectors(ChildSolrNode node, Set<String> ids) throws Exception {
        try (SolrClient client = new Http2SolrClient.Builder(node.baseUrl())
                .withRequestTimeout(60, TimeUnit.SECONDS)
                .build()) {
            awaitUpdateLogActive(client);
            client.commit(ChildSolrNode.CORE);
            List<String> missing = new ArrayList<>();
            List<String> all = new ArrayList<>(ids);
            for (int from = 0; from < all.size(); from += 500) {
                List<String> chunk = all.subList(from, Math.min(all.size(), from + 500));
                SolrQuery q = new SolrQuery("*:*");
                q.addFilterQuery("{!terms f=id}" + String.join(",", chunk));
                q.setFields("id", "vector");
                q.setRows(chunk.size());
                Set<String> found = new HashSet<>();
                for (SolrDocument doc : client.query(ChildSolrNode.CORE, q).getResults()) {
                    String id = (String) doc.getFieldValue("id");
                    Collection<Object> vector = doc.getFieldValues("vector");
                    assertTrue(
                            "doc " + id + " has no " + DIMENSION + "-d vector: " + vector,
                            vector != null && vector.size() == DIMENSION);
                    for (Object v : vector) {
                        assertTrue("doc " + id + " vector value " + v, Float.isFinite(((Number) v).floatValue()));
                    }
                    found.add(id);
                }
                for (String id : chunk) if (!found.contains(id)) missing.add(id);
            }
            assertTrue(
                    missing.size() + " acknowledged docs missing after restart, e.g. "
                            + missing.subList(0, Math.min(10, missing.size())),
                    missing.isEmpty());
            return (int) client.query(ChildSolrNode.CORE, new SolrQuery("*:*").setRows(0))
                    .getResults()
                    .getNumFound();
        }
    }

    /**
     * Waits (bounded) until the core's update log is ACTIVE: a restarted standalone core replays the log of what no
     * commit made durable in the background, after it already serves; a commit before the replay ends misses them.
     */
    static void awaitUpdateLogActive(SolrClient client) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        Object state = null;
        while (System.nanoTime() < deadline) {
            ModifiableSolrParams params = new ModifiableSolrParams();
            params.set("group", "core");
            params.set("prefix", "TLOG.state");
            NamedList<Object> rsp =
                    client.request(new GenericSolrRequest(SolrRequest.METHOD.GET, "/admin/metrics", params));
            NamedList<?> core =
                    (NamedList<?>) ((NamedList<?>) rsp.get("metrics")).get("solr.core." + ChildSolrNode.CORE);
            state = core == null ? null : core.get("TLOG.state");
            // UpdateLog.State.ACTIVE
            if (state instanceof Number n && n.intValue() == UpdateLog.State.ACTIVE.ordinal()) return;
            Thread.sleep(50);
        }
        fail("the update log did not become ACTIVE within 120 s (TLOG.state " + state + ")");
    }

    static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    static void report(String line) throws Exception {
        System.out.println("[durability] " + line);
        Files.writeString(
                Path.of("target", "durability.txt"),
                line + System.lineSeparator(),
                StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }
}
