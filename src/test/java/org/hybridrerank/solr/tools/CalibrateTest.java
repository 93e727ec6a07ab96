package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.solr.common.util.NamedList;
import org.hybridrerank.solr.model.Calibration;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ModelLoadException;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** bin/calibrate's fit and report on candidates whose true relevance curve is known, and where it writes. */
public class CalibrateTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /**
     * {@code queries} queries of 100 candidates, model scores uniform in [-4, 4], relevant with probability
     * sigmoid(1.5·score − 3) (drawn with a fixed seed), as bin/tune's cache holds them.
     */
    static Tune.Judged judged(String prefix, int queries, long seed) {
        Random r = new Random(seed);
        List<QueryCandidates> candidates = new ArrayList<>();
        Map<String, Map<String, Integer>> qrels = new HashMap<>();
        for (int q = 0; q < queries; q++) {
            String qid = prefix + q;
            List<QueryCandidates.Row> rows = new ArrayList<>();
            Map<String, Integer> grades = new HashMap<>();
            for (int d = 0; d < 100; d++) {
                float score = (float) (-4 + 8 * r.nextDouble());
                String id = qid + "-d" + d;
                rows.add(new QueryCandidates.Row(id, d + 1, 1f, d + 1, 1f, score));
                if (r.nextDouble() < PlattFit.sigmoid(1.5 * score - 3)) grades.put(id, 1 + r.nextInt(2));
                else if (r.nextInt(10) == 0) grades.put(id, 0); // judged not relevant: as unjudged
            }
            candidates.add(new QueryCandidates(qid, rows));
            qrels.put(qid, grades);
        }
        return new Tune.Judged(candidates, qrels);
    }

    @Test
    public void fitsReportsAndMeasuresOnHeldOutQueries() {
        Calibrate calibrate = new Calibrate();
        calibrate.split = "train";
        calibrate.holdoutSplit = "test";
        calibrate.folds = 5;
        calibrate.kMax = 100;
        StringWriter out = new StringWriter();
        Map<String, Object> report = new LinkedHashMap<>();
        Calibration c = calibrate.run(
                judged("tr", 200, 1), judged("te", 100, 2), "synthetic", "core", new PrintWriter(out), report);
        // 20,000 pairs: the true 1.5 and -3 within a few standard errors (about 0.03 and 0.07 here)
        assertEquals(1.5, c.a(), 0.15);
        assertEquals(-3, c.b(), 0.3);
        String printed = out.toString();
        assertTrue(printed, printed.contains("fitted on 200 'train' queries, 20000 candidates"));
        assertTrue(printed, printed.contains("'train', 5-fold cross-validated by query"));
        assertTrue(printed, printed.contains("held-out split 'test' (100 queries, 10000 candidates"));
        @SuppressWarnings("unchecked")
        Map<String, Object> heldOut = (Map<String, Object>) report.get("test.heldOut");
        @SuppressWarnings("unchecked")
        double before = (Double) ((Map<String, Object>) heldOut.get("before")).get("ece");
        @SuppressWarnings("unchecked")
        double after = (Double) ((Map<String, Object>) heldOut.get("after")).get("ece");
        // sigmoid(score) over-states a curve that is sigmoid(1.5·score − 3); the fit does not
        assertTrue("before " + before, before > 0.1);
        assertTrue("after " + after, after < 0.03);
        assertTrue(report.containsKey("train.crossValidated"));
        assertEquals("train", c.fittedOn().get("split").asText());
        assertEquals(20_000, c.fittedOn().get("candidates").asInt());
    }

    @Test
    public void aSplitWithoutRelevantCandidatesIsRefused() {
        Calibrate calibrate = new Calibrate();
        calibrate.split = "train";
        calibrate.folds = 2;
        Tune.Judged none = new Tune.Judged(
                List.of(new QueryCandidates("q", List.of(new QueryCandidates.Row("d", 1, 1f, 1, 1f, 2f)))),
                Map.of("q", Map.of("d", 0)));
        UserError e = assertThrows(
                UserError.class,
                () -> calibrate.run(none, null, "x", "x", new PrintWriter(new StringWriter()), new LinkedHashMap<>()));
        assertTrue(e.getMessage(), e.getMessage().contains("nothing to calibrate on"));
    }

    private Path modelFolder(String config) throws Exception {
        Path dir = tmp.newFolder().toPath();
        Files.writeString(dir.resolve("model.onnx"), "");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        if (config != null) Files.writeString(dir.resolve("config.json"), config);
        return dir;
    }

    @Test
    public void writesIntoTheModelFoldersConfigKeepingTheRest() throws Exception {
        Path dir = modelFolder("{\"max_length\": 256, \"output_name\": \"logits\"}");
        Calibration c = new Calibration(0.5, -4.25, null);
        Calibrate.writeInto(dir, c);
        ModelDirectory read = ModelDirectory.open(dir);
        assertEquals(256, read.configInt("max_length", 0));
        assertEquals("logits", read.configString("output_name", null));
        Calibration back = Calibration.of(read);
        assertEquals(0.5, back.a(), 0);
        assertEquals(-4.25, back.b(), 0);
        // a folder without config.json gets one
        Path bare = modelFolder(null);
        Calibrate.writeInto(bare, c);
        assertEquals(-4.25, Calibration.of(ModelDirectory.open(bare)).b(), 0);
    }

    @Test
    public void aBadCalibrationInConfigJsonFailsTheLoadNamingIt() throws Exception {
        assertNull(Calibration.of(ModelDirectory.open(modelFolder("{\"max_length\": 256}"))));
        for (String bad : List.of(
                "{\"calibration\": {\"method\": \"isotonic\", \"a\": 1, \"b\": 0}}",
                "{\"calibration\": {\"method\": \"platt\", \"a\": -1, \"b\": 0}}",
                "{\"calibration\": {\"method\": \"platt\", \"a\": \"x\", \"b\": 0}}",
                "{\"calibration\": 3}")) {
            ModelDirectory dir = ModelDirectory.open(modelFolder(bad));
            ModelLoadException e = assertThrows(bad, ModelLoadException.class, () -> Calibration.of(dir));
            assertTrue(e.getMessage(), e.getMessage().contains("\"calibration\" in "));
            assertTrue(e.getMessage(), e.getMessage().contains("config.json"));
        }
    }

    @Test
    public void contextRecallOfASmallerBudgetIsThePrefixThatFits() {
        ContextRecall recall = new ContextRecall(List.of(100, 250, 1000));
        // q1: relevant doc second (tokens 120 + 100): found at 250, not at 100
        recall.add("q1", context(new Object[][] {{"a", 120}, {"rel", 100}, {"c", 400}}), Map.of("rel", 1));
        // q2: relevant doc first (80 tokens): found at every budget; judged 0 counts as not relevant
        recall.add("q2", context(new Object[][] {{"rel", 80}, {"no", 50}}), Map.of("rel", 2, "no", 0));
        // q3: nothing relevant packed
        recall.add("q3", context(new Object[][] {{"x", 10}}), Map.of("y", 1));
        assertEquals(List.of("a"), ids(ContextRecall.within(entries(new Object[][] {{"a", 120}, {"b", 100}}), 219)));
        assertEquals(List.of(), ids(ContextRecall.within(entries(new Object[][] {{"a", 120}}), 119)));
        assertEquals(1.0 / 3, recall.recall(100), 1e-12);
        assertEquals(2.0 / 3, recall.recall(250), 1e-12);
        assertEquals(2.0 / 3, recall.recall(1000), 1e-12);
        assertEquals((0 + 1 + 1) / 3.0, recall.meanPassages(100), 1e-12);
        assertEquals((3 + 2 + 1) / 3.0, recall.meanPassages(1000), 1e-12);
        UserError e = assertThrows(UserError.class, () -> recall.add("q4", null, Map.of()));
        assertTrue(e.getMessage(), e.getMessage().contains("no 'context' section"));
    }

    private static List<String> ids(List<ContextRecall.Entry> entries) {
        return entries.stream().map(ContextRecall.Entry::id).toList();
    }

    private static List<ContextRecall.Entry> entries(Object[][] passages) {
        List<ContextRecall.Entry> out = new ArrayList<>();
        for (Object[] p : passages) out.add(new ContextRecall.Entry((String) p[0], (Integer) p[1]));
        return out;
    }

    /** A response's context section, as SolrJ reads it. */
    private static NamedList<Object> context(Object[][] passages) {
        List<Object> list = new ArrayList<>();
        for (Object[] p : passages) {
            NamedList<Object> entry = new NamedList<>();
            entry.add("id", p[0]);
            entry.add("tokens", p[1]);
            list.add(entry);
        }
        NamedList<Object> context = new NamedList<>();
        context.add("passages", list);
        return context;
    }
}
