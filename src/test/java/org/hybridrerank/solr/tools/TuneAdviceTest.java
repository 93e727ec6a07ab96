package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * bin/tune's verdict on the cross-encoder: {@link RerankAdvice} on per-query scores worked out by hand, and
 * {@link Tune#search} on handmade cached rows (no Solr) where the model helps, changes nothing, or hurts.
 */
public class TuneAdviceTest {
    @Test
    public void aGainWithinTwoStandardErrorsIsNoise() {
        // differences 0.5, 0, 0.5, 0: mean 0.25, sample sd sqrt(4 * 0.25^2 / 3) = 0.288675, standard error
        // 0.288675 / 2 = 0.144338, noise 2 x 0.144338 = 0.288675 > 0.25
        RerankAdvice.Estimate e =
                RerankAdvice.estimate("k", "b", new double[] {1, 0.5, 1, 0.5}, new double[] {0.5, 0.5, 0.5, 0.5});
        assertEquals(4, e.queries());
        assertEquals(0.75, e.with(), 1e-12);
        assertEquals(0.5, e.without(), 1e-12);
        assertEquals(0.25, e.gain(), 1e-12);
        assertEquals(Math.sqrt(0.25 / 3), e.noise(), 1e-12);
        assertFalse(e.helps());
    }

    @Test
    public void aGainEveryQueryAgreesOnHelpsAndTheNoiseIsNeverBelowTheFloor() {
        // differences 0.1 on each query: no spread, so the noise is the floor 0.005
        RerankAdvice.Estimate e =
                RerankAdvice.estimate("k", "b", new double[] {0.6, 0.7, 0.8}, new double[] {0.5, 0.6, 0.7});
        assertEquals(0.1, e.gain(), 1e-12);
        assertEquals(RerankAdvice.MIN_GAIN, e.noise(), 0);
        assertTrue(e.helps());
        // one query: no spread to measure, the floor alone; a gain below it is no help
        assertTrue(RerankAdvice.estimate("k", "b", new double[] {0.9}, new double[] {0.5})
                .helps());
        RerankAdvice.Estimate tiny = RerankAdvice.estimate("k", "b", new double[] {0.504}, new double[] {0.5});
        assertEquals(0.004, tiny.gain(), 1e-12);
        assertFalse(tiny.helps());
    }

    @Test
    public void aLossBeyondTheNoiseHurts() {
        // differences -0.4 and -0.3: mean -0.35, sd sqrt(2 x 0.05^2 / 1) = 0.070711, standard error 0.05, noise 0.1
        RerankAdvice.Estimate e =
                RerankAdvice.estimate("k", "out-of-fold", new double[] {0.2, 0.3}, new double[] {0.6, 0.6});
        assertEquals(-0.35, e.gain(), 1e-12);
        assertEquals(0.1, e.noise(), 1e-12);
        String line = RerankAdvice.recommendation(e, "WITH", "hybrid.weights=lexical:1,vector:1", false);
        assertEquals(
                "the cross-encoder hurts on this collection: best with it 0.2500 vs without 0.6000 nDCG@10"
                        + " (out-of-fold): -0.3500, noise ±0.1000; switch it off: rq={!crossencoder enabled=false} in"
                        + " /hybrid's defaults (or <bool name=\"enabled\">false</bool> in the crossencoder queryParser)"
                        + " with the first stage hybrid.weights=lexical:1,vector:1",
                line);
    }

    @Test
    public void theRecommendationSaysHowMuchItHelpsOrThatItDoesNot() {
        RerankAdvice.Estimate helps =
                RerankAdvice.estimate("k", "held-out split 'test'", new double[] {0.6, 0.7}, new double[] {0.5, 0.6});
        assertEquals(
                "the cross-encoder helps on this collection: best with it 0.6500 vs without 0.5500 nDCG@10 (held-out"
                        + " split 'test'): +0.1000, noise ±0.0050; keep it on (CONFIG)",
                RerankAdvice.recommendation(helps, "CONFIG", "OFF", false));
        RerankAdvice.Estimate none = RerankAdvice.estimate("k", "b", new double[] {0.5, 0.6}, new double[] {0.5, 0.6});
        String line = RerankAdvice.recommendation(none, "CONFIG", "OFF", true);
        assertTrue(line, line.startsWith("the cross-encoder does not help on this collection: best with it 0.5500"));
        assertTrue(line, line.contains("the chosen configuration gives the model no weight (modelWeight=0)"));
        assertTrue(line, line.endsWith("with the first stage OFF"));
    }

    @Test
    public void scoresThatDoNotPairUpAreRefused() {
        assertThrows(
                IllegalArgumentException.class,
                () -> RerankAdvice.estimate("k", "b", new double[] {1}, new double[] {1, 1}));
        assertThrows(
                IllegalArgumentException.class, () -> RerankAdvice.estimate("k", "b", new double[0], new double[0]));
    }

    // --- Tune.search on handmade rows: twelve candidates d1..d12, in that order in both lists

    private static final List<TuneConfig> GRID =
            TuneSearchTest.grid("reRankDocs=10,20", "fusion=replace,rrf", "rrfK=60", "modelWeight=0,1");

    /** Relevant d11 and d12, outside the first stage's top 10, first in the model's view: the model finds them. */
    private static Tune.Judged modelFinds(int queries) {
        List<QueryCandidates> rows = new ArrayList<>();
        Map<String, Map<String, Integer>> qrels = new java.util.HashMap<>();
        for (int i = 0; i < queries; i++) {
            rows.add(TuneSearchTest.sameOrderInBothLists("f" + i, -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 9, 10));
            qrels.put("f" + i, Map.of("d11", 1, "d12", 1));
        }
        return new Tune.Judged(rows, qrels);
    }

    /** Relevant d1, first in both lists and last in the model's view. */
    private static Tune.Judged modelReversed(int queries) {
        List<QueryCandidates> rows = new ArrayList<>();
        Map<String, Map<String, Integer>> qrels = new java.util.HashMap<>();
        for (int i = 0; i < queries; i++) {
            rows.add(TuneSearchTest.sameOrderInBothLists("r" + i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12));
            qrels.put("r" + i, Map.of("d1", 1));
        }
        return new Tune.Judged(rows, qrels);
    }

    private static Tune tune(Integer folds, String holdoutSplit) {
        Tune tune = new Tune();
        tune.kMax = 100;
        tune.split = "train";
        tune.folds = folds;
        tune.holdoutSplit = holdoutSplit;
        return tune;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> advice(Map<String, Object> report) {
        return (Map<String, Object>) report.get("crossEncoder");
    }

    @Test
    public void whereOnlyTheModelFindsTheRelevantDocsItHelpsOutOfFold() {
        StringWriter printed = new StringWriter();
        Map<String, Object> report = tune(2, null).search(GRID, modelFinds(4), null, new PrintWriter(printed, true));
        Map<String, Object> advice = advice(report);
        // with: replace over a window of 20 puts d12, d11 first (nDCG 1); without: both stay 11th and 12th (0)
        assertEquals(true, advice.get("helps"));
        assertEquals("ndcg@10.outOfFold", advice.get("basis"));
        List<?> estimates = (List<?>) advice.get("estimates");
        assertEquals(2, estimates.size());
        @SuppressWarnings("unchecked")
        Map<String, Object> outOfFold = (Map<String, Object>) estimates.get(1);
        assertEquals(1.0, (double) outOfFold.get("ndcg@10.with"), 1e-12);
        assertEquals(0.0, (double) outOfFold.get("ndcg@10.without"), 1e-12);
        assertEquals(1.0, (double) outOfFold.get("gain"), 1e-12);
        assertEquals("{!crossencoder reRankDocs=20 fusion=replace}", ((Map<?, ?>) advice.get("with")).get("rq"));
        assertEquals("{!crossencoder reRankDocs=20 fusion=replace}", ((Map<?, ?>) report.get("recommended")).get("rq"));
        assertTrue(
                printed.toString(),
                printed.toString()
                        .contains("the cross-encoder helps on this collection: best with it 1.0000 vs without 0.0000"
                                + " nDCG@10 (out-of-fold over 4 'train' queries): +1.0000, noise ±0.0050; keep it on"));
        assertTrue(printed.toString().contains("<str name=\"rq\">{!crossencoder reRankDocs=20 fusion=replace}</str>"));
    }

    @Test
    public void whereTheFirstStageIsRightAlreadyTheRerankIsRecommendedOff() {
        StringWriter printed = new StringWriter();
        Map<String, Object> report =
                tune(null, null).search(GRID, modelReversed(3), null, new PrintWriter(printed, true));
        Map<String, Object> advice = advice(report);
        // with: rrf and modelWeight 1 keeps d1 first (nDCG 1, see TuneSearchTest); without: the first stage alone, 1
        assertEquals(false, advice.get("helps"));
        assertEquals("ndcg@10.train", advice.get("basis"));
        assertEquals(GridSearch.RERANK_OFF, ((Map<?, ?>) advice.get("without")).get("rq"));
        assertEquals(GridSearch.RERANK_OFF, ((Map<?, ?>) report.get("recommended")).get("rq"));
        assertEquals("lexical:1,vector:1", ((Map<?, ?>) report.get("recommended")).get("hybrid.weights"));
        String out = printed.toString();
        assertTrue(
                out,
                out.contains("the cross-encoder does not help on this collection: best with it 1.0000 vs without 1.0000"
                        + " nDCG@10 (on the 3 'train' queries both were chosen on, optimistic; --folds or"
                        + " --holdout-split for an unbiased verdict): +0.0000, noise ±0.0050; the chosen configuration"
                        + " gives the model no weight (modelWeight=0) yet would still run it; switch it off"));
        assertTrue(out, out.contains("<str name=\"rq\">{!crossencoder enabled=false}</str>"));
        assertFalse(out, out.contains("<str name=\"rq\">{!crossencoder reRankDocs"));
    }

    @Test
    public void aReplaceOnlyGridThatLosesToTheFirstStageHurts() {
        List<TuneConfig> replaceOnly = TuneSearchTest.grid("reRankDocs=10", "fusion=replace");
        StringWriter printed = new StringWriter();
        Map<String, Object> report =
                tune(null, null).search(replaceOnly, modelReversed(2), null, new PrintWriter(printed, true));
        @SuppressWarnings("unchecked")
        Map<String, Object> estimate =
                (Map<String, Object>) ((List<?>) advice(report).get("estimates")).get(0);
        // replace: d1 ends the window of 10, 1/log2(11); the first stage alone keeps it first, 1
        double replace = 1 / (Math.log(11) / Math.log(2));
        assertEquals(replace, (double) estimate.get("ndcg@10.with"), 1e-12);
        assertEquals(1.0, (double) estimate.get("ndcg@10.without"), 1e-12);
        assertEquals(replace - 1, (double) estimate.get("gain"), 1e-12);
        assertTrue(printed.toString(), printed.toString().contains("the cross-encoder hurts on this collection"));
    }

    @Test
    public void aHeldOutSplitDecidesOverTheScoresItWasChosenOn() {
        // chosen on queries the model helps, held out on queries it would hurt in a window it alone orders
        StringWriter printed = new StringWriter();
        List<TuneConfig> replaceOrOff = TuneSearchTest.grid("reRankDocs=20", "fusion=replace");
        Map<String, Object> report = tune(null, "test")
                .search(replaceOrOff, modelFinds(2), modelReversed(3), new PrintWriter(printed, true));
        Map<String, Object> advice = advice(report);
        assertEquals("ndcg@10.test.heldOut", advice.get("basis"));
        assertEquals(false, advice.get("helps"));
        List<?> estimates = (List<?>) advice.get("estimates");
        assertEquals(true, ((Map<?, ?>) estimates.get(0)).get("helps"));
        assertEquals("ndcg@10.train", ((Map<?, ?>) estimates.get(0)).get("basis"));
        assertEquals(3, ((Map<?, ?>) estimates.get(1)).get("queries"));
        assertTrue(
                printed.toString(),
                printed.toString().contains("(held-out split 'test', 3 queries, both chosen on 'train')"));
    }

    @Test
    public void aGridWhoseEveryConfigurationIgnoresTheModelGivesNoVerdict() {
        StringWriter printed = new StringWriter();
        Map<String, Object> report = tune(null, null)
                .search(
                        TuneSearchTest.grid("reRankDocs=10", "fusion=rrf", "rrfK=60", "modelWeight=0"),
                        modelReversed(2),
                        null,
                        new PrintWriter(printed, true));
        assertFalse(report.containsKey("crossEncoder"));
        assertTrue(printed.toString(), printed.toString().contains("its worth was not measured"));
    }
}
