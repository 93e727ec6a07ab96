package org.hybridrerank.solr.testutil;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real Solr node in a child JVM, for tests that stop it (SIGTERM) or kill it (SIGKILL) under load: a native crash
 * of the child (SIGSEGV in ONNX Runtime) then fails the test, through its exit status and its {@code hs_err} file,
 * instead of killing the test runner.
 *
 * <p>{@link #main} starts a JettySolrRunner on a Solr home and port with the plugin on the class path, registers a
 * shutdown hook that stops Jetty (what {@code bin/solr stop} or a SIGTERM does to a real Solr: cores close while
 * requests may still run), prints {@value #READY} and the base URL, and waits. The test side ({@link #start})
 * launches it with the test's class path and {@code -XX:ErrorFile} in the test's folder, and waits for that line.
 */
public final class ChildSolrNode {
    public static final String READY = "CHILD-SOLR-READY ";
    public static final String STOPPED = "CHILD-SOLR-STOPPED ";
    public static final String CORE = ExampleSolr.CORE;
    private static final Pattern READY_LINE = Pattern.compile(Pattern.quote(READY) + "(\\S+)");

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private ChildSolrNode(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    /** Child side: {@code ChildSolrNode <solr home> <port>}. */
    public static void main(String[] args) throws Exception {
        JettySolrRunner jetty = new JettySolrRunner(
                args[0],
                JettyConfig.builder().setPort(Integer.parseInt(args[1])).build());
        CountDownLatch forever = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long start = System.nanoTime();
            try {
                jetty.stop();
            } catch (Exception e) {
                e.printStackTrace();
            }
            System.out.println(STOPPED + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
            System.out.flush();
        }));
        jetty.start();
        System.out.println(READY + jetty.getBaseUrl());
        System.out.flush();
        forever.await();
    }

    /**
     * A Solr home in {@code home} with one core, {@value #CORE}, made from the example configset (solr-conf/): its
     * embedder is the light bi-encoder and its cross-encoder the overlap-oracle (both set by {@link #start}).
     * Idempotent: a home laid out already is left as it is (its index and update log are what a restart reads).
     */
    public static void prepareHome(Path home) throws IOException {
        if (Files.exists(home.resolve(CORE).resolve("core.properties"))) return;
        Files.createDirectories(home);
        Files.writeString(home.resolve("solr.xml"), "<solr><str name=\"allowPaths\">${solr.allowPaths:}</str></solr>");
        Path conf = Files.createDirectories(home.resolve(CORE).resolve("conf"));
        try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, conf.resolve(file.getFileName().toString()));
            }
        }
        Files.writeString(home.resolve(CORE).resolve("core.properties"), "name=" + CORE + "\n");
    }

    /**
     * Launches a child on {@code home} (laid out by {@link #prepareHome}) on a free port, its output in {@code
     * dir}/child-N.log and crash logs in {@code dir}/hs_err_pid*.log, and waits up to {@code timeout} for it to serve.
     */
    public static ChildSolrNode start(Path home, Path dir, long timeout, TimeUnit unit) throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path embedder = SharedData.lightEmbedderDir();
        Path oracle = SharedData.oracleDir();
        List<String> command = new ArrayList<>(List.of(
                java.toString(),
                "-Xmx768m",
                // a faster start on a small machine; inference is native code either way
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:ErrorFile=" + dir.toAbsolutePath().resolve("hs_err_pid%p.log"),
                "-Djava.io.tmpdir=" + dir.toAbsolutePath(),
                "-Dai.djl.offline=true",
                "-Djava.security.egd=file:/dev/./urandom",
                "-Dhybrid.embedder.dir=" + embedder,
                "-Dhybrid.crossencoder.dir=" + oracle,
                "-D" + OverlapOracle.TRUST_GAP_PROPERTY + "=" + OverlapOracle.trustGapFor(oracle),
                "-Dsolr.allowPaths=" + embedder + "," + oracle,
                "-Dhybrid.native.closeWaitMillis=" + Long.getLong("hybrid.native.closeWaitMillis", 10_000),
                "-Dsolr.log.dir=" + dir.toAbsolutePath(),
                "-cp",
                classPath,
                ChildSolrNode.class.getName(),
                home.toAbsolutePath().toString(),
                "0"));
        int n = 0;
        Path log;
        do log = dir.resolve("child-" + (++n) + ".log");
        while (Files.exists(log));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (System.nanoTime() < deadline) {
            Matcher ready = READY_LINE.matcher(Files.readString(log));
            if (ready.find()) return new ChildSolrNode(process, ready.group(1), log);
            if (process.waitFor(100, TimeUnit.MILLISECONDS)) {
                throw new AssertionError("child Solr exited with status " + process.exitValue()
                        + " before it served; its output: " + log);
            }
        }
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        throw new AssertionError("child Solr did not serve within " + timeout + " " + unit + "; its output: " + log);
    }

    /** e.g. http://127.0.0.1:PORT/solr */
    public String baseUrl() {
        return baseUrl;
    }

    public Path log() {
        return log;
    }

    public Process process() {
        return process;
    }

    /** The {@code hs_err} files (JVM crash logs) of any child in {@code dir}. */
    public static List<File> crashLogs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("hs_err"))
                    .map(Path::toFile)
                    .toList();
        }
    }
}
