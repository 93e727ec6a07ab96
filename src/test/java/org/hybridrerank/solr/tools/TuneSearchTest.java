package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.params.SolrParams;
import org.hybridrerank.solr.fusion.Fusion;
import org.hybridrerank.solr.fusion.LinearCombination;
import org.hybridrerank.solr.fusion.Normalization;
import org.hybridrerank.solr.fusion.RankedScores;
import org.hybridrerank.solr.fusion.ReciprocalRank;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.ListFusion;
import org.hybridrerank.solr.hybrid.RankedList;
import org.hybridrerank.solr.rerank.RerankParams.FusionMethod;
import org.junit.Test;

/** bin/tune's offline search on handmade cached rows: no Solr, every expected value worked out by hand. */
public class TuneSearchTest {
    /**
     * Twelve candidates d1..d12, ranked 1..12 in both lists (so the first stage keeps that order), with the given
     * model scores.
     */
    static QueryCandidates sameOrderInBothLists(String qid, float... ce) {
        List<QueryCandidates.Row> rows = new ArrayList<>();
        for (int i = 1; i <= ce.length; i++)
            rows.add(new QueryCandidates.Row("d" + i, i, 100f - i, i, 1f - i / 100f, ce[i - 1]));
        return new QueryCandidates(qid, rows);
    }

    static List<TuneConfig> grid(String... settings) {
        TuneGrid grid = new TuneGrid().set("hybrid.weights=1:1");
        for (String s : settings) grid.set(s);
        return grid.configs(100);
    }

    @Test
    public void aPerfectModelIsTrustedOverAWindowThatMissesTheRelevantDocs() {
        // relevant: d11 and d12, ranked last by the first stage and first by the model
        QueryCandidates q = sameOrderInBothLists("q", -1, -2, -3, -4, -5, -6, -7, -8, -9, -10, 9, 10);
        Map<String, Map<String, Integer>> qrels = Map.of("q", Map.of("d11", 1, "d12", 1));
        List<TuneConfig> configs = grid("reRankDocs=10,20", "fusion=replace,rrf", "rrfK=60", "modelWeight=1");
        GridSearch search = GridSearch.run(configs, 100, List.of(q), qrels);
        GridSearch.Choice best = search.best(GridSearch.all(1));
        // K=10 leaves both outside the window (nDCG 0); K=20 replace puts d12, d11 first (ideal: 1.0); K=20 rrf keeps
        // d1 above d11: 2/61 + 1/63 = 0.0487 > 2/71 + 1/62 = 0.0443
        assertEquals(20, best.config().reRankDocs());
        assertEquals(FusionMethod.REPLACE, best.config().fusion());
        assertEquals(1.0, best.ndcg(), 1e-12);
        for (TuneConfig c : configs) {
            if (c.reRankDocs() == 10) assertEquals(c.toString(), 0.0, search.mean(c, GridSearch.all(1)), 1e-12);
        }
        assertEquals(
                List.of("d12", "d11", "d1"),
                OfflineRanking.ranking(best.config(), 100, q).subList(0, 3));
    }

    @Test
    public void aReversedModelNeverWinsAlone() {
        // relevant: d1, first in both lists and last in the model's view of the window
        QueryCandidates q = sameOrderInBothLists("q", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Map<String, Map<String, Integer>> qrels = Map.of("q", Map.of("d1", 1));
        List<TuneConfig> configs = grid("reRankDocs=10", "fusion=replace,rrf", "rrfK=60", "modelWeight=0,1");
        GridSearch search = GridSearch.run(configs, 100, List.of(q), qrels);
        GridSearch.Choice best = search.best(GridSearch.all(1));
        assertNotEquals(FusionMethod.REPLACE, best.config().fusion());
        assertEquals(1.0, best.ndcg(), 1e-12);
        // replace: d1 ends the window of 10, at rank 10 → 1/log2(11); rrf with weight 1: d1 still first,
        // 2/61 + 1/70 = 0.04707 > d2's 2/62 + 1/69 = 0.04675
        TuneConfig replace = configs.stream()
                .filter(c -> c.fusion() == FusionMethod.REPLACE)
                .findFirst()
                .orElseThrow();
        assertEquals(1 / (Math.log(11) / Math.log(2)), search.mean(replace, GridSearch.all(1)), 1e-12);
        for (TuneConfig c : configs) {
            if (c.fusion() == FusionMethod.RRF)
                assertEquals(c.toString(), 1.0, search.mean(c, GridSearch.all(1)), 1e-12);
        }
        assertEquals(0.0, best.config().modelWeight(), 0); // equal scores go to the first in grid order
    }

    /** Lists that overlap partly, so the first-stage weights and the window's lists both matter. */
    static QueryCandidates overlapping() {
        return new QueryCandidates(
                "q",
                List.of(
                        new QueryCandidates.Row("a", 1, 5.0f, 3, 0.7f, 1f),
                        new QueryCandidates.Row("b", 2, 4.0f, 0, 0f, 3f),
                        new QueryCandidates.Row("c", 3, 3.0f, 1, 0.9f, -1f),
                        new QueryCandidates.Row("d", 4, 2.0f, 0, 0f, 0.5f),
                        new QueryCandidates.Row("e", 0, 0f, 2, 0.8f, 2f),
                        new QueryCandidates.Row("f", 0, 0f, 4, 0.6f, 0f)));
    }

    @Test
    public void eachConfigurationRanksAsTheFusionClassesComposedByHand() {
        RankedList lexical = new RankedList(List.of(hit("a", 5.0f), hit("b", 4.0f), hit("c", 3.0f), hit("d", 2.0f)));
        RankedList vector = new RankedList(List.of(hit("c", 0.9f), hit("e", 0.8f), hit("a", 0.7f), hit("f", 0.6f)));
        Map<String, Float> ce = Map.of("a", 1f, "b", 3f, "c", -1f, "d", 0.5f, "e", 2f, "f", 0f);
        List<TuneConfig> configs = new ArrayList<>();
        for (double[] w : new double[][] {{1, 0.5}, {0.25, 1}}) {
            for (int k : new int[] {3, 4}) {
                configs.add(new TuneConfig(w[0], w[1], 10, k, FusionMethod.REPLACE, 60, Normalization.MINMAX, 1));
                configs.add(new TuneConfig(w[0], w[1], 10, k, FusionMethod.RRF, 30, Normalization.MINMAX, 2));
                for (Normalization n : Normalization.values())
                    configs.add(new TuneConfig(w[0], w[1], 10, k, FusionMethod.LINEAR, 60, n, 0.5));
            }
        }
        Set<List<String>> distinct = new HashSet<>();
        for (TuneConfig c : configs) {
            List<FusedCandidate> first =
                    ListFusion.fuse(lexical, vector, new ReciprocalRank(10), c.lexicalWeight(), c.vectorWeight());
            List<FusedCandidate> window = first.subList(0, c.reRankDocs());
            int n = window.size();
            int[] lr = new int[n], vr = new int[n];
            float[] ls = new float[n], vs = new float[n], model = new float[n];
            for (int i = 0; i < n; i++) {
                lr[i] = window.get(i).lexicalRank();
                ls[i] = window.get(i).lexicalScore();
                vr[i] = window.get(i).vectorRank();
                vs[i] = window.get(i).vectorScore();
                model[i] = ce.get(window.get(i).key());
            }
            double[] finals = new double[n];
            if (c.fusion() == FusionMethod.REPLACE) {
                for (int i = 0; i < n; i++) finals[i] = model[i];
            } else {
                Fusion fusion = c.fusion() == FusionMethod.RRF
                        ? new ReciprocalRank(c.rrfK())
                        : new LinearCombination(c.normalization());
                finals = fusion.fuse(
                        n,
                        List.of(
                                new RankedScores("lexical", c.lexicalWeight(), lr, ls),
                                new RankedScores("vector", c.vectorWeight(), vr, vs),
                                RankedScores.byScore("model", c.modelWeight(), model)));
            }
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < n; i++) order.add(i);
            double[] f = finals;
            order.sort((x, y) -> Double.compare((float) f[y], (float) f[x]));
            List<String> expected = new ArrayList<>();
            for (int i : order) expected.add(window.get(i).key());
            for (FusedCandidate rest : first.subList(n, first.size())) expected.add(rest.key());
            assertEquals(c.toString(), expected, OfflineRanking.ranking(c, 4, overlapping()));
            distinct.add(expected);
        }
        assertTrue("the configurations rank differently: " + distinct, distinct.size() >= 4);
    }

    private static RankedList.Hit hit(String key, float score) {
        return new RankedList.Hit(key, -1, score);
    }

    @Test
    public void foldsAreDeterministicDisjointAndComplete() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 23; i++) ids.add("q" + i);
        List<List<String>> folds = Folds.split(ids, 5);
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new java.util.Random(7));
        assertEquals("the same ids in another order give the same folds", folds, Folds.split(shuffled, 5));
        assertEquals(5, folds.size());
        Set<String> seen = new HashSet<>();
        for (List<String> fold : folds) {
            assertTrue(fold.size() == 4 || fold.size() == 5);
            for (String id : fold) assertTrue("in two folds: " + id, seen.add(id));
        }
        assertEquals(new HashSet<>(ids), seen);
        assertNotEquals("not simply consecutive ids", List.of("q0", "q1", "q10", "q11", "q12"), folds.get(0));
        assertThrows(IllegalArgumentException.class, () -> Folds.split(ids, 1));
        assertThrows(IllegalArgumentException.class, () -> Folds.split(ids, 24));
    }

    @Test
    public void theChoiceOnSomeQueriesIgnoresTheOthers() {
        // q1 wants the model (perfect), q2 does not (reversed): choosing on one or the other picks opposite
        // configurations
        QueryCandidates q1 = sameOrderInBothLists("q1", -1, -2, -3, -4, -5, -6, -7, -8, -9, 10, -11, -12);
        QueryCandidates q2 = sameOrderInBothLists("q2", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        Map<String, Map<String, Integer>> qrels = Map.of("q1", Map.of("d10", 1), "q2", Map.of("d1", 1));
        List<TuneConfig> configs = grid("reRankDocs=10", "fusion=rrf,replace", "rrfK=60", "modelWeight=0");
        GridSearch search = GridSearch.run(configs, 100, List.of(q1, q2), qrels);
        assertEquals(FusionMethod.REPLACE, search.best(List.of(0)).config().fusion());
        assertEquals(FusionMethod.RRF, search.best(List.of(1)).config().fusion());
    }

    @Test
    public void theRqIsWhatThePluginResolves() {
        TuneConfig rrf = new TuneConfig(1, 0.5, 20, 30, FusionMethod.RRF, 10, Normalization.MINMAX, 0.25);
        assertEquals("{!crossencoder reRankDocs=30 fusion=rrf rrfK=10 modelWeight=0.25}", rrf.rq());
        assertEquals(30, rrf.rerank().reRankDocs());
        assertEquals("lexical:1,vector:0.5", rrf.weights());
        TuneConfig linear = new TuneConfig(1, 1, 60, 50, FusionMethod.LINEAR, 60, Normalization.ZSCORE, 2);
        assertEquals("{!crossencoder reRankDocs=50 fusion=linear normalization=zscore modelWeight=2}", linear.rq());
        assertEquals(
                "{!crossencoder reRankDocs=10 fusion=replace}",
                new TuneConfig(1, 1, 60, 10, FusionMethod.REPLACE, 60, Normalization.MINMAX, 1).rq());
        String xml = rrf.solrconfig(100);
        assertTrue(xml, xml.contains("<str name=\"hybrid.weights\">lexical:1,vector:0.5</str>"));
        assertTrue(xml, xml.contains("<int name=\"hybrid.rrf.k\">20</int>"));
        assertTrue(xml, xml.contains("<int name=\"hybrid.lexical.topN\">100</int>"));
        assertTrue(
                xml,
                xml.contains(
                        "<str name=\"rq\">{!crossencoder reRankDocs=30 fusion=rrf rrfK=10 modelWeight=0.25}</str>"));
    }

    @Test
    public void theDefaultGridAndItsLimits() {
        List<TuneConfig> all = new TuneGrid().configs(100);
        // 5 weightings x 1 k x 5 windows x (1 replace + 4x5 rrf + 3x5 linear) x 2 trust gaps
        assertEquals(5 * 5 * 36 * 2, all.size());
        assertEquals(5 * 3 * 36 * 2, new TuneGrid().configs(30).size());
        assertEquals(
                all.size() / 2, all.stream().filter(c -> c.trustGap() == 2.25).count());
        assertTrue(all.stream()
                .filter(c -> c.trustGap() == 2.25)
                .allMatch(c ->
                        c.rq().contains(" trustGap=2.25}") && c.rerank().trust().minGap() == 2.25));
        assertTrue(all.stream().filter(c -> c.trustGap() == 0).noneMatch(c -> c.rq().contains("trustGap")));
        assertThrows(IllegalArgumentException.class, () -> new TuneGrid().set("trustGap=-1"));
        assertTrue(new TuneGrid().configs(30).stream().allMatch(c -> c.reRankDocs() <= 30));
        assertThrows(IllegalArgumentException.class, () -> new TuneGrid().set("fusion=add"));
        assertThrows(IllegalArgumentException.class, () -> new TuneGrid().set("hybrid.weights=0:0"));
        assertThrows(IllegalArgumentException.class, () -> new TuneGrid().set("modelWeight=-1"));
        assertThrows(IllegalArgumentException.class, () -> new TuneGrid().set("window=10"));
    }

    @Test
    public void theFetchRequestScoresEveryCandidate() {
        QueryRequest request = CandidateFetch.request("tidal power", 30, "/hybrid");
        SolrParams p = request.getParams();
        assertEquals("/hybrid", request.getPath());
        assertEquals("tidal power", p.get("q"));
        assertEquals("rrf", p.get("hybrid.mode"));
        assertEquals("30", p.get("hybrid.lexical.topN"));
        assertEquals("30", p.get("hybrid.vector.topN"));
        // the union of two lists of 30 holds at most 60 docs: all returned, all reranked
        assertEquals("60", p.get("rows"));
        assertEquals("{!crossencoder reRankDocs=60 fusion=replace}", p.get("rq"));
        assertEquals("id,[hybrid]", p.get("fl"));
    }

    @Test
    public void incompleteRowsAreRefused() {
        QueryCandidates gap = new QueryCandidates(
                "q",
                List.of(
                        new QueryCandidates.Row("a", 1, 1f, 0, 0f, 0f),
                        new QueryCandidates.Row("b", 3, 1f, 0, 0f, 0f)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, gap::lexical);
        assertTrue(e.getMessage(), e.getMessage().contains("fetched incompletely"));
    }
}
