package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The gate on results built by hand: four queries, each with one relevant doc "rel"; the first stage ranks it
 * 3rd, a working rerank lifts it to the top.
 */
public class RelevanceGateTest {
    private static final List<String> FIRST_STAGE = List.of("a", "b", "rel", "c", "d", "e", "f", "g", "h", "i", "j");
    private static final List<String> LIFTED = List.of("rel", "a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    // nDCG@10 with one relevant doc at rank r is 1/log2(r+1): rank 3 gives 1/log2(4) = 0.5, rank 1 gives 1
    private static final double FIRST_STAGE_NDCG = 0.5;

    private static ModeResults mode(EvalMode mode, List<List<String>> rankings, List<String> statuses) {
        ModeResults r = new ModeResults(mode);
        for (int q = 0; q < rankings.size(); q++) {
            List<Float> scores = new ArrayList<>();
            for (int i = 0; i < rankings.get(q).size(); i++) scores.add(1f - i / 100f);
            r.add(
                    "q" + q,
                    "a query",
                    rankings.get(q),
                    scores,
                    Map.of("rel", 1),
                    1,
                    Map.of(),
                    ModeResults.RerankHeader.status(statuses.get(q)));
        }
        return r;
    }

    private static Map<EvalMode, ModeResults> results(List<List<String>> reranked, List<String> statuses) {
        Map<EvalMode, ModeResults> results = new LinkedHashMap<>();
        results.put(
                EvalMode.RRF,
                mode(
                        EvalMode.RRF,
                        List.of(FIRST_STAGE, FIRST_STAGE, FIRST_STAGE, FIRST_STAGE),
                        java.util.Arrays.asList(null, null, null, null)));
        results.put(EvalMode.RRF_CE, mode(EvalMode.RRF_CE, reranked, statuses));
        return results;
    }

    private static final List<String> ALL_OK = List.of("ok", "ok", "ok", "ok");

    private static RelevanceGate gate(String... expectations) {
        List<RelevanceGate.Band> bands = new ArrayList<>();
        for (String e : expectations) bands.add(RelevanceGate.Band.around(e));
        return new RelevanceGate(bands);
    }

    private static List<String> failed(RelevanceGate gate, Map<EvalMode, ModeResults> results) {
        return gate.check(results).stream()
                .filter(v -> !v.passed())
                .map(RelevanceGate.Verdict::check)
                .toList();
    }

    @Test
    public void aWorkingRerankPasses() {
        var results = results(List.of(LIFTED, LIFTED, LIFTED, LIFTED), ALL_OK);
        assertEquals(1.0, results.get(EvalMode.RRF_CE).metric("ndcg@10"), 1e-12);
        assertEquals(FIRST_STAGE_NDCG, results.get(EvalMode.RRF).metric("ndcg@10"), 1e-12);
        assertEquals(List.of(), failed(gate("rrf:ndcg@10:0.5:0.03", "rrf+ce:ndcg@10:1.0:0.03"), results));
    }

    @Test
    public void aRerankThatFailedOpenOnOneQueryFails() {
        var results = results(List.of(LIFTED, LIFTED, LIFTED, FIRST_STAGE), List.of("ok", "ok", "ok", "error"));
        List<String> failed = failed(gate(), results);
        assertEquals(failed.toString(), 1, failed.size());
        assertTrue(
                failed.get(0),
                failed.get(0).contains("rerank.status=ok") && failed.get(0).contains("q3=error"));
    }

    @Test
    public void aMissingStatusIsNotOk() {
        var results = results(List.of(LIFTED, LIFTED, LIFTED, LIFTED), java.util.Arrays.asList("ok", "ok", null, "ok"));
        assertEquals(1, failed(gate(), results).size());
    }

    @Test
    public void theFirstStageOrderOnMostQueriesFailsEvenWithStatusOk() {
        // a model scoring every doc alike keeps the first-pass order and still reports ok
        var unchangedOnThree = results(List.of(FIRST_STAGE, FIRST_STAGE, FIRST_STAGE, LIFTED), ALL_OK);
        List<String> failed = failed(gate(), unchangedOnThree);
        assertEquals(failed.toString(), 1, failed.size());
        assertTrue(failed.get(0), failed.get(0).contains("unchanged on 3 of 4"));
        // exactly half unchanged is still allowed: "most" means more than half
        assertEquals(List.of(), failed(gate(), results(List.of(FIRST_STAGE, FIRST_STAGE, LIFTED, LIFTED), ALL_OK)));
    }

    /** The reranked mode's results with each query's rerank.modelTrusted header (null: absent). */
    private static Map<EvalMode, ModeResults> withTrust(List<List<String>> reranked, List<Boolean> trusted) {
        Map<EvalMode, ModeResults> results = results(List.of(), List.of());
        ModeResults r = new ModeResults(EvalMode.RRF_CE);
        for (int q = 0; q < reranked.size(); q++) {
            List<Float> scores = new ArrayList<>();
            for (int i = 0; i < reranked.get(q).size(); i++) scores.add(1f - i / 100f);
            r.add(
                    "q" + q,
                    "a query",
                    reranked.get(q),
                    scores,
                    Map.of("rel", 1),
                    1,
                    Map.of(),
                    new ModeResults.RerankHeader("ok", trusted.get(q), null));
        }
        results.put(EvalMode.RRF_CE, r);
        return results;
    }

    @Test
    public void queriesThatLeftTheModelOutAreNotCountedAsUnchanged() {
        // two queries trusted and changed, two left the model out and kept the first stage: passes (2 of 2 changed),
        // where counting all four would be 2 of 4 unchanged at best
        var results = withTrust(
                List.of(LIFTED, LIFTED, FIRST_STAGE, FIRST_STAGE), java.util.Arrays.asList(true, null, false, false));
        assertEquals(List.of(), failed(gate(), results));
        assertEquals(List.of("q2", "q3"), results.get(EvalMode.RRF_CE).untrusted());
        // one trusted query changed, two trusted unchanged, one untrusted: 2 of 3 unchanged fails
        var mostlyUnchanged = withTrust(
                List.of(LIFTED, FIRST_STAGE, FIRST_STAGE, LIFTED), java.util.Arrays.asList(true, true, true, false));
        List<String> failed = failed(gate(), mostlyUnchanged);
        assertEquals(failed.toString(), 1, failed.size());
        assertTrue(
                failed.get(0),
                failed.get(0).contains("unchanged on 2 of 3") && failed.get(0).contains("1 queries"));
        // every query left the model out: nothing shows the rerank ranks at all, which is not a pass
        var noneTrusted = withTrust(
                List.of(FIRST_STAGE, FIRST_STAGE, FIRST_STAGE, FIRST_STAGE),
                java.util.Arrays.asList(false, false, false, false));
        assertEquals(1, failed(gate(), noneTrusted).size());
    }

    @Test
    public void onlyTheTopTenIsCompared() {
        List<String> tailChanged = new ArrayList<>(FIRST_STAGE);
        tailChanged.set(10, "z");
        var results = results(List.of(tailChanged, tailChanged, tailChanged, tailChanged), ALL_OK);
        assertEquals(1, failed(gate(), results).size());
    }

    @Test
    public void aRerankedModeWithoutItsFirstStageCannotPass() {
        Map<EvalMode, ModeResults> results = new LinkedHashMap<>();
        results.put(EvalMode.RRF_CE, mode(EvalMode.RRF_CE, List.of(LIFTED), List.of("ok")));
        List<String> failed = failed(gate(), results);
        assertEquals(1, failed.size());
        assertTrue(failed.get(0), failed.get(0).contains("rrf was not run"));
    }

    @Test
    public void bandsAreTwoSided() {
        var results = results(List.of(LIFTED, LIFTED, LIFTED, LIFTED), ALL_OK); // rrf+ce measures 1.0
        assertEquals(List.of(), failed(gate("rrf+ce:ndcg@10:0.98:0.03"), results));
        assertEquals(1, failed(gate("rrf+ce:ndcg@10:0.95:0.03"), results).size()); // 1.0 > 0.98: an unexplained jump
        assertEquals(1, failed(gate("rrf+ce:ndcg@10:1.05:0.03"), results).size()); // 1.0 < 1.02: a drop
        // a floor is one-sided
        assertEquals(
                List.of(), failed(new RelevanceGate(List.of(RelevanceGate.Band.floor("rrf+ce:ndcg@10:0.5"))), results));
        assertEquals(
                1,
                failed(new RelevanceGate(List.of(RelevanceGate.Band.floor("rrf+ce:ndcg@10:1.01"))), results)
                        .size());
    }

    @Test
    public void malformedGatesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.around("rrf:ndcg@10:0.7"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.around("rrf:ndcg@10:0.7:-0.1"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.around("rrf:ndcg@11:0.7:0.03"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.around("rrf:ndcg@10:NaN:0.03"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.floor("rrf:ndcg@10"));
        RelevanceGate gate = gate("lexical:ndcg@10:0.5:0.03");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> gate.requireMeasured(List.of(EvalMode.RRF, EvalMode.RRF_CE)));
        assertTrue(e.getMessage(), e.getMessage().contains("lexical"));
    }

    @Test
    public void floorsNameModeMetricAndValue() {
        RelevanceGate.Band band = RelevanceGate.Band.floor("rrf+ce:ndcg@10:0.61");
        assertEquals(EvalMode.RRF_CE, band.mode());
        assertEquals("ndcg@10", band.metric());
        assertEquals(0.61, band.low(), 0);
        assertEquals(Double.POSITIVE_INFINITY, band.high(), 0);
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.floor("rrf:precision@5:0.5"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.floor("bm25:ndcg@10:0.5"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.floor("rrf:0.5"));
    }

    @Test
    public void aGateMayNameItsCollectionBeforeASlash() {
        RelevanceGate.Band band = RelevanceGate.Band.floor("cisi/rrf+ce:ndcg@10:0.45");
        assertEquals("cisi", band.collection());
        assertEquals(EvalMode.RRF_CE, band.mode());
        assertEquals(0.45, band.low(), 0);
        RelevanceGate.Band around = RelevanceGate.Band.around("scifact/rrf:mrr@10:0.5:0.03");
        assertEquals("scifact", around.collection());
        assertEquals("mrr@10", around.metric());
        assertEquals(null, RelevanceGate.Band.around("rrf:ndcg@10:0.5:0.03").collection());
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.floor("/rrf:ndcg@10:0.5"));
        assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Band.floor("cisi/rrf:ndcg@10"));
    }

    @Test
    public void aGainGateComparesTwoModesOnTheSameQueries() {
        var results = results(List.of(LIFTED, LIFTED, LIFTED, LIFTED), ALL_OK);
        // nDCG@10: rrf+ce 1.0, rrf 0.5 (rank 3), gain 0.5; MRR@10: 1.0 and 1/3, gain 2/3
        RelevanceGate.Gain gain = RelevanceGate.Gain.of("rrf+ce:rrf:0.5");
        assertEquals(EvalMode.RRF_CE, gain.mode());
        assertEquals(EvalMode.RRF, gain.base());
        assertEquals("ndcg@10", gain.metric());
        assertEquals(null, gain.collection());
        RelevanceGate passes = new RelevanceGate(
                List.of(),
                List.of(
                        gain,
                        RelevanceGate.Gain.of("rrf+ce:rrf:mrr@10:0.66"),
                        RelevanceGate.Gain.of("rrf:rrf+ce:-0.5")));
        List<RelevanceGate.Verdict> verdicts = passes.check(results);
        assertEquals(
                List.of(
                        "gain rrf+ce-rrf ndcg@10 >= +0.5000: +0.5000",
                        "gain rrf+ce-rrf mrr@10 >= +0.6600: +0.6667",
                        "gain rrf-rrf+ce ndcg@10 >= -0.5000: -0.5000"),
                verdicts.subList(0, 3).stream()
                        .map(RelevanceGate.Verdict::check)
                        .toList());
        assertEquals(List.of(), failed(passes, results));
        RelevanceGate fails = new RelevanceGate(List.of(), List.of(RelevanceGate.Gain.of("rrf+ce:rrf:0.5001")));
        assertEquals(List.of("gain rrf+ce-rrf ndcg@10 >= +0.5001: +0.5000"), failed(fails, results));
    }

    @Test
    public void malformedGainGatesAreRefused() {
        for (String bad : List.of(
                "rrf+ce:rrf", "rrf+ce:rrf:x", "rrf+ce:rrf+ce:0", "rrf+ce:rrf:ndcg@11:0", "bm25:rrf:0", "a:b:c:d:e")) {
            assertThrows(bad, IllegalArgumentException.class, () -> RelevanceGate.Gain.of(bad));
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RelevanceGate.Gain.of("rrf+ce:rrf"));
        assertTrue(e.getMessage(), e.getMessage().startsWith("--expect-gain must be [COLLECTION/]MODE:BASE[:METRIC]"));
    }

    @Test
    public void eachCollectionIsCheckedByTheGatesNamingItOrNone() {
        var results = results(List.of(LIFTED, LIFTED, LIFTED, LIFTED), ALL_OK);
        RelevanceGate gate = new RelevanceGate(
                List.of(
                        RelevanceGate.Band.around("cisi/rrf+ce:ndcg@10:1:0.03"),
                        RelevanceGate.Band.floor("scifact/rrf:ndcg@10:0.9"),
                        RelevanceGate.Band.floor("rrf:ndcg@10:0.4")),
                List.of(RelevanceGate.Gain.of("cisi/rrf+ce:rrf:0.4")));
        assertEquals(
                List.of(
                        "cisi/rrf+ce ndcg@10 in [0.9700, 1.0300]: 1.0000",
                        "cisi/rrf ndcg@10 >= 0.4000: 0.5000",
                        "cisi/gain rrf+ce-rrf ndcg@10 >= +0.4000: +0.5000",
                        "cisi/rrf+ce rerank.status=ok on every query: 0 of 4 not ok",
                        "cisi/rrf+ce top 10 differs from rrf on most queries that trusted the model: unchanged on 0"
                                + " of 4 (at most 50% allowed)"),
                gate.check("cisi", results).stream()
                        .map(RelevanceGate.Verdict::check)
                        .toList());
        // scifact's floor fails on scifact (rrf measures 0.5) and is not checked on cisi
        assertEquals(List.of("scifact/rrf ndcg@10 >= 0.9000: 0.5000"), failed(gate, "scifact", results));
        // a collection no gate applies to is not checked at all, not even its rerank
        RelevanceGate scifactOnly =
                new RelevanceGate(List.of(RelevanceGate.Band.floor("scifact/rrf:ndcg@10:0.4")), List.of());
        assertEquals(List.of(), scifactOnly.check("cisi", results));
        assertEquals(3, scifactOnly.check("scifact", results).size());
        gate.requireCollections(List.of("cisi", "scifact"));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> gate.requireCollections(List.of("scifact", "nfcorpus")));
        assertTrue(e.getMessage(), e.getMessage().contains("a gate names collection cisi, which is not evaluated"));
        RelevanceGate lexicalGain =
                new RelevanceGate(List.of(), List.of(RelevanceGate.Gain.of("lexical+ce:lexical:0")));
        IllegalArgumentException notRun = assertThrows(
                IllegalArgumentException.class,
                () -> lexicalGain.requireMeasured(List.of(EvalMode.RRF, EvalMode.RRF_CE)));
        assertTrue(notRun.getMessage(), notRun.getMessage().contains("lexical"));
    }

    private static List<String> failed(RelevanceGate gate, String collection, Map<EvalMode, ModeResults> results) {
        return gate.check(collection, results).stream()
                .filter(v -> !v.passed())
                .map(RelevanceGate.Verdict::check)
                .toList();
    }
}
