package org.hybridrerank.solr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.EncodedSequence;
import org.hybridrerank.solr.model.LongDocs;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.OnnxRuntimeEnvironment;
import org.hybridrerank.solr.model.PairBatcher;
import org.hybridrerank.solr.model.TokenBatch;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Cli;
import org.hybridrerank.solr.tools.Dataset;
import org.hybridrerank.solr.tools.DatasetIndexer;
import org.hybridrerank.solr.tools.Evaluate;
import org.hybridrerank.solr.tools.PositionalArgs;
import org.hybridrerank.solr.tools.RelevanceMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The operating-point table: the default request shape (the example configset's /hybrid, RRF first stage, its top
 * 100 reranked, score cache off) with each cross-encoder configuration, on SciFact test, in one run. Per point:
 * nDCG@10 and single-client p50/p95 from bin/eval ({@link Evaluate}, all test queries), the rerank stage's cost per
 * document against raw ONNX Runtime on one fp32 256-token pair, the stage against raw ONNX Runtime on its own
 * tokens, and throughput with 1, 2 and 4 concurrent clients. Solr serves the example configset from
 * {@code target/bench-home} (indexed once, reused while the document count matches), with one model entry per
 * point in place of the configset's single model.
 *
 * <p>The default is not picked by reading the test figures: {@link OperatingPointChoice} cross-validates the rule
 * that picks it.
 *
 * <p>Speed per point: p50/p95 of 20 sequential requests, the stage against raw ONNX Runtime on {@code rawClaims}
 * claims, and 1, 2 and 4 clients sending {@code requestsPerClient} requests each; all on train claims that no
 * earlier request asked.
 *
 * <p>Args: [queries=all|reuse] [requestsPerClient=6] [rawClaims=5] [repeats=3] [points=all, comma-separated names];
 * {@code reuse} reads each point's quality from the bin/eval output an earlier run left and measures speed only
 */
@Command(name = "bench points", description = "The operating-point table of the default request shape (see README).")
public final class OperatingPointBenchmark implements Callable<Integer> {
    @Parameters(
            arity = "0..5",
            paramLabel = "ARG",
            description =
                    "[queries=all|reuse] [requestsPerClient=6] [rawClaims=5] [repeats=3] [points, comma-separated]")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    record Point(String name, String model, int maxLength, int batchSize, String longDocs) {
        String rq() {
            return "{!crossencoder model=" + name + " longDocs=" + longDocs + " reRankDocs=100 scoreCache=false}";
        }
    }

    /** Dynamically quantized graphs run one pair per call: a pair's score must not depend on its batch-mates. */
    static final List<Point> POINTS = List.of(
            new Point("fp32-256-truncate", "scifact-minilm-l6-ce", 256, 4, "truncate"),
            new Point("int8-256-truncate", "scifact-minilm-l6-ce-int8", 256, 1, "truncate"),
            new Point("int8-128-truncate", "scifact-minilm-l6-ce-int8", 128, 1, "truncate"),
            new Point("int8-128-best", "scifact-minilm-l6-ce-int8", 128, 1, "best"),
            new Point("int8-160-best", "scifact-minilm-l6-ce-int8", 160, 1, "best"),
            new Point("int8-192-best", "scifact-minilm-l6-ce-int8", 192, 1, "best"));

    static final String CORE = "scifact";
    static final int K = 100;

    public static void main(String[] args) {
        System.exit(Cli.execute(new OperatingPointBenchmark(), args));
    }

    @Override
    public Integer call() throws Exception {
        PositionalArgs positional = new PositionalArgs(spec, args);
        // "reuse": take each point's quality from an earlier run's bin/eval output and measure only the speed
        String first = positional.at(0, "all");
        boolean reuseQuality = first.equals("reuse");
        Integer queries = first.equals("all") || reuseQuality ? null : positional.intAt(0, "queries", 0);
        int perClient = positional.intAt(1, "requestsPerClient", 6);
        int rawClaims = positional.intAt(2, "rawClaims", 5);
        int repeats = positional.intAt(3, "repeats", 3);
        int latencyClaims = 20;
        List<Point> points = POINTS;
        if (args.size() > 4) {
            List<String> names = Arrays.asList(args.get(4).split(","));
            points = POINTS.stream()
                    .filter(p -> p.name.equals(POINTS.get(0).name) || names.contains(p.name))
                    .toList();
        }
        Path out = Files.createDirectories(Path.of("target", "bench-points"));
        Path home = prepareHome(Path.of("target", "bench-home"), points);
        Dataset scifact = Dataset.open(SharedData.scifact());
        JettySolrRunner jetty = new JettySolrRunner(
                home.toAbsolutePath().toString(),
                JettyConfig.builder().setPort(0).build());
        jetty.start();
        String base = jetty.getBaseUrl().toString();
        StringBuilder report = new StringBuilder();
        try (SolrClient solr =
                new Http2SolrClient.Builder(base).withDefaultCollection(CORE).build()) {
            indexOnce(solr, scifact);
            Map<String, Map<String, Integer>> qrels = scifact.qrels("test");
            Map<String, String> claims = scifact.queries();
            List<String> testIds = new ArrayList<>(qrels.keySet());
            List<String> trainClaims =
                    scifact.qrels("train").keySet().stream().map(claims::get).toList();

            System.out.println("rrf first stage (bin/eval, no rerank)");
            JsonNode firstStageRun = evaluate(base, out.resolve("rrf"), "rrf", "rrf", null, queries);
            JsonNode firstStage = firstStageRun.path("modes").path("rrf");

            // the claims whose top K the stage-against-raw comparisons score
            List<List<String>> rawTexts = new ArrayList<>();
            for (String qid : testIds.subList(0, rawClaims)) rawTexts.add(candidateTexts(solr, claims.get(qid)));
            List<String> rawQueries =
                    testIds.subList(0, rawClaims).stream().map(claims::get).toList();

            // quality first (slow, insensitive to load), then every point's speed back to back, so that the speed
            // figures of all points are taken under the same conditions
            Map<String, JsonNode> quality = new LinkedHashMap<>();
            for (Point p : points) {
                System.out.println("quality: " + p.name);
                Path results = out.resolve(p.name).resolve("results.json");
                JsonNode run = reuseQuality && Files.exists(results)
                        ? new ObjectMapper().readTree(results.toFile())
                        : evaluate(base, out.resolve(p.name), p.name, "rrf+ce", p.rq(), queries);
                quality.put(p.name, run.path("modes").path("rrf+ce"));
            }
            // the unit of cost, measured in the speed phase with the points it is compared with
            double fp32PairMs = rawMsPerPair(POINTS.get(0), rawQueries, rawTexts, repeats);
            // speed asks train claims: none of them was asked before, so no answer comes from the query result cache
            int claimOffset = 0;
            Map<String, Row> rows = new LinkedHashMap<>();
            for (Point p : points) {
                System.out.println("speed: " + p.name);
                double[] stageVsRaw = stageAgainstRaw(solr, p, rawQueries, rawTexts, repeats);
                List<String> sequential = trainClaims.subList(claimOffset, claimOffset + latencyClaims);
                claimOffset += latencyClaims;
                double[] latency = latencies(solr, p, sequential);
                double[] rps = new double[3];
                int[] levels = {1, 2, 4};
                for (int i = 0; i < levels.length; i++) {
                    int n = levels[i] * perClient;
                    rps[i] = throughput(solr, p, trainClaims.subList(claimOffset, claimOffset + n), levels[i]);
                    claimOffset += n;
                }
                JsonNode mode = quality.get(p.name);
                Map<String, Double> perQuery = perQueryNdcg(out.resolve(p.name).resolve("run.rrf+ce.txt"), qrels);
                rows.put(
                        p.name,
                        new Row(
                                p,
                                mode.path("ndcg@10").asDouble(),
                                mode.path("latency_ms").path("p50").asDouble(),
                                latency[0],
                                latency[1],
                                stageVsRaw[0] / (rawClaims * (double) K) / fp32PairMs,
                                stageVsRaw[0] / stageVsRaw[1],
                                rps,
                                perQuery));
                System.out.println(rows.get(p.name));
            }

            report.append(String.format(
                    Locale.ROOT,
                    "SciFact test, %d queries, /hybrid rrf top %d reranked, score cache off; %d ONNX Runtime threads, "
                            + "%d cores; raw fp32 256-token pair %.2f ms (median of %d runs over %d claims' top "
                            + "%d)%n%n",
                    firstStageRun.path("queries").asInt(),
                    K,
                    OnnxRuntimeEnvironment.get().threads(),
                    Runtime.getRuntime().availableProcessors(),
                    fp32PairMs,
                    repeats,
                    rawClaims,
                    K));
            report.append("| point | batch | nDCG@10 | p50 ms during bin/eval | p50 ms | p95 ms | stage per doc / raw "
                    + "fp32-256 pair | stage / raw same tokens | 1 client rps | 2 clients rps | 4 clients rps "
                    + "|\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            report.append(String.format(
                    Locale.ROOT,
                    "| rrf (no rerank) | | %.4f | %.0f | | | | | | | |%n",
                    firstStage.path("ndcg@10").asDouble(),
                    firstStage.path("latency_ms").path("p50").asDouble()));
            for (Row r : rows.values()) report.append(r.markdown());
            Map<Point, Map<String, Double>> perQuery = new LinkedHashMap<>();
            rows.values().forEach(r -> perQuery.put(r.point, r.perQuery));
            report.append('\n').append(OperatingPointChoice.crossValidated(perQuery, testIds));
        } finally {
            jetty.stop();
        }
        System.out.println();
        System.out.print(report);
        Files.writeString(out.resolve("operating-points.md"), report);
        System.out.println("wrote " + out.resolve("operating-points.md"));
        return 0;
    }

    record Row(
            Point point,
            double ndcg,
            double evalP50,
            double p50,
            double p95,
            double perDocVsFp32Pair,
            double stageVsRaw,
            double[] rps,
            Map<String, Double> perQuery) {
        String markdown() {
            return String.format(
                    Locale.ROOT,
                    "| %s | %d | %.4f | %.0f | %.0f | %.0f | %.3f | %.3f | %.2f | %.2f | %.2f |%n",
                    point.name,
                    point.batchSize,
                    ndcg,
                    evalP50,
                    p50,
                    p95,
                    perDocVsFp32Pair,
                    stageVsRaw,
                    rps[0],
                    rps[1],
                    rps[2]);
        }

        @Override
        public String toString() {
            return markdown();
        }
    }

    /**
     * nDCG@10 per query from the TREC run bin/eval wrote (queries without results score 0, as bin/eval counts them).
     */
    static Map<String, Double> perQueryNdcg(Path run, Map<String, Map<String, Integer>> qrels) throws Exception {
        Map<String, List<String>> rankings = new LinkedHashMap<>();
        try (Stream<String> lines = Files.lines(run)) {
            lines.map(l -> l.split(" ")).forEach(f -> rankings.computeIfAbsent(f[0], k -> new ArrayList<>())
                    .add(f[2]));
        }
        Map<String, Double> ndcg = new LinkedHashMap<>();
        for (String qid : qrels.keySet()) {
            ndcg.put(qid, RelevanceMetrics.ndcg(rankings.getOrDefault(qid, List.of()), qrels.get(qid), 10));
        }
        return ndcg;
    }

    private static JsonNode evaluate(String base, Path out, String label, String modes, String rq, Integer queries)
            throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--solr",
                base,
                "--collection",
                CORE,
                "--dataset",
                SharedData.scifact().toString(),
                "--modes",
                modes,
                "--k",
                String.valueOf(K),
                "--out",
                out.toString(),
                "--label",
                label));
        if (rq != null) args.addAll(List.of("--set", "rq=" + rq));
        if (queries != null) args.addAll(List.of("--queries", String.valueOf(queries)));
        int code = new CommandLine(new Evaluate()).execute(args.toArray(String[]::new));
        if (code != 0) throw new IllegalStateException("bin/eval exited " + code + " for " + label);
        return new ObjectMapper().readTree(out.resolve("results.json").toFile());
    }

    /**
     * The model text of the RRF top K, in first-stage order: title and text joined as the configset's parser joins
     * them.
     */
    private static List<String> candidateTexts(SolrClient solr, String claim) throws Exception {
        QueryRequest request = hybridRequest(claim, "{!crossencoder enabled=false}", K, "id", "title", "text");
        List<String> texts = new ArrayList<>();
        for (SolrDocument d : request.process(solr).getResults()) {
            texts.add(d.getFieldValue("title") + " " + d.getFieldValue("text"));
        }
        return texts;
    }

    /** A request to the configset's /hybrid handler with the RRF first stage and the given rank query. */
    private static QueryRequest hybridRequest(String claim, String rq, int rows, String... fields) {
        SolrQuery q = new SolrQuery(claim);
        q.set("hybrid.mode", "rrf");
        q.set("rq", rq);
        q.setRows(rows);
        q.setFields(fields);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        return request;
    }

    /** Median over repeats of raw ONNX Runtime time on the point's own length-bucketed batches, per pair. */
    private static double rawMsPerPair(Point p, List<String> claims, List<List<String>> texts, int repeats)
            throws Exception {
        return rawMs(p, claims, texts, repeats) / (claims.size() * (double) K);
    }

    /** Summed over claims, the median over repeats of raw ONNX Runtime on the point's token batches. */
    private static double rawMs(Point p, List<String> claims, List<List<String>> texts, int repeats) throws Exception {
        ModelDirectory dir = ModelDirectory.open(SharedData.model(p.model));
        CrossEncoderSettings settings = CrossEncoderSettings.defaultsFor(dir)
                .maxLength(p.maxLength)
                .batchSize(p.batchSize)
                .build();
        double total = 0;
        try (CrossEncoder model = CrossEncoder.load(dir, settings)) {
            for (int c = 0; c < claims.size(); c++) {
                List<EncodedSequence> seqs = model.encoder()
                        .encode(claims.get(c), texts.get(c), LongDocs.valueOf(p.longDocs.toUpperCase(Locale.ROOT)));
                List<TokenBatch> batches = PairBatcher.bucketed(seqs, p.batchSize);
                double[] ms = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    for (TokenBatch b : batches) model.graph().run(b);
                    ms[r] = (System.nanoTime() - start) / 1e6;
                }
                total += RerankBenchmark.median(ms);
            }
        }
        return total;
    }

    /**
     * {stage ms, raw ms}: the rerank stage's own timers (text loading, tokenization, inference; medians over repeats,
     * summed over the claims) and raw ONNX Runtime on the very tokens the stage produced.
     */
    private static double[] stageAgainstRaw(
            SolrClient solr, Point p, List<String> claims, List<List<String>> texts, int repeats) throws Exception {
        double stage = 0;
        for (String claim : claims) {
            double[] ms = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                QueryRequest request = rerankRequest(p, claim);
                ((SolrQuery) request.getParams()).set("debug", "timing");
                QueryResponse rsp = request.process(solr);
                if (!"ok".equals(rsp.getHeader().get("rerank.status")))
                    throw new IllegalStateException(p.name + ": " + rsp.getHeader());
                NamedList<?> t = (NamedList<?>) rsp.getDebugMap().get("rerank");
                ms[r] = ((Number) t.get("loadTextMs")).doubleValue()
                        + ((Number) t.get("tokenizeMs")).doubleValue()
                        + ((Number) t.get("inferenceMs")).doubleValue();
            }
            stage += RerankBenchmark.median(ms);
        }
        return new double[] {stage, rawMs(p, claims, texts, repeats)};
    }

    /** {p50, p95} of sequential requests, one per claim. */
    private static double[] latencies(SolrClient solr, Point p, List<String> claims) throws Exception {
        double[] ms = new double[claims.size()];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            if (!"ok"
                    .equals(rerankRequest(p, claims.get(i))
                            .process(solr)
                            .getHeader()
                            .get("rerank.status"))) {
                throw new IllegalStateException(p.name + ": not reranked: " + claims.get(i));
            }
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new double[] {ms[(int) Math.ceil(0.5 * ms.length) - 1], ms[(int) Math.ceil(0.95 * ms.length) - 1]};
    }

    private static QueryRequest rerankRequest(Point p, String claim) {
        return hybridRequest(claim, p.rq(), 10, "id");
    }

    /**
     * Requests per second with {@code clients} concurrent clients sharing the claims; every answer must be reranked.
     */
    private static double throughput(SolrClient solr, Point p, List<String> claims, int clients) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < claims.size(); ) {
                    if (!"ok"
                            .equals(rerankRequest(p, claims.get(i))
                                    .process(solr)
                                    .getHeader()
                                    .get("rerank.status"))) {
                        failures.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) f.get(30, TimeUnit.MINUTES);
        pool.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        if (failures.get() > 0) throw new IllegalStateException(p.name + ": " + failures + " answers not reranked");
        return claims.size() / seconds;
    }

    /** The example configset with one model entry per point; the index is kept between runs. */
    private static Path prepareHome(Path home, List<Point> points) throws Exception {
        Path conf = Files.createDirectories(home.resolve(CORE).resolve("conf"));
        try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(
                        f, conf.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder models = new StringBuilder("<lst name=\"models\">\n");
        for (Point p : points) {
            models.append(String.format(
                    Locale.ROOT,
                    "      <lst name=\"%s\"><str name=\"path\">%s</str><int name=\"maxLength\">%d</int><int "
                            + "name=\"batchSize\">%d</int></lst>%n",
                    p.name,
                    SharedData.model(p.model).toAbsolutePath(),
                    p.maxLength,
                    p.batchSize));
        }
        models.append("    </lst>");
        Path config = conf.resolve("solrconfig.xml");
        String xml = Files.readString(config);
        String edited = xml.replaceFirst(
                        "(?s)<lst name=\"models\">.*?</lst>\\s*</lst>",
                        java.util.regex.Matcher.quoteReplacement(models.toString()))
                .replaceFirst(
                        "<str name=\"defaultModel\">[^<]*</str>",
                        "<str name=\"defaultModel\">" + points.get(0).name + "</str>");
        if (edited.equals(xml)) throw new IllegalStateException("no models block found in " + config);
        Files.writeString(config, edited);
        Files.writeString(home.resolve(CORE).resolve("core.properties"), "name=" + CORE + "\n");
        Files.writeString(
                home.resolve("solr.xml"), "<solr><str name=\"allowPaths\">${solr.allowPaths:}</str></solr>\n");
        Path embedder = Path.of(System.getProperty(
                        "hybrid.embedder.dir", SharedData.embedderDir().toString()))
                .toAbsolutePath();
        System.setProperty("hybrid.embedder.dir", embedder.toString());
        System.setProperty("solr.allowPaths", SharedData.sharedDir().toAbsolutePath() + "," + embedder);
        return home;
    }

    private static void indexOnce(SolrClient solr, Dataset scifact) throws Exception {
        long[] documents = {0};
        scifact.documents(d -> documents[0]++);
        long held = solr.query(new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
        if (held == documents[0]) {
            System.out.println("reusing the index: " + held + " documents");
            return;
        }
        solr.deleteByQuery("*:*");
        long start = System.nanoTime();
        DatasetIndexer.Report report = new DatasetIndexer(solr, n -> {}).index(scifact);
        System.out.printf(Locale.ROOT, "%s in %.0f s%n", report.summary(), (System.nanoTime() - start) / 1e9);
        if (report.rejected() > 0) throw new IllegalStateException(report.summary() + ": " + report.firstRejections());
    }

    public OperatingPointBenchmark() {}
}
