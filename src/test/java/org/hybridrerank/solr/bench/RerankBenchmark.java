package org.hybridrerank.solr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.EncodedSequence;
import org.hybridrerank.solr.model.InferenceWorkers;
import org.hybridrerank.solr.model.LongDocs;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.model.PairBatcher;
import org.hybridrerank.solr.model.TokenBatch;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Cli;
import org.hybridrerank.solr.tools.PositionalArgs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * In one run, on SciFact BM25 top-100 candidates: the whole rerank stage inside Solr (text loading,
 * tokenization, batching, inference) against raw ONNX Runtime calls on the very same token batches, and
 * length-bucketed batches against batches padded to their longest row in first-stage order (medians); then
 * 1, 2 and 4 concurrent HTTP clients. Solr runs over HTTP in this JVM (JettySolrRunner), so the benchmark
 * reaches the very model instance Solr uses for the raw ONNX Runtime calls.
 *
 * <p>Args: [clients] [queries=5] [repeats=3] [model=minilm]; with {@code clients} only the concurrent clients run
 */
@Command(
        name = "bench",
        description = "Benchmark the rerank stage on SciFact against raw ONNX Runtime, then 1, 2 and 4 clients.")
public final class RerankBenchmark implements Callable<Integer> {
    @Parameters(
            arity = "0..4",
            paramLabel = "ARG",
            description =
                    "[clients] [queries=5] [repeats=3] [model=minilm]; with clients only the concurrent clients run")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new RerankBenchmark(), args));
    }

    @Override
    public Integer call() throws Exception {
        PositionalArgs positional = new PositionalArgs(spec, args);
        boolean clientsOnly = positional.at(0, "").equals("clients");
        if (clientsOnly) positional = positional.after(1);
        int queries = positional.intAt(0, "queries", 5);
        int repeats = positional.intAt(1, "repeats", 3);
        String modelName = positional.at(2, "minilm");
        Path scifact = SharedData.scifact();
        System.setProperty("hybrid.models.dir", SharedData.modelsDir().toString());
        Path generated = Files.createTempDirectory("bench-models");
        System.setProperty("hybrid.test.models.dir", generated.toString());
        org.hybridrerank.solr.testutil.OnnxGraphs.writeTestConfigsetModels(generated);
        Path home = Files.createTempDirectory("bench-home");
        Path conf = Files.createDirectories(home.resolve("collection1").resolve("conf"));
        Path testConf = Path.of("target", "test-classes", "solr", "collection1", "conf");
        for (String f : new String[] {"solrconfig.xml", "schema.xml"}) Files.copy(testConf.resolve(f), conf.resolve(f));
        Files.writeString(home.resolve("collection1").resolve("core.properties"), "name=collection1\n");
        Files.writeString(home.resolve("solr.xml"), "<solr><str name=\"allowPaths\">${solr.allowPaths:}</str></solr>");
        System.setProperty("solr.allowPaths", SharedData.sharedDir() + "," + generated);
        JettySolrRunner jetty = new JettySolrRunner(
                home.toString(), JettyConfig.builder().setPort(0).build());
        jetty.start();
        try (SolrClient solr = new Http2SolrClient.Builder(jetty.getBaseUrl().toString())
                .withDefaultCollection("collection1")
                .build()) {
            long t0 = System.nanoTime();
            Beir.index(solr, Beir.corpus(scifact, Integer.MAX_VALUE).values(), added -> {});
            System.out.printf(Locale.ROOT, "indexed SciFact in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            if (clientsOnly) {
                concurrentClients(
                        solr,
                        Beir.queries(scifact),
                        new ArrayList<>(Beir.qrels(scifact, "test").keySet()));
                return 0;
            }
            ModelDirectory dir = ModelDirectory.open(
                    SharedData.model(modelName.equals("minilm") ? "scifact-minilm-l6-ce" : modelName));
            // the same settings as the test configset's "minilm" entry, so the registry hands back Solr's instance
            CrossEncoderSettings settings =
                    CrossEncoderSettings.defaultsFor(dir).batchSize(4).build();
            try (ModelRegistry.Lease<CrossEncoder> lease =
                    ModelRegistry.shared().acquire(dir, settings, d -> CrossEncoder.load(d, settings))) {
                CrossEncoder model = lease.model();
                Map<String, String> texts = Beir.queries(scifact);
                List<String> ids = new ArrayList<>(Beir.qrels(scifact, "test").keySet()).subList(0, queries);
                List<Double> stage = new ArrayList<>(),
                        request = new ArrayList<>(),
                        raw = new ArrayList<>(),
                        padded = new ArrayList<>();
                long realTokens = 0, bucketedTokens = 0, inOrderTokens = 0;
                System.out.println("query  stage_ms  raw_ort_ms  ratio  padded_order_ms");
                for (String qid : ids) {
                    String claim = texts.get(qid);
                    SolrQuery first = new SolrQuery(claim);
                    first.set("defType", "edismax");
                    first.set("qf", "title text");
                    first.setRows(100);
                    first.setFields("id", "title", "text");
                    QueryResponse top = solr.query(first);
                    List<String> passages = new ArrayList<>();
                    for (SolrDocument d : top.getResults()) {
                        passages.add(String.join(
                                        " ",
                                        List.of(
                                                String.valueOf(d.getFieldValue("title")),
                                                String.valueOf(d.getFieldValue("text"))))
                                .trim());
                    }
                    List<EncodedSequence> seqs = model.encoder().encode(claim, passages, LongDocs.TRUNCATE);
                    List<TokenBatch> bucketed = PairBatcher.bucketed(seqs, settings.batchSize());
                    List<TokenBatch> inOrder = PairBatcher.inOrder(seqs, settings.batchSize());
                    realTokens +=
                            seqs.stream().mapToLong(EncodedSequence::length).sum();
                    bucketedTokens += bucketed.stream()
                            .mapToLong(TokenBatch::paddedTokens)
                            .sum();
                    inOrderTokens +=
                            inOrder.stream().mapToLong(TokenBatch::paddedTokens).sum();

                    double[] s = new double[repeats],
                            e2e = new double[repeats],
                            r = new double[repeats],
                            p = new double[repeats];
                    for (int i = 0; i < repeats; i++) {
                        SolrQuery q = first.getCopy();
                        q.setFields("id");
                        // scoreCache=false: every repeat really scores (the score cache is measured on its own below)
                        q.set("rq", "{!crossencoder model=minilm reRankDocs=100 scoreCache=false reRankText=$claim}");
                        q.set("claim", claim);
                        q.set("debug", "true"); // debug keeps the result cache out and reports the stage's own timers
                        long start = System.nanoTime();
                        QueryResponse rsp = solr.query(q);
                        long withRq = System.nanoTime() - start;
                        if (!"ok".equals(rsp.getHeader().get("rerank.status")))
                            throw new IllegalStateException("rerank failed: " + rsp.getHeader());
                        NamedList<?> t = (NamedList<?>) rsp.getDebugMap().get("rerank");
                        s[i] = ((Number) t.get("loadTextMs")).doubleValue()
                                + ((Number) t.get("tokenizeMs")).doubleValue()
                                + ((Number) t.get("inferenceMs")).doubleValue();
                        SolrQuery plain = first.getCopy();
                        plain.setFields("id");
                        plain.set("debug", "true");
                        start = System.nanoTime();
                        solr.query(plain);
                        e2e[i] = (withRq - (System.nanoTime() - start)) / 1e6;
                        r[i] = runAll(model, bucketed);
                        p[i] = runAll(model, inOrder);
                    }
                    stage.add(median(s));
                    request.add(median(e2e));
                    raw.add(median(r));
                    padded.add(median(p));
                    System.out.printf(
                            Locale.ROOT,
                            "%5s  %8.0f  %10.0f  %5.3f  %15.0f%n",
                            qid,
                            median(s),
                            median(r),
                            median(s) / median(r),
                            median(p));
                }
                double st = stage.stream().mapToDouble(Double::doubleValue).sum();
                double rq = request.stream().mapToDouble(Double::doubleValue).sum();
                double rw = raw.stream().mapToDouble(Double::doubleValue).sum();
                double pd = padded.stream().mapToDouble(Double::doubleValue).sum();
                System.out.printf(
                        Locale.ROOT,
                        "%nmodel %s, batchSize %d, %d inference calls side by side, %d queries x %d repeats "
                                + "(medians per query, summed)%n",
                        modelName,
                        settings.batchSize(),
                        org.hybridrerank.solr.model.OnnxRuntimeEnvironment.get().threads(),
                        queries,
                        repeats);
                System.out.printf(
                        Locale.ROOT,
                        "rerank stage (plugin timers)      %8.0f ms  = %.3f x raw ONNX Runtime%n",
                        st,
                        st / rw);
                System.out.printf(
                        Locale.ROOT,
                        "request with rq - request without %8.0f ms  = %.3f x raw ONNX Runtime%n",
                        rq,
                        rq / rw);
                System.out.printf(Locale.ROOT, "raw ONNX Runtime, bucketed batches %7.0f ms%n", rw);
                System.out.printf(
                        Locale.ROOT, "raw ONNX Runtime, first-stage order %6.0f ms  = %.3f x bucketed%n", pd, pd / rw);
                System.out.printf(
                        Locale.ROOT,
                        "tokens: real %d, bucketed padded %d (%.4f x real), first-stage-order padded %d (%.4f x "
                                + "real)%n",
                        realTokens,
                        bucketedTokens,
                        (double) bucketedTokens / realTokens,
                        inOrderTokens,
                        (double) inOrderTokens / realTokens);
                scoreCache(solr, texts, ids, repeats);
                // distinct claims for every request, so no answer comes from the query result cache
                concurrentClients(
                        solr, texts, new ArrayList<>(Beir.qrels(scifact, "test").keySet()));
            }
        } finally {
            jetty.stop();
        }
        return 0;
    }

    /**
     * The same BM25 top 100 reranked twice: cold (no cached pair) and warm (every pair in the score cache).
     * Each repeat pairs the docs with a text of its own (the claim plus i trailing spaces: the same tokens, another
     * cache key), so every cold request is really cold; debug=true keeps the query result cache out.
     */
    private static void scoreCache(SolrClient solr, Map<String, String> texts, List<String> ids, int repeats)
            throws Exception {
        List<Double> cold = new ArrayList<>(), warm = new ArrayList<>();
        for (String qid : ids) {
            double[] c = new double[repeats], w = new double[repeats];
            for (int i = 0; i < repeats; i++) {
                String claim = texts.get(qid);
                SolrQuery q = new SolrQuery(claim);
                q.set("defType", "edismax");
                q.set("qf", "title text");
                q.setRows(10);
                q.setFields("id");
                q.set("rq", "{!crossencoder model=minilm reRankDocs=100 reRankText=$text}");
                q.set("text", claim + " ".repeat(i + 1));
                q.set("debug", "true");
                for (int pass = 0; pass < 2; pass++) {
                    long start = System.nanoTime();
                    QueryResponse rsp = solr.query(q);
                    double ms = (System.nanoTime() - start) / 1e6;
                    NamedList<?> t = (NamedList<?>) rsp.getDebugMap().get("rerank");
                    int hits = ((Number) t.get("scoreCacheHits")).intValue();
                    if (hits != (pass == 0 ? 0 : 100))
                        throw new IllegalStateException("pass " + pass + ": " + hits + " cache hits");
                    (pass == 0 ? c : w)[i] = ms;
                }
            }
            cold.add(median(c));
            warm.add(median(w));
        }
        double cs = cold.stream().mapToDouble(Double::doubleValue).sum();
        double ws = warm.stream().mapToDouble(Double::doubleValue).sum();
        System.out.printf(
                Locale.ROOT,
                "%nscore cache, BM25 top 100 reranked, %d queries (medians per query, summed)%n",
                ids.size());
        System.out.printf(Locale.ROOT, "cold request (100 pairs scored)   %8.0f ms%n", cs);
        System.out.printf(Locale.ROOT, "warm request (100 cache hits)     %8.0f ms  = %.4f x cold%n", ws, ws / cs);
    }

    /** 1, 2 and 4 HTTP clients sending BM25 + rerank (K=20) requests: throughput, p50, p95. Bounded: 12 per client. */
    private static void concurrentClients(SolrClient solr, Map<String, String> texts, List<String> ids)
            throws Exception {
        System.out.printf(
                Locale.ROOT,
                "%nconcurrent HTTP clients, BM25 top 20 reranked (fp32, batchSize 4), 12 requests per client%n");
        System.out.println("clients  requests  throughput_rps  p50_ms  p95_ms  errors");
        int offset = 0; // every request of every level asks a claim no earlier request asked: no cache hits
        for (int clients : new int[] {1, 2, 4}) {
            int base = offset;
            offset += clients * 12;
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            java.util.concurrent.atomic.AtomicInteger errors = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(clients);
            long start = System.nanoTime();
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 12; i++) {
                        String claim = texts.get(ids.get((base + client * 12 + i) % ids.size()));
                        SolrQuery q = new SolrQuery(claim);
                        q.set("defType", "edismax");
                        q.set("qf", "title text");
                        q.set("rq", "{!crossencoder model=minilm reRankDocs=20 scoreCache=false reRankText=$claim}");
                        q.set("claim", claim);
                        q.setFields("id");
                        long t = System.nanoTime();
                        try {
                            QueryResponse rsp = solr.query(q);
                            if (!"ok".equals(rsp.getHeader().get("rerank.status"))) errors.incrementAndGet();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                        }
                        latencies.add((System.nanoTime() - t) / 1e6);
                    }
                    return null;
                }));
            }
            for (var f : futures) f.get(10, java.util.concurrent.TimeUnit.MINUTES);
            pool.shutdown();
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] sorted =
                    latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(
                    Locale.ROOT,
                    "%7d  %8d  %14.2f  %6.0f  %6.0f  %6d%n",
                    clients,
                    sorted.length,
                    sorted.length / seconds,
                    sorted[(int) Math.ceil(0.5 * sorted.length) - 1],
                    sorted[(int) Math.ceil(0.95 * sorted.length) - 1],
                    errors.get());
        }
    }

    private static double runAll(CrossEncoder model, List<TokenBatch> batches) {
        long start = System.nanoTime();
        rawRun(model, batches);
        return (System.nanoTime() - start) / 1e6;
    }

    /**
     * Raw ONNX Runtime on the batches, on every core the plugin's inference may use: the batches side by side, one
     * thread each, as the plugin runs them ({@link InferenceWorkers}). The unit the stage is compared with uses
     * the machine as fully as the stage does.
     */
    static void rawRun(CrossEncoder model, List<TokenBatch> batches) {
        InferenceWorkers.get()
                .runAll(
                        batches.size(),
                        i -> {
                            try {
                                return model.graph().run(batches.get(i));
                            } catch (ai.onnxruntime.OrtException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        float[][]::new);
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
