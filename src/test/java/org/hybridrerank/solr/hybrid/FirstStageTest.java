package org.hybridrerank.solr.hybrid;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

/** The first stage's final order and the distinct scores that keep every later Solr merge in it. */
public class FirstStageTest {
    private static FusedCandidate candidate(String key, float score) {
        return new FusedCandidate(key, -1, score, 1, score, 0, 0f);
    }

    @Test
    public void tiedScoresBecomeStrictlyDecreasingByOneUlpEach() {
        float s = 1f / 61;
        List<FusedCandidate> out = FirstStage.strictlyDecreasing(List.of(
                candidate("a", s),
                candidate("b", s),
                candidate("c", s),
                candidate("d", Math.nextDown(s)),
                candidate("e", 0.01f)));
        assertEquals(
                List.of("a", "b", "c", "d", "e"),
                out.stream().map(FusedCandidate::key).toList());
        assertEquals(s, out.get(0).fusedScore(), 0f);
        assertEquals(Math.nextDown(s), out.get(1).fusedScore(), 0f);
        assertEquals(Math.nextDown(Math.nextDown(s)), out.get(2).fusedScore(), 0f);
        // d collided with b's new score and moves down one more step; e is far below and keeps its score
        assertEquals(Math.nextDown(Math.nextDown(Math.nextDown(s))), out.get(3).fusedScore(), 0f);
        assertEquals(0.01f, out.get(4).fusedScore(), 0f);
        for (int i = 1; i < out.size(); i++)
            assertTrue(out.get(i).fusedScore() < out.get(i - 1).fusedScore());
        // the first-stage scores themselves (what [hybrid] shows as lexical_score) are untouched
        assertEquals(s, out.get(2).lexicalScore(), 0f);
    }

    @Test
    public void singleListModesOrderTiesByKey() {
        RankedList lexical = RankedList.of(
                List.of(new RankedList.Hit("z", 1, 2f), new RankedList.Hit("b", 2, 3f), new RankedList.Hit("a", 3, 2f)),
                10);
        HybridParams params = new HybridParams(
                HybridParams.Mode.LEXICAL,
                "text",
                LexicalSyntax.TEXT,
                10,
                null,
                10,
                0,
                60,
                org.hybridrerank.solr.fusion.Normalization.MINMAX,
                1,
                1,
                null);
        List<FusedCandidate> out = FirstStage.rank(params, lexical, RankedList.EMPTY);
        assertEquals(
                List.of("b", "a", "z"), out.stream().map(FusedCandidate::key).toList());
        assertEquals(
                List.of(1, 2, 3), out.stream().map(FusedCandidate::lexicalRank).toList());
        assertEquals(2f, out.get(1).fusedScore(), 0f);
        assertEquals(Math.nextDown(2f), out.get(2).fusedScore(), 0f);
    }

    @Test
    public void mergedShardListsKeepTheGlobalTopN() {
        // two shards' lists, each in its own order: the global list is the best 3 by score, ties by key
        RankedList merged = RankedList.of(
                List.of(
                        new RankedList.Hit("s1-a", -1, 5f), new RankedList.Hit("s1-b", -1, 1f),
                        new RankedList.Hit("s2-a", -1, 4f), new RankedList.Hit("s2-b", -1, 5f)),
                3);
        assertEquals(
                List.of("s1-a", "s2-b", "s2-a"),
                merged.hits().stream().map(RankedList.Hit::key).toList());
    }
}
