package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.List;

/**
 * The first stage's final ranking, from the lexical and the vector list, whatever the mode: fused (RRF or linear) from
 * both, or one list with its own scores. The same function runs on a single node and on a SolrCloud coordinator.
 */
public final class FirstStage {
    private FirstStage() {}

    /**
     * Candidates in rank order, with strictly decreasing scores: a score equal to (or, by float rounding,
     * above) its predecessor's is lowered to the next float below it. Every later merge in Solr orders by
     * score (the collector, then the coordinator across shards) and breaks ties by docid or shard, which
     * differ between a one-node index and a sharded one; with distinct scores they all keep this order.
     * The change is one ulp per tied neighbour (about 2e-9 for RRF scores). Public so that offline tuning
     * (bin/tune) ranks cached lists with this very function.
     */
    public static List<FusedCandidate> rank(HybridParams hybrid, RankedList lexical, RankedList vector) {
        List<FusedCandidate> ranked =
                switch (hybrid.mode()) {
                    case RRF, LINEAR ->
                        ListFusion.fuse(
                                lexical, vector, hybrid.fusion(), hybrid.lexicalWeight(), hybrid.vectorWeight());
                    case LEXICAL -> single(true, lexical);
                    case VECTOR -> single(false, vector);
                };
        return strictlyDecreasing(ranked);
    }

    private static List<FusedCandidate> single(boolean isLexical, RankedList list) {
        List<FusedCandidate> out = new ArrayList<>(list.size());
        for (int r = 0; r < list.size(); r++) {
            RankedList.Hit hit = list.get(r);
            out.add(
                    isLexical
                            ? new FusedCandidate(hit.key(), hit.doc(), hit.score(), r + 1, hit.score(), 0, 0f)
                            : new FusedCandidate(hit.key(), hit.doc(), hit.score(), 0, 0f, r + 1, hit.score()));
        }
        return out;
    }

    static List<FusedCandidate> strictlyDecreasing(List<FusedCandidate> ranked) {
        List<FusedCandidate> out = new ArrayList<>(ranked.size());
        float previous = Float.POSITIVE_INFINITY;
        for (FusedCandidate c : ranked) {
            float score = c.fusedScore() < previous ? c.fusedScore() : Math.nextDown(previous);
            out.add(score == c.fusedScore() ? c : c.withFusedScore(score));
            previous = score;
        }
        return out;
    }
}
