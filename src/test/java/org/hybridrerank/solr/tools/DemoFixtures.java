package org.hybridrerank.solr.tools;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.SharedData;
import picocli.CommandLine;

/**
 * bin/demo as the tests run it: on the light embedder and the overlap-oracle (nothing outside the repository), a
 * Solr home of their own, and an empty jar standing in for the plugin jar (its classes are on the test class path).
 */
final class DemoFixtures {
    private DemoFixtures() {}

    /** The system properties {@link Demo#start()} sets for Solr; restored after each test. */
    static final List<String> DEMO_PROPERTIES = List.of(
            "hybrid.crossencoder.dir",
            "hybrid.crossencoder.maxLength",
            "hybrid.embedder.dir",
            "solr.allowPaths",
            OverlapOracle.TRUST_GAP_PROPERTY);

    static Map<String, String> saveProperties() {
        Map<String, String> saved = new HashMap<>();
        for (String p : DEMO_PROPERTIES) saved.put(p, System.getProperty(p));
        OverlapOracle.setTrustGapProperty(SharedData.oracleDir());
        return saved;
    }

    static void restoreProperties(Map<String, String> saved) {
        saved.forEach((p, v) -> {
            if (v == null) System.clearProperty(p);
            else System.setProperty(p, v);
        });
    }

    static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    /** A jar with only a manifest: Solr's lib/ gets it, the plugin's classes come from the class path. */
    static Path emptyJar(Path dir) throws Exception {
        Path jar = dir.resolve("solr-hybrid-rerank-test.jar");
        Manifest m = new Manifest();
        m.getMainAttributes().putValue("Manifest-Version", "1.0");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    /** The options naming the demo's inputs: dataset, core, home, embedder, reranker, jar, port. */
    static List<String> options(Path dataset, String collection, Path home, Path jar, int port) {
        return List.of(
                "--port",
                Integer.toString(port),
                "--dataset",
                dataset.toString(),
                "--collection",
                collection,
                "--home",
                home.toString(),
                "--embedder",
                SharedData.lightEmbedderDir().toString(),
                "--models",
                SharedData.oracleDir().getParent().toString(),
                "--cross-encoder",
                SharedData.oracleDir().getFileName().toString(),
                "--jar",
                jar.toString());
    }

    /** A demo started in this JVM, what it printed on stdout while starting, and its Running (null: failed). */
    record Started(Demo demo, Demo.Running running, String out) {}

    static Started start(List<String> args) throws Exception {
        Demo demo = new Demo();
        new CommandLine(demo).parseArgs(args.toArray(String[]::new));
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(new TeeStream(stdout, captured), true, StandardCharsets.UTF_8));
        try {
            Demo.Running running = demo.start();
            return new Started(demo, running, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(stdout);
        }
    }

    /** Copies of what is written, to the console and to a buffer. */
    private static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream a;
        private final java.io.OutputStream b;

        TeeStream(java.io.OutputStream a, java.io.OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }

    /** The first {@code n} documents of claims-mini (with its queries and qrels) as a BEIR folder. */
    static Path claimsMini(Path dir, int n) throws Exception {
        Path source =
                Path.of(DemoFixtures.class.getResource("/datasets/claims-mini").toURI());
        Files.createDirectories(dir.resolve("qrels"));
        List<String> corpus = Files.readAllLines(source.resolve("corpus.jsonl"));
        Files.write(dir.resolve("corpus.jsonl"), corpus.subList(0, Math.min(n, corpus.size())));
        Files.copy(source.resolve("queries.jsonl"), dir.resolve("queries.jsonl"));
        for (String split : List.of("test.tsv", "train.tsv"))
            Files.copy(
                    source.resolve("qrels").resolve(split), dir.resolve("qrels").resolve(split));
        return dir;
    }

    /** Filler without any word of claims-mini's claims: it dilutes a document for BM25 and the bi-encoder. */
    private static final String FILLER = " The committee met on Tuesday to review the annual budget, the parking rules"
            + " and the library hours, then voted to repaint the hallway before the summer break. Several members"
            + " asked for longer opening hours at weekends; the chair promised a survey of the staff and a report by"
            + " autumn.";

    /**
     * claims-mini (all 50 documents, its test and train qrels) plus, for each of its 12 claims, a document
     * {@code vNNN} that opens with the claim word for word and goes on with unrelated filler, and two more qrels
     * splits judging all 12 claims: {@code trial} (the claim's own trial abstract, c001, c003, …) and
     * {@code verbatim} (its vNNN). Every first stage ranks the short trial abstract first and vNNN below it, while
     * the overlap oracle scores vNNN 1.0 (every word-piece of the claim is in it) and the trial abstract less (it
     * says "changed", not "changes"): on {@code verbatim} the cross-encoder is what finds the judged document, on
     * {@code trial} the first stage is right already and a window the model alone orders is wrong.
     */
    static Path claimsWithVerbatimCopies(Path dir) throws Exception {
        claimsMini(dir, 50);
        List<String> corpus = new ArrayList<>(Files.readAllLines(dir.resolve("corpus.jsonl")));
        List<String> queries = Files.readAllLines(dir.resolve("queries.jsonl"));
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> trial = new ArrayList<>(List.of("query-id\tcorpus-id\tscore"));
        List<String> verbatim = new ArrayList<>(List.of("query-id\tcorpus-id\tscore"));
        for (int i = 1; i <= queries.size(); i++) {
            com.fasterxml.jackson.databind.JsonNode q = json.readTree(queries.get(i - 1));
            String id = String.format(java.util.Locale.ROOT, "v%03d", i);
            Map<String, String> doc = new java.util.LinkedHashMap<>();
            doc.put("_id", id);
            doc.put("title", "Meeting notes");
            doc.put("text", q.get("text").asText() + FILLER);
            corpus.add(json.writeValueAsString(doc));
            trial.add(q.get("_id").asText() + "\t" + String.format(java.util.Locale.ROOT, "c%03d", 2 * i - 1) + "\t1");
            verbatim.add(q.get("_id").asText() + "\t" + id + "\t1");
        }
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        Files.write(dir.resolve("qrels").resolve("trial.tsv"), trial);
        Files.write(dir.resolve("qrels").resolve("verbatim.tsv"), verbatim);
        return dir;
    }

    private static final String[] WORDS = ("vitamin bone density sleep insulin cohort trial risk fracture adults study"
                    + " effect protein cell gene tumor blood pressure heart kidney liver dose placebo outcome")
            .split(" ");

    /** A BEIR folder of {@code n} short generated documents (ids g00000…) and one query. */
    static Path generated(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        Random random = new Random(18);
        List<String> corpus = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            corpus.add(String.format(
                    java.util.Locale.ROOT,
                    "{\"_id\": \"g%05d\", \"title\": \"%s\", \"text\": \"%s\"}",
                    i,
                    words(random, 4),
                    words(random, 20)));
        }
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        Files.writeString(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"vitamin d and bone\"}\n");
        return dir;
    }

    private static String words(Random random, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        return sb.toString();
    }
}
