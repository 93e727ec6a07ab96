package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Ctrl-C during bin/demo's indexing, sent as SIGINT to the demo's own JVM: it exits within seconds (130), saying
 * {@code indexed N of M documents; run bin/demo again to continue}, with no JVM crash report; the next start on
 * the same home resumes from those N and ends with all M documents.
 */
public class DemoCtrlCIT {
    private static final int DOCUMENTS = 3000;
    private static final long STOP_LIMIT_MS = 15_000;
    private static final Pattern PROGRESS = Pattern.compile(" (\\d+)/" + DOCUMENTS + " docs");
    private static final Pattern STOPPED =
            Pattern.compile("(?m)^indexed (\\d+) of " + DOCUMENTS + " documents; run bin/demo again to continue$");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Map<String, String> properties;

    @Before
    public void saveProperties() {
        properties = DemoFixtures.saveProperties();
    }

    @After
    public void restoreProperties() {
        DemoFixtures.restoreProperties(properties);
    }

    @Test
    public void ctrlCDuringIndexingStopsWithinSecondsAndTheNextStartResumes() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path dataset = DemoFixtures.generated(root.resolve("generated"), DOCUMENTS);
        Path home = root.resolve("home");
        Path crashes = Files.createDirectories(root.resolve("crashes"));
        Path jar = DemoFixtures.emptyJar(root);
        List<String> options = DemoFixtures.options(dataset, "gen", home, jar, DemoFixtures.freePort());

        Path out = root.resolve("demo.out");
        Path err = root.resolve("demo.err");
        Process demo = new ProcessBuilder(command(root, crashes, options))
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            awaitProgress(demo, err, out);
            long sent = System.nanoTime();
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(demo.pid())).start();
            assertEquals(0, kill.waitFor());
            boolean exited = demo.waitFor(STOP_LIMIT_MS, TimeUnit.MILLISECONDS);
            long stopMs = (System.nanoTime() - sent) / 1_000_000;
            String stdout = Files.readString(out);
            assertTrue("still running " + STOP_LIMIT_MS + " ms after SIGINT; stdout:\n" + stdout, exited);
            System.err.println("DemoCtrlCIT: bin/demo exited " + stopMs + " ms after SIGINT");
            assertEquals(stdout + Files.readString(err), 130, demo.exitValue());
            try (Stream<Path> files = Files.list(crashes)) {
                assertEquals("JVM crash reports", List.of(), files.toList());
            }
            Matcher stopped = STOPPED.matcher(stdout);
            assertTrue(stdout, stopped.find());
            long indexed = Long.parseLong(stopped.group(1));
            assertTrue(stdout, indexed > 0 && indexed < DOCUMENTS);

            // the next start, in this JVM: it resumes from what the stop committed and completes the index
            DemoFixtures.Started next = DemoFixtures.start(options);
            try (Demo.Running running = next.running()) {
                assertNotNull(next.out(), running);
                assertTrue(
                        next.out(),
                        next.out()
                                .contains(
                                        "resuming: " + indexed + " of " + DOCUMENTS + " documents already indexed\n"));
                long remaining = DOCUMENTS - indexed;
                assertTrue(
                        next.out(),
                        next.out()
                                .contains("indexed " + remaining + " of " + remaining + " documents read, besides "
                                        + indexed + " already in the index in "));
                try (SolrClient solr = new Http2SolrClient.Builder(running.solrUrl())
                        .withDefaultCollection("gen")
                        .build()) {
                    assertEquals(
                            DOCUMENTS,
                            solr.query(new SolrQuery("*:*").setRows(0))
                                    .getResults()
                                    .getNumFound());
                }
            }
        } finally {
            if (demo.isAlive()) demo.destroyForcibly().waitFor();
        }
    }

    /** java from java.home on this test's class path, SIGINT at its default (see {@link #defaultSigint}). */
    private static List<String> command(Path root, Path crashes, List<String> options) {
        List<String> command = new ArrayList<>(defaultSigint());
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g",
                "-XX:ErrorFile=" + crashes.resolve("hs_err_pid%p.log"),
                "-Dai.djl.offline=true",
                "-Dlog4j2.configurationFile=bin/_log4j2.xml",
                "-Dsolr.log.dir=" + root.resolve("logs"),
                "-Dhybrid.shared.dir=" + root.resolve("no-shared"),
                "-cp",
                System.getProperty("java.class.path"),
                Demo.class.getName()));
        command.addAll(options);
        return command;
    }

    /**
     * A process started in the background by a shell without job control ignores SIGINT, and so do its children
     * (a JVM keeps an ignored SIGINT ignored): where this test's JVM may be one of them, coreutils' env puts
     * SIGINT back to its default for the demo, as in a terminal.
     */
    private static List<String> defaultSigint() {
        try {
            Process probe = new ProcessBuilder("env", "--default-signal=INT", "true")
                    .redirectErrorStream(true)
                    .start();
            probe.getInputStream().readAllBytes();
            if (probe.waitFor() == 0) return List.of("env", "--default-signal=INT");
        } catch (Exception e) {
            // no such env: run java directly
        }
        return List.of();
    }

    /** Waits until the progress bar shows documents indexed (at most 3 minutes: Solr's start, model loading). */
    private static void awaitProgress(Process demo, Path err, Path out) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            if (!demo.isAlive()) fail("the demo ended before indexing:\n" + Files.readString(out) + read(err));
            Matcher m = PROGRESS.matcher(read(err));
            long last = -1;
            while (m.find()) last = Long.parseLong(m.group(1));
            if (last > 0) return;
            Thread.sleep(200);
        }
        fail("no indexing progress in 3 minutes:\n" + Files.readString(out) + read(err));
    }

    private static String read(Path file) throws Exception {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
