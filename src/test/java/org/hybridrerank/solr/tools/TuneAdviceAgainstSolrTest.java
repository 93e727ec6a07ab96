package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/tune's verdict on the cross-encoder from real runs: a bin/demo (light embedder, overlap oracle) serving
 * claims-mini with verbatim copies of its claims ({@link DemoFixtures#claimsWithVerbatimCopies}). Judged on the
 * copies, only the model finds them: it helps. Judged on the trial abstracts, the first stage is right already:
 * the full grid gains nothing with the model, and a grid of windows the model alone orders loses.
 */
public class TuneAdviceAgainstSolrTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Map<String, String> properties;
    private static DemoFixtures.Started demo;
    private static Path dataset;
    private static Path out;

    @BeforeClass
    public static void startSolr() throws Exception {
        properties = DemoFixtures.saveProperties();
        Path root = tmp.getRoot().toPath();
        dataset = DemoFixtures.claimsWithVerbatimCopies(root.resolve("copies"));
        demo = DemoFixtures.start(DemoFixtures.options(
                dataset, "copies", root.resolve("home"), DemoFixtures.emptyJar(root), DemoFixtures.freePort()));
        assertNotNull(demo.out(), demo.running());
        out = root.resolve("tune-out"); // one folder: the runs share the cached candidates of each split
    }

    @AfterClass
    public static void stopSolr() {
        try {
            if (demo != null && demo.running() != null) demo.running().close();
        } finally {
            DemoFixtures.restoreProperties(properties);
        }
    }

    /** bin/tune on split {@code split} with lists 20 deep; its stdout and tune.json. */
    private static JsonNode tune(StringBuilder stdout, String split, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--solr",
                demo.running().solrUrl(),
                "--collection",
                "copies",
                "--dataset",
                dataset.toString(),
                "--split",
                split,
                "--k-max",
                "20",
                "--out",
                out.toString()));
        args.addAll(List.of(more));
        CliTest.Result r = CliTest.run(new Tune(), args.toArray(String[]::new));
        assertEquals(r.err(), 0, r.code());
        stdout.append(r.out());
        return new ObjectMapper().readTree(out.resolve("tune.json").toFile());
    }

    @Test
    public void whereOnlyTheModelFindsTheJudgedDocumentItHelpsOutOfFold() throws Exception {
        StringBuilder printed = new StringBuilder();
        JsonNode ce = tune(printed, "verbatim", "--folds", "4").get("crossEncoder");
        assertTrue(printed.toString(), ce.get("helps").asBoolean());
        assertEquals("ndcg@10.outOfFold", ce.get("basis").asText());
        JsonNode outOfFold = ce.get("estimates").get(1);
        assertEquals("ndcg@10.outOfFold", outOfFold.get("basis").asText());
        assertEquals(12, outOfFold.get("queries").asInt());
        // the oracle scores each copy 1.0, above anything else: a window it orders puts the copy first, every query
        assertEquals(1.0, outOfFold.get("ndcg@10.with").asDouble(), 1e-12);
        assertTrue(outOfFold.toString(), outOfFold.get("ndcg@10.without").asDouble() < 0.9);
        assertTrue(
                outOfFold.toString(),
                outOfFold.get("gain").asDouble() > outOfFold.get("noise").asDouble());
        String line = ce.get("recommendation").asText();
        assertTrue(line, line.startsWith("the cross-encoder helps on this collection: best with it 1.0000 vs without"));
        assertTrue(line, line.contains("(out-of-fold over 12 'verbatim' queries)"));
        assertTrue(printed.toString(), printed.toString().contains(line + "\n"));
    }

    @Test
    public void whereTheFirstStageIsRightItIsRecommendedOffAndAWindowTheModelAloneOrdersHurts() throws Exception {
        StringBuilder full = new StringBuilder();
        JsonNode report = tune(full, "trial", "--folds", "4");
        JsonNode ce = report.get("crossEncoder");
        assertFalse(full.toString(), ce.get("helps").asBoolean());
        JsonNode outOfFold = ce.get("estimates").get(1);
        assertEquals(1.0, outOfFold.get("ndcg@10.without").asDouble(), 1e-12);
        assertEquals(0.0, outOfFold.get("gain").asDouble(), 1e-12);
        assertTrue(
                ce.get("recommendation").asText(),
                ce.get("recommendation").asText().startsWith("the cross-encoder does not help on this collection"));
        assertEquals(GridSearch.RERANK_OFF, report.get("recommended").get("rq").asText());
        assertTrue(full.toString(), full.toString().contains("<str name=\"rq\">{!crossencoder enabled=false}</str>"));

        StringBuilder replace = new StringBuilder();
        // the model alone orders the window: replace, always trusted (the oracle's gaps are under 1, so any trustGap
        // above that would keep the first stage's order and hide what the model does)
        JsonNode hurt = tune(replace, "trial", "--folds", "4", "--grid", "fusion=replace", "--grid", "trustGap=0")
                .get("crossEncoder")
                .get("estimates")
                .get(1);
        assertTrue(
                hurt.toString(),
                hurt.get("gain").asDouble() < -hurt.get("noise").asDouble());
        assertTrue(replace.toString(), replace.toString().contains("the cross-encoder hurts on this collection"));
    }

    @Test
    public void aHeldOutSplitOverrulesTheSplitTheConfigurationWasChosenOn() throws Exception {
        StringBuilder printed = new StringBuilder();
        JsonNode ce = tune(printed, "verbatim", "--holdout-split", "trial", "--grid", "fusion=replace")
                .get("crossEncoder");
        assertEquals("ndcg@10.trial.heldOut", ce.get("basis").asText());
        assertTrue(
                "on the split it was chosen on it helps",
                ce.get("estimates").get(0).get("helps").asBoolean());
        assertFalse("held out, it does not", ce.get("helps").asBoolean());
        assertTrue(
                printed.toString(),
                printed.toString().contains("(held-out split 'trial', 12 queries, both chosen on 'verbatim')"));
    }
}
