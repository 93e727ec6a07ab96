package org.hybridrerank.solr.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
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
 * configuration in place of the configset's single model.
 *
 * <p>Budget points ({@code int8-128-truncate-budget150/300/600}) ask the default configuration with
 * {@code reRankTimeAllowed}: their speed requests may answer {@code partial} or {@code timeout} as well as
 * {@code ok}, the table gives each point's share of partial and timeout answers and its mean coverage (N/K, 1 for
 * ok) in the bin/eval run, and the two columns against raw ONNX Runtime are left out for them ("—"): under a
 * budget the stage scores a prefix of the window whose length varies per request, so its time is not comparable
 * with raw ONNX Runtime on all K docs.
 *
 * <p>The unit of cost (raw ONNX Runtime on one fp32 256-token pair) is always measured; the fp32-256-truncate
 * point itself (its bin/eval run, its speed rows, the cross-validation against it) only when the points argument
 * names it (or is {@code all}).
 *
 * <p>The default is not picked by reading the test figures: {@link OperatingPointChoice} cross-validates the rule
 * that picks it.
 *
 * <p>Speed per point: p50/p95 of 20 sequential requests, the stage against raw ONNX Runtime on {@code rawClaims}
 * claims, and 1, 2 and 4 clients sending {@code requestsPerClient} requests each; all on train claims that no
 * earlier request asked.
 *
 * <p>Writes {@code target/bench-points/operating-points.md} (the table), {@code operating-points.svg} (nDCG@10
 * against p50, {@link OperatingPointChart}) and {@code operating-points.html} (both, with the date and machine).
 *
 * <p>Args: [queries=all|reuse] [requestsPerClient=6] [rawClaims=5] [repeats=3] [points=all, comma-separated names];
 * {@code reuse} reads each point's quality from the bin/eval output an earlier run left and measures speed only
 */
@Command(name = "bench points", description = "The operating-point table of the default request shape (see README).")
public final class OperatingPointBenchmark implements Callable<Integer> {
    @Parameters(
            arity = "0..5",
            paramLabel = "ARG",
            description = "[queries=all|reuse] [requestsPerClient=6] [rawClaims=5] [repeats=3] [points=all, "
                    + "comma-separated names, e.g. int8-128-truncate,int8-128-truncate-budget300]")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    /**
     * One operating point: a model entry of the configset ({@code entry}, with its model, maxLength and batchSize)
     * asked with {@code longDocs} and, when {@code budgetMs > 0}, {@code reRankTimeAllowed=budgetMs}. A budget point
     * shares the model entry of the point it limits, so Solr loads no second copy of the model.
     */
    record Point(String name, String entry, String model, int maxLength, int batchSize, String longDocs, int budgetMs) {
        static Point configuration(String name, String model, int maxLength, int batchSize, String longDocs) {
            return new Point(name, name, model, maxLength, batchSize, longDocs, 0);
        }

        /** This configuration under {@code reRankTimeAllowed=ms}, named {@code NAME-budgetMS}. */
        Point budget(int ms) {
            return new Point(name + "-budget" + ms, entry, model, maxLength, batchSize, longDocs, ms);
        }

        boolean budgeted() {
            return budgetMs > 0;
        }

        String rq() {
            return "{!crossencoder model=" + entry + " longDocs=" + longDocs + " reRankDocs=100 scoreCache=false"
                    + (budgeted() ? " reRankTimeAllowed=" + budgetMs : "") + "}";
        }

        /**
         * Whether a speed request's {@code rerank.status} counts as answered: {@code ok}, and under a budget also
         * {@code partial} and {@code timeout} (what the budget is for).
         */
        boolean answered(Object status) {
            String s = String.valueOf(status);
            return s.equals("ok") || budgeted() && (s.equals("partial") || s.equals("timeout"));
        }
    }

    /** The unit of cost ("stage per doc / raw fp32-256 pair") and the cross-validated rule's reference. */
    static final Point REFERENCE = Point.configuration("fp32-256-truncate", "scifact-minilm-l6-ce", 256, 4, "truncate");
    /** The example configset's default; the budget points limit it. */
    static final Point DEFAULT =
            Point.configuration("int8-128-truncate", "scifact-minilm-l6-ce-int8", 128, 1, "truncate");

    /** Dynamically quantized graphs run one pair per call: a pair's score must not depend on its batch-mates. */
    static final List<Point> POINTS = List.of(
            REFERENCE,
            Point.configuration("int8-256-truncate", "scifact-minilm-l6-ce-int8", 256, 1, "truncate"),
            DEFAULT,
            // fewer tokens per pair: the model's arithmetic is what a reranked doc costs
            Point.configuration("int8-80-truncate", "scifact-minilm-l6-ce-int8", 80, 1, "truncate"),
            Point.configuration("int8-96-truncate", "scifact-minilm-l6-ce-int8", 96, 1, "truncate"),
            Point.configuration("int8-112-truncate", "scifact-minilm-l6-ce-int8", 112, 1, "truncate"),
            Point.configuration("int8-128-best", "scifact-minilm-l6-ce-int8", 128, 1, "best"),
            Point.configuration("int8-160-best", "scifact-minilm-l6-ce-int8", 160, 1, "best"),
            Point.configuration("int8-192-best", "scifact-minilm-l6-ce-int8", 192, 1, "best"),
            DEFAULT.budget(150),
            DEFAULT.budget(300),
            DEFAULT.budget(600));

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
        List<Point> points = select(positional.at(4, "all"));
        // speed asks train claims no request asked before: 20 sequential, then 1, 2 and 4 clients' requests
        int claimsPerPoint = latencyClaims + 7 * perClient;
        Path out = Files.createDirectories(Path.of("target", "bench-points"));
        Path home = prepareHome(Path.of("target", "bench-home"), points);
        Dataset scifact = Dataset.open(SharedData.scifact());
        JettySolrRunner jetty = new JettySolrRunner(
                home.toAbsolutePath().toString(),
                JettyConfig.builder().setPort(0).build());
        jetty.start();
        String base = jetty.getBaseUrl().toString();
        StringBuilder report = new StringBuilder();
        String svg;
        try (SolrClient solr =
                new Http2SolrClient.Builder(base).withDefaultCollection(CORE).build()) {
            indexOnce(solr, scifact);
            Map<String, Map<String, Integer>> qrels = scifact.qrels("test");
            Map<String, String> claims = scifact.queries();
            List<String> testIds = new ArrayList<>(qrels.keySet());
            List<String> trainClaims =
                    scifact.qrels("train").keySet().stream().map(claims::get).toList();
            if (claimsPerPoint * points.size() > trainClaims.size()) {
                throw new IllegalStateException(points.size() + " points at " + claimsPerPoint + " train claims each"
                        + " need more than the " + trainClaims.size() + " train claims: fewer points or "
                        + "requestsPerClient");
            }

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
                quality.put(p.name, run);
            }
            // the unit of cost, measured in the speed phase with the points it is compared with; raw ONNX Runtime
            // only, so it needs neither the reference's quality run nor its model entry in Solr
            double fp32PairMs = rawMsPerPair(REFERENCE, rawQueries, rawTexts, repeats);
            // speed asks train claims: none of them was asked before, so no answer comes from the query result cache
            int claimOffset = 0;
            Map<String, Row> rows = new LinkedHashMap<>();
            for (Point p : points) {
                System.out.println("speed: " + p.name);
                // under a budget the stage scores only a prefix of the window: its cost per doc is not comparable
                // with raw ONNX Runtime on all K docs, so those two columns are left out ("—")
                double[] stageVsRaw = p.budgeted()
                        ? new double[] {Double.NaN, Double.NaN}
                        : stageAgainstRaw(solr, p, rawQueries, rawTexts, repeats);
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
                JsonNode run = quality.get(p.name);
                JsonNode mode = run.path("modes").path("rrf+ce");
                Map<String, Double> perQuery = perQueryNdcg(out.resolve(p.name).resolve("run.rrf+ce.txt"), qrels);
                rows.put(
                        p.name,
                        new Row(
                                p,
                                mode.path("ndcg@10").asDouble(),
                                share(run, mode, "partial"),
                                share(run, mode, "timeout"),
                                meanCoverage(mode),
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
                    "SciFact test, %d queries, /hybrid rrf top %d reranked, score cache off; %d inference calls "
                            + "side by side, %d cores; raw fp32 256-token pair %.2f ms (median of %d runs over %d "
                            + "claims' top %d)%n%n",
                    firstStageRun.path("queries").asInt(),
                    K,
                    OnnxRuntimeEnvironment.get().threads(),
                    Runtime.getRuntime().availableProcessors(),
                    fp32PairMs,
                    repeats,
                    rawClaims,
                    K));
            report.append(TABLE_HEAD);
            double firstStageNdcg = firstStage.path("ndcg@10").asDouble();
            double firstStageP50 = firstStage.path("latency_ms").path("p50").asDouble();
            report.append(String.format(
                    Locale.ROOT,
                    "| rrf (no rerank) | | %.4f | | | | %.0f | | | | | | | |%n",
                    firstStageNdcg,
                    firstStageP50));
            for (Row r : rows.values()) report.append(r.markdown());
            report.append(String.format(
                    Locale.ROOT,
                    "%npartial %%, timeout %% and mean coverage (N/K of the window scored, ok 1, timeout 0) are from "
                            + "the bin/eval run. On the chart the x of a point is its p50 ms, of rrf its bin/eval "
                            + "p50.%n"));
            if (rows.values().stream().anyMatch(r -> r.point.budgeted())) {
                report.append(String.format(
                        Locale.ROOT,
                        "Budget points (reRankTimeAllowed): their speed requests may answer partial or timeout; "
                                + "the two columns against raw ONNX Runtime are not measured for them (—), as the "
                                + "stage scores a prefix of the window that varies per request.%n"));
            }
            // OperatingPointChoice leaves budget points out (a request parameter, not a configuration)
            Map<Point, Map<String, Double>> perQuery = new LinkedHashMap<>();
            rows.values().forEach(r -> perQuery.put(r.point, r.perQuery));
            report.append('\n').append(OperatingPointChoice.crossValidated(perQuery, testIds));

            List<OperatingPointChart.Point> chart = new ArrayList<>();
            chart.add(new OperatingPointChart.Point(
                    "rrf (no rerank)", firstStageP50, firstStageNdcg, OperatingPointChart.Kind.FIRST_STAGE, null));
            for (Row r : rows.values()) chart.add(r.chartPoint());
            svg = OperatingPointChart.svg(chart);
        } finally {
            jetty.stop();
        }
        System.out.println();
        System.out.print(report);
        Files.writeString(out.resolve("operating-points.md"), report);
        Files.writeString(out.resolve("operating-points.svg"), svg);
        String machine = String.format(
                Locale.ROOT,
                "%d cores, %d inference calls side by side (one thread each); %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(),
                OnnxRuntimeEnvironment.get().threads(),
                System.getProperty("os.name"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"));
        Files.writeString(
                out.resolve("operating-points.html"),
                OperatingPointChart.page(report.toString(), LocalDate.now().toString(), machine, svg));
        System.out.println("wrote " + out.resolve("operating-points.md") + ", operating-points.svg and "
                + "operating-points.html (open it in a browser) in " + out);
        return 0;
    }

    static final String TABLE_HEAD = "| point | batch | nDCG@10 | partial % | timeout % | mean coverage "
            + "| p50 ms during bin/eval | p50 ms | p95 ms | stage per doc / raw fp32-256 pair "
            + "| stage / raw same tokens | 1 client rps | 2 clients rps | 4 clients rps |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n";

    /**
     * The points the 5th argument names, in table order: {@code all} (the default) for every point; a name that is
     * not a point is a usage error listing them. The reference is measured only when named, save for its raw ONNX
     * Runtime pair cost, which is always measured as the unit of cost.
     */
    List<Point> select(String arg) {
        if (arg.strip().equals("all")) return POINTS;
        List<String> names = Arrays.stream(arg.split(","))
                .map(String::strip)
                .filter(n -> !n.isEmpty())
                .toList();
        List<String> known = POINTS.stream().map(Point::name).toList();
        for (String n : names) {
            if (!known.contains(n))
                throw new CommandLine.ParameterException(
                        spec.commandLine(),
                        "points: no point '" + n + "'; the points are all, " + String.join(", ", known));
        }
        if (names.isEmpty())
            throw new CommandLine.ParameterException(spec.commandLine(), "points: name at least one point, or all");
        return POINTS.stream().filter(p -> names.contains(p.name)).toList();
    }

    /** The share (0..1) of bin/eval's queries whose {@code rerank.status} was {@code status}. */
    static double share(JsonNode run, JsonNode mode, String status) {
        int queries = run.path("queries").asInt();
        return queries == 0
                ? Double.NaN
                : mode.path("rerank_status").path(status).asDouble(0) / queries;
    }

    /**
     * bin/eval's mean coverage ({@code rerank_coverage.mean}: ok 1, partial N/K, timeout 0); from a results.json
     * written before bin/eval recorded it: 1 where every answer was ok, otherwise unknown (NaN, "—").
     */
    static double meanCoverage(JsonNode mode) {
        JsonNode mean = mode.path("rerank_coverage").path("mean");
        if (mean.isNumber()) return mean.asDouble();
        JsonNode statuses = mode.path("rerank_status");
        boolean allOk = statuses.size() > 0;
        for (java.util.Iterator<String> it = statuses.fieldNames(); it.hasNext(); ) {
            allOk &= it.next().equals("ok");
        }
        return allOk ? 1 : Double.NaN;
    }

    /** A number as the table prints it, "—" where it was not measured (NaN). */
    static String cell(String format, double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, format, v);
    }

    record Row(
            Point point,
            double ndcg,
            double partialShare,
            double timeoutShare,
            double meanCoverage,
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
                    "| %s | %d | %.4f | %s | %s | %s | %.0f | %.0f | %.0f | %s | %s | %.2f | %.2f | %.2f |%n",
                    point.name,
                    point.batchSize,
                    ndcg,
                    cell("%.1f", 100 * partialShare),
                    cell("%.1f", 100 * timeoutShare),
                    cell("%.3f", meanCoverage),
                    evalP50,
                    p50,
                    p95,
                    cell("%.3f", perDocVsFp32Pair),
                    cell("%.3f", stageVsRaw),
                    rps[0],
                    rps[1],
                    rps[2]);
        }

        /** On the chart: p50 of the speed phase; a budget point on one curve with the point it limits. */
        OperatingPointChart.Point chartPoint() {
            boolean limited = POINTS.stream().anyMatch(q -> q.budgeted() && q.entry.equals(point.name));
            return new OperatingPointChart.Point(
                    point.name,
                    p50,
                    ndcg,
                    point.budgeted() ? OperatingPointChart.Kind.BUDGET : OperatingPointChart.Kind.CONFIGURATION,
                    point.budgeted() || limited ? point.entry : null);
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

    /**
     * Summed over claims, the median over repeats of raw ONNX Runtime on the point's token batches, side by side on
     * every core the plugin uses ({@link RerankBenchmark#rawRun}).
     */
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
                    RerankBenchmark.rawRun(model, batches);
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

    /** {p50, p95} of sequential requests, one per claim; each must be answered ({@link Point#answered}). */
    private static double[] latencies(SolrClient solr, Point p, List<String> claims) throws Exception {
        double[] ms = new double[claims.size()];
        for (int i = 0; i < ms.length; i++) {
            long start = System.nanoTime();
            Object status =
                    rerankRequest(p, claims.get(i)).process(solr).getHeader().get("rerank.status");
            if (!p.answered(status)) {
                throw new IllegalStateException(p.name + ": not reranked (" + status + "): " + claims.get(i));
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
     * Requests per second with {@code clients} concurrent clients sharing the claims; every answer must be reranked
     * ({@link Point#answered}: under a budget, partially or not at all within it).
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
                    if (!p.answered(rerankRequest(p, claims.get(i))
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

    /**
     * The example configset with one model entry per point (budget points use the entry of the point they limit);
     * the index is kept between runs.
     */
    private static Path prepareHome(Path home, List<Point> points) throws Exception {
        Path conf = Files.createDirectories(home.resolve(CORE).resolve("conf"));
        try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(
                        f, conf.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        StringBuilder models = new StringBuilder("<lst name=\"models\">\n");
        Map<String, Point> entries = new LinkedHashMap<>();
        for (Point p : points) entries.putIfAbsent(p.entry, p);
        for (Point p : entries.values()) {
            models.append(String.format(
                    Locale.ROOT,
                    "      <lst name=\"%s\"><str name=\"path\">%s</str><int name=\"maxLength\">%d</int><int "
                            + "name=\"batchSize\">%d</int></lst>%n",
                    p.entry,
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
                        "<str name=\"defaultModel\">" + points.get(0).entry + "</str>");
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
