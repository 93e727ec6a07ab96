package org.hybridrerank.solr.tools;

import java.io.PrintWriter;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.tools.compare.CompareJettySolrRunner;
import org.hybridrerank.solr.tools.compare.ComparePage;
import org.hybridrerank.solr.tools.compare.JudgmentsJson;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/demo}: a real Solr over HTTP on localhost with the plugin jar in its lib/ and the example
 * configset, a BEIR or TREC dataset indexed with embeddings (once; a second start reuses the index), example
 * requests printed, then serving until stopped. The dataset is read and checked before Solr starts; a dataset
 * without documents, or documents Solr rejects, end the demo with a non-zero exit. Ctrl-C (or SIGTERM) stops it
 * at any point ({@link DemoStop}); stopped during indexing, it commits what Solr acknowledged, and the next start
 * on the same home sends only the documents the index lacks.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Serve Solr with hybrid retrieval and reranking on a dataset.")
public final class Demo implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8983", description = "HTTP port (default ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--dataset",
            description = "BEIR or TREC folder, nested folders and .gz files included "
                    + "(default: SciFact under the shared folder, else in data/, downloaded if missing)")
    Path dataset;

    @Option(
            names = "--topic-field",
            defaultValue = "title",
            converter = TopicField.Converter.class,
            description = "part of a TREC topic used as the example query: title, desc or title+desc (default "
                    + "${DEFAULT-VALUE})")
    TopicField topicField;

    @Option(names = "--collection", description = "core name (default: the dataset folder's name)")
    String collection;

    @Option(
            names = "--models",
            description =
                    "folder holding the cross-encoder (default: models under the shared folder, then solr-conf/models "
                            + "where models/fetch installs)")
    Path models;

    @Option(
            names = "--cross-encoder",
            description = "cross-encoder folder name inside --models (default: " + DemoInputs.TUNED_RERANKER
                    + " where found, else " + DemoInputs.PUBLIC_RERANKER + ", downloaded if missing)")
    String crossEncoder;

    @Option(
            names = "--embedder",
            defaultValue = EmbedderChoice.DEFAULT,
            description =
                    "bi-encoder: bge-small-en-v15-q (default) or all-minilm-l6-v2-q (faster), both unpacked by the "
                            + "build, or a model folder")
    String embedder;

    @Option(
            names = "--jar",
            defaultValue = "target/solr-hybrid-rerank-0.1.0.jar",
            description = "plugin jar installed into Solr's lib/ (default ${DEFAULT-VALUE})")
    Path jar;

    @Option(
            names = "--home",
            defaultValue = "demo-data/solr-home",
            description = "Solr home (default ${DEFAULT-VALUE})")
    Path home;

    @Option(
            names = "--split",
            defaultValue = "test",
            description = "qrels split whose judged queries the compare page offers (default ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--reindex",
            description = "index the whole dataset again (every document re-sent and re-embedded;"
                    + " documents no longer in the dataset stay)")
    boolean reindex;

    @Option(
            names = "--cloud",
            description = "run a local SolrCloud (embedded ZooKeeper, nodes on consecutive ports from --port); always "
                    + "indexes afresh")
    boolean cloud;

    @Option(
            names = "--shards",
            defaultValue = "2",
            description = "with --cloud: shards of the collection (default ${DEFAULT-VALUE})")
    int shards;

    @Option(
            names = "--replicas",
            defaultValue = "2",
            description = "with --cloud: replicas per shard (default ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--nodes", defaultValue = "2", description = "with --cloud: Solr nodes (default ${DEFAULT-VALUE})")
    int nodes;

    @Option(
            names = "--check-request",
            description = "after indexing, send one hybrid+rerank request over HTTP and print its status",
            hidden = true)
    boolean checkRequest;

    @Option(
            names = "--exit-when-ready",
            description = "stop after indexing and printing the examples (for scripts)",
            hidden = true)
    boolean exitWhenReady;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        int code = Cli.execute(new Demo(), args);
        if (code != 0) System.exit(code);
    }

    /** The shared folder: -Dhybrid.shared.dir, $HYBRID_SHARED_DIR, or ../shared. */
    static Path sharedDir() {
        String dir =
                System.getProperty("hybrid.shared.dir", System.getenv().getOrDefault("HYBRID_SHARED_DIR", "../shared"));
        return Path.of(dir).toAbsolutePath().normalize();
    }

    /** Exit code of a demo stopped by Ctrl-C: 128 + SIGINT's number, as the JVM's own (SIGTERM: 143). */
    static final int STOPPED = 130;

    /** The owner of the stop: run on SIGINT/SIGTERM and as a shutdown hook while {@link #call()} runs. */
    final DemoStop stops = new DemoStop(System.out);

    @Override
    public Integer call() throws Exception {
        // the stop runs before the JVM exits (see DemoStop); the hook covers any other exit
        Object previousInt = Signals.register("INT", () -> stops.signalled(STOPPED));
        Object previousTerm = Signals.register("TERM", () -> stops.signalled(128 + 15));
        Thread hook = new Thread(stops, "demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Running running = start();
            if (running == null) return stops.stopping() ? exitOfStop() : failure;
            return serveUntilStopped(running);
        } catch (Exception e) {
            if (stops.stopping()) return exitOfStop(); // Solr stopped under the start: the stop said what it did
            throw e;
        } finally {
            if (!stops.stopping()) {
                Signals.unregister("INT", previousInt);
                Signals.unregister("TERM", previousTerm);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the JVM is exiting (System.exit elsewhere): the hook runs and stops Solr once
                }
            }
        }
    }

    private int exitOfStop() {
        int code = stops.signalExit();
        return code == 0 ? STOPPED : code;
    }

    /** A demo serving: Solr's base URL, the compare page's URL, and how to stop it. */
    public record Running(String solrUrl, String compareUrl, StopAction stop) implements AutoCloseable {
        @Override
        public void close() {
            stop.runUnchecked("the demo's Solr");
        }
    }

    /** The exit code of a start that returned null. */
    private int failure;

    /**
     * Reads the dataset, starts Solr, indexes and prints the examples; null (with {@link #failure} set and the
     * reason printed) when the dataset, the models or the indexing fail. Tests call it to keep the demo serving.
     */
    public Running start() throws Exception {
        DemoPorts ports = new DemoPorts(port, cloud ? nodes : 1);
        ports.requireFree(); // before the dataset is read: a busy port should not cost a minute of reading first
        PrintWriter err = spec.commandLine().getErr();
        DemoInputs inputs = new DemoInputs(DemoInputs.Settings.defaults(sharedDir()));
        DemoInputs.Input rerankerInput = inputs.reranker(crossEncoder, models);
        DemoInputs.Input dataInput = inputs.dataset(dataset);
        System.out.println(rerankerInput.banner("reranker"));
        System.out.println(dataInput.banner("dataset"));
        Path data;
        Path ce;
        try {
            data = inputs.ensure(dataInput);
        } catch (IllegalStateException e) {
            err.println(e.getMessage());
            err.flush();
            return failed(2);
        } catch (DemoInputs.FetchFailed e) {
            return failed(2); // bin/fetch-data said why, in one line naming the URL
        }
        Dataset ds;
        long documents;
        try {
            // read before Solr starts: a dataset without documents must not become an empty index
            ds = Dataset.open(data);
            documents = DatasetCheck.documents(ds);
        } catch (DatasetProblem e) {
            err.println(e.getMessage());
            err.flush();
            return failed(2);
        }
        System.out.println("read " + documents + " documents (" + ds.format() + ") from " + data);
        String core = collection != null ? collection : ds.name();
        try {
            ce = inputs.ensure(rerankerInput);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            return failed(2);
        } catch (DemoInputs.FetchFailed e) {
            return failed(2); // models/fetch said why, in one line naming the URL
        }
        Path modelDir = ce.getParent();
        Path emb;
        try {
            emb = EmbedderChoice.resolve(embedder);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            return failed(2);
        }
        if (!Files.exists(jar)) {
            System.err.println("missing " + jar.toAbsolutePath() + " (run: mvn -B -ntp package -DskipTests)");
            return failed(2);
        }
        System.setProperty("hybrid.crossencoder.dir", ce.toString());
        System.setProperty(
                "hybrid.crossencoder.maxLength",
                Integer.toString(DemoInputs.readerLength(ce.getFileName().toString(), ce)));
        System.setProperty("hybrid.embedder.dir", emb.toString());
        System.setProperty("solr.allowPaths", modelDir + "," + emb);
        return cloud ? serveCloud(core, ds, documents) : serveOneNode(core, ds, documents);
    }

    private Running failed(int code) {
        failure = code;
        return null;
    }

    /** Beside core.properties: which embedder filled the index's vectors. */
    static final String EMBEDDER_MARKER = "embedder.txt";

    private Running serveOneNode(String core, Dataset ds, long documents) throws Exception {
        boolean schemaChanged = prepareHome(core);
        CompareJettySolrRunner jetty = new CompareJettySolrRunner(
                home.toAbsolutePath().toString(),
                JettyConfig.builder().setPort(port).stopAtShutdown(false).build());
        try {
            jetty.start();
        } catch (Exception e) {
            throw new DemoPorts(port, 1).startFailure(e);
        }
        stops.solrStarted(jetty::stop);
        String base = jetty.getBaseUrl().toString();
        serveComparePage(jetty.comparePage(), core, ds);
        try (SolrClient solr =
                new Http2SolrClient.Builder(base).withDefaultCollection(core).build()) {
            long indexed =
                    solr.query(new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
            Path marker = home.resolve(core).resolve(EMBEDDER_MARKER);
            String embedderDir = System.getProperty("hybrid.embedder.dir");
            boolean partial = indexed > 0 && indexed < documents;
            if (partial && !reindex && !schemaChanged && !Files.exists(marker)) {
                // a partial index of unknown vectors (no marker: not written by a stopped demo) is not completed
                System.out.println("the index of " + core + " holds " + indexed + " of " + documents
                        + " documents and does not say which embedder filled it: indexing again");
            }
            Indexing outcome = Indexing.DONE;
            if (reindex || indexed == 0 || schemaChanged || (partial && !Files.exists(marker))) {
                if (schemaChanged && !reindex && indexed > 0)
                    System.out.println("the configset's schema changed: indexing again");
                // written first: a stopped indexing leaves a partial index that says which embedder filled it
                Files.writeString(marker, embedderDir);
                outcome = index(solr, ds, documents, null, 0, true);
            } else if (Files.exists(marker) && !Files.readString(marker).equals(embedderDir)) {
                // same dimension, other model: the kNN would run without error and return noise
                System.err.println("the index of " + core + " holds vectors of " + Files.readString(marker)
                        + ", not of " + embedderDir + ": run with --reindex, or another --home");
                stops.stopSolr();
                return failed(2);
            } else if (partial) {
                outcome = resume(solr, ds, documents);
            } else {
                System.out.println("reusing the index of " + core + ": " + indexed + " documents, the dataset has "
                        + documents + " (--reindex to rebuild)");
            }
            if (outcome == Indexing.STOPPED) return failed(STOPPED); // the stop stops Solr
            if (outcome == Indexing.REJECTED) {
                stops.stopSolr();
                return failed(1);
            }
            printExamples(base, core, ds);
        }
        if (checkRequest) checkRequest(base, core, ds);
        return new Running(base, compareUrl(jetty), stops::stopSolr);
    }

    /**
     * Completes a partial index (a stopped demo's): reads the ids it holds and sends only the dataset's other
     * documents, so those indexed already are not embedded again.
     */
    private Indexing resume(SolrClient solr, Dataset ds, long documents) throws Exception {
        Set<String> present = DatasetIndexer.indexedIds(solr);
        long[] already = {0};
        ds.documents(d -> {
            if (d.id() != null && present.contains(d.id())) already[0]++;
        });
        if (already[0] == documents) {
            System.out.println("reusing the index of " + ds.name() + ": all " + documents
                    + " documents of the dataset are in it (--reindex to rebuild)");
            return Indexing.DONE;
        }
        System.out.println("resuming: " + already[0] + " of " + documents + " documents already indexed");
        return index(solr, ds, documents, present, already[0], true);
    }

    private Running serveCloud(String core, Dataset ds, long documents) throws Exception {
        if (shards < 1 || replicas < 1 || nodes < 1) {
            System.err.println("--shards, --replicas and --nodes must be at least 1");
            return failed(2);
        }
        System.out.println("starting SolrCloud: " + nodes + " nodes, collection " + core + " with " + shards
                + " shards x " + replicas + " replicas…");
        LocalCloud local;
        try {
            local = LocalCloud.start(
                    home.toAbsolutePath().resolveSibling("cloud"), jar, port, nodes, core, shards, replicas);
        } catch (Exception e) {
            throw new DemoPorts(port, nodes).startFailure(e);
        }
        stops.solrStarted(local::close);
        System.out.println("nodes: " + local.nodes());
        serveComparePage(local.comparePage(), core, ds);
        Indexing outcome = index(local.client(), ds, documents, null, 0, false);
        if (outcome == Indexing.STOPPED) return failed(STOPPED); // the stop stops Solr
        if (outcome == Indexing.REJECTED) {
            stops.stopSolr();
            return failed(1);
        }
        printExamples(local.baseUrl(), core, ds);
        if (checkRequest) checkRequest(local.baseUrl(), core, ds);
        return new Running(local.baseUrl(), compareUrl(local.firstNode()), stops::stopSolr);
    }

    /** The page queries this collection; the dataset's judged queries (of --split) feed its query picker. */
    private void serveComparePage(ComparePage page, String core, Dataset ds) throws Exception {
        page.config(JudgmentsJson.config(core, "/solr"));
        Map<String, Map<String, Integer>> qrels;
        try {
            qrels = ds.qrels(split);
        } catch (DatasetProblem noJudgments) {
            return; // plain search: the picker stays hidden
        }
        page.judgments(JudgmentsJson.of(ds.queries(topicField), qrels));
    }

    private static String compareUrl(JettySolrRunner node) {
        URL solr = node.getBaseUrl();
        return solr.getProtocol() + "://" + solr.getHost() + ":" + solr.getPort() + "/compare/";
    }

    /** Serves until Ctrl-C (or returns at once with --exit-when-ready), then stops Solr. */
    private int serveUntilStopped(Running running) throws Exception {
        if (exitWhenReady) {
            running.stop().run();
            return 0;
        }
        System.out.println("Solr is serving at " + running.solrUrl() + " — Ctrl-C to stop.");
        System.out.println("Compare the stages side by side: " + running.compareUrl());
        stops.awaitStopped(); // Ctrl-C, SIGTERM or the shutdown hook: DemoStop stops Solr
        return exitOfStop();
    }

    @FunctionalInterface
    public interface StopAction {
        void run() throws Exception;

        /**
         * Runs it from a close(): no checked exception, so that try-with-resources callers need not handle an
         * InterruptedException they cannot act on; an interrupt is kept on the thread.
         */
        default void runUnchecked(String what) {
            try {
                run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while stopping " + what, e);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("cannot stop " + what + ": " + e.getMessage(), e);
            }
        }
    }

    /** @return whether the home held a core whose schema differs from the configset's (its index is stale) */
    private boolean prepareHome(String core) throws Exception {
        Path lib = Files.createDirectories(home.resolve("lib"));
        try (Stream<Path> old = Files.list(lib)) {
            for (Path p : (Iterable<Path>) old::iterator)
                if (p.getFileName().toString().startsWith("solr-hybrid-rerank")) Files.delete(p);
        }
        Files.copy(jar, lib.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(
                home.resolve("solr.xml"), "<solr><str name=\"allowPaths\">${solr.allowPaths:}</str></solr>\n");
        Path conf = Files.createDirectories(home.resolve(core).resolve("conf"));
        Path schema = conf.resolve("managed-schema.xml");
        boolean schemaChanged = Files.exists(schema)
                && !Files.readString(schema).equals(Files.readString(Path.of("solr-conf", "managed-schema.xml")));
        try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator)
                Files.copy(f, conf.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
        }
        Properties props = new Properties();
        props.setProperty("name", core);
        try (var w = Files.newBufferedWriter(home.resolve(core).resolve("core.properties"))) {
            props.store(w, "created by bin/demo");
        }
        return schemaChanged;
    }

    /** How an indexing ended. */
    private enum Indexing {
        DONE,
        REJECTED,
        STOPPED
    }

    /**
     * Indexes the dataset (all of it when {@code present} is null, else the documents whose id is not in it, the
     * {@code before} others being indexed already) and reports read vs indexed; REJECTED when Solr rejected any
     * document, STOPPED when a stop ended it (the stop then reports how far it got).
     */
    private Indexing index(
            SolrClient solr, Dataset ds, long documents, Set<String> present, long before, boolean resumable)
            throws Exception {
        DatasetIndexer.Report report = null;
        long start = System.nanoTime();
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName((present == null ? "indexing " : "completing ") + ds.name())
                .setInitialMax(documents - before)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, terminalWidth()))
                .setUnit(" docs", 1)
                .showSpeed()
                .build();
        DatasetIndexer indexer = new DatasetIndexer(solr, bar::stepBy);
        if (!stops.indexing(indexer, before, documents, resumable)) {
            bar.close();
            return Indexing.STOPPED;
        }
        try {
            report = present == null ? indexer.index(ds) : indexer.resume(ds, present);
        } finally {
            bar.close(); // its last line before the stop's
            stops.indexingEnded(report);
        }
        if (report.stopped() || stops.stopping()) return Indexing.STOPPED;
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "%s in %.1f s (%.1f docs/s with %s)%n",
                report.summary(),
                seconds,
                report.sent() / seconds,
                Path.of(System.getProperty("hybrid.embedder.dir")).getFileName());
        if (report.rejected() == 0) return Indexing.DONE;
        PrintWriter err = spec.commandLine().getErr();
        err.println("Solr rejected " + report.rejected() + " of " + report.read() + " documents read; the first:");
        for (DatasetIndexer.Rejection r : report.firstRejections()) err.println("  " + r);
        err.println("stopping: fix the dataset and run again with --reindex");
        err.flush();
        return Indexing.REJECTED;
    }

    /**
     * The terminal's width, asked without letting JLine take the signals: the progress bar's own terminal would
     * set SIGINT to its default (the JVM killed at once, no stop) while it renders.
     */
    private static int terminalWidth() {
        try (Terminal t = TerminalBuilder.builder()
                .dumb(true)
                .nativeSignals(false)
                .signalHandler(Terminal.SignalHandler.SIG_IGN)
                .build()) {
            int width = t.getWidth();
            return width >= 10 ? width - 1 : 80; // as the bar's own: a margin of one, 80 when unknown
        } catch (java.io.IOException | RuntimeException e) {
            return 80;
        }
    }

    private void printExamples(String base, String core, Dataset ds) throws Exception {
        String q = ds.queries(topicField).values().stream().findFirst().orElse("vitamin d deficiency");
        String url = base + "/" + core;
        System.out.println();
        System.out.println("Ready. Try (hybrid BM25 + kNN, RRF, cross-encoder on the fused top 100):");
        System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "'");
        System.out.println("Each stage alone, and a blended rerank with explanations:");
        String off = "&rq=" + enc("{!crossencoder enabled=false}");
        System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "&hybrid.mode=lexical" + off + "'");
        System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "&hybrid.mode=vector" + off + "'");
        System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "&rq="
                + enc("{!crossencoder reRankDocs=50 reRankOperator=add reRankScale=0-1 reRankMainScale=0-1}")
                + "&debug=true'");
        System.out.println("Rerank any query:");
        System.out.println("  curl '" + url + "/select?q=" + enc(q) + "&rq=" + enc("{!crossencoder reRankDocs=20}")
                + "&fl=" + enc("id,title,score,originalScore()") + "'");
        System.out.println("Measure it:");
        System.out.println(
                "  bin/eval --solr " + base + " --collection " + core + " --dataset DATASET_DIR --queries 50");
    }

    /** One request over HTTP, the way the first printed example sends it. */
    private void checkRequest(String base, String core, Dataset ds) throws Exception {
        String q = ds.queries(topicField).values().stream().findFirst().orElse("vitamin d deficiency");
        try (SolrClient client =
                new Http2SolrClient.Builder(base).withDefaultCollection(core).build()) {
            QueryRequest request = new QueryRequest(new SolrQuery(q));
            request.setPath("/hybrid");
            QueryResponse rsp = request.process(client);
            System.out.println("check: rerank.status=" + rsp.getHeader().get("rerank.status") + ", numFound="
                    + rsp.getResults().getNumFound() + ", top="
                    + (rsp.getResults().isEmpty()
                            ? "-"
                            : rsp.getResults().get(0).get("id")));
        }
    }

    private static String enc(String value) {
        return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
    }
}
