package org.hybridrerank.solr.model;

import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.Test;

/**
 * Sessions share ONNX Runtime's global intra-op pool: loading and running more sessions starts no more
 * threads. ONNX Runtime's workers are native threads, invisible to Java, so the process's thread count is
 * read from /proc (Linux).
 */
public class OnnxThreadPoolTest {
    private static int processThreads() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("Threads:"))
                return Integer.parseInt(line.substring(8).trim());
        }
        throw new IllegalStateException("no Threads: line in /proc/self/status");
    }

    @Test
    public void moreSessionsStartNoMoreInferenceThreads() throws Exception {
        OnnxRuntimeEnvironment runtime = OnnxRuntimeEnvironment.get();
        assertTrue("this JVM's environment has the shared pool", runtime.sharesOnePool());
        ModelDirectory dir = ModelDirectory.open(OverlapOracle.dir());
        List<String> passages = List.of("cats and dogs", "birds", "a longer passage about cats and birds and dogs");
        List<CrossEncoder> models = new ArrayList<>();
        try {
            // one session loaded and run first, so that the pool and the tokenizer's own threads already exist
            models.add(CrossEncoder.load(
                    dir, CrossEncoderSettings.defaultsFor(dir).batchSize(1).build()));
            models.get(0).score("cats", passages, ScoringOptions.DEFAULT, Deadline.none());
            int before = processThreads();
            int sessions = 8;
            for (int i = 0; i < sessions; i++) {
                CrossEncoder model = CrossEncoder.load(
                        dir,
                        CrossEncoderSettings.defaultsFor(dir).batchSize(1 + i).build());
                models.add(model);
                model.score("cats", passages, ScoringOptions.DEFAULT, Deadline.none());
            }
            int grown = processThreads() - before;
            // a pool per session would add at least one worker per session on any machine with 2+ cores; the JVM
            // itself may start a compiler thread or two meanwhile
            assertTrue(
                    "threads grew by " + grown + " for " + sessions + " sessions; shared pool of " + runtime.threads(),
                    grown <= 2);
        } finally {
            Closeables.closeAll("test models", models);
        }
    }
}
