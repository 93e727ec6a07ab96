package org.hybridrerank.solr.cloud;

import com.carrotsearch.randomizedtesting.ThreadFilter;
import com.carrotsearch.randomizedtesting.annotations.ThreadLeakFilters;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.solr.SolrIgnoredThreadsFilter;
import org.apache.solr.SolrTestCaseJ4;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Demo;
import org.junit.Test;
import picocli.CommandLine;

/**
 * {@code bin/demo --cloud} end to end on a 60-doc BEIR slice: a local SolrCloud of 2 nodes starts with the
 * packaged jar, a 2-shard × 2-replica collection is created and indexed, a hybrid+rerank request answers over
 * HTTP, and the demo stops cleanly.
 */
@SolrTestCaseJ4.SuppressSSL(bugUrl = "bin/demo serves plain HTTP on loopback")
@ThreadLeakFilters(
        defaultFilters = true,
        filters = {SolrIgnoredThreadsFilter.class, DemoCloudIT.ProgressBarThread.class})
public class DemoCloudIT extends SolrTestCaseJ4 {
    /** The progress bar library renders from one lasting thread of its own (by design, not a leak of ours). */
    public static final class ProgressBarThread implements ThreadFilter {
        @Override
        public boolean reject(Thread t) {
            return "ProgressBar".equals(t.getName());
        }
    }

    @Test
    public void cloudDemoServesAHybridRerankedAnswer() throws Exception {
        Path dataset = createTempDir("mini-beir");
        Path scifact = SharedData.scifact();
        Files.createDirectories(dataset.resolve("qrels"));
        Files.write(
                dataset.resolve("corpus.jsonl"),
                Files.readAllLines(scifact.resolve("corpus.jsonl")).subList(0, 60));
        Files.copy(scifact.resolve("queries.jsonl"), dataset.resolve("queries.jsonl"));
        Files.copy(
                scifact.resolve("qrels").resolve("test.tsv"),
                dataset.resolve("qrels").resolve("test.tsv"));
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int code;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = new CommandLine(new Demo())
                    .execute(
                            "--cloud",
                            "--shards",
                            "2",
                            "--replicas",
                            "2",
                            "--port",
                            Integer.toString(port),
                            "--dataset",
                            dataset.toString(),
                            "--collection",
                            "mini",
                            "--home",
                            createTempDir("demo").resolve("solr-home").toString(),
                            "--embedder",
                            SharedData.embedderDir().toString(),
                            "--jar",
                            System.getProperty("hybrid.plugin.jar"),
                            "--check-request",
                            "--exit-when-ready");
        } finally {
            System.setOut(out);
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(text, 0, code);
        for (String expected : List.of(
                "2 nodes",
                "2 shards x 2 replicas",
                "http://127.0.0.1:" + port + "/solr",
                "Ready.",
                "check: rerank.status=ok")) {
            assertTrue("'" + expected + "' in:\n" + text, text.contains(expected));
        }
    }
}
