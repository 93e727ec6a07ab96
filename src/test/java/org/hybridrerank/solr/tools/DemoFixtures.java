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
