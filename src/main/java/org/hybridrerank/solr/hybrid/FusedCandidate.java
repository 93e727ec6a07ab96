package org.hybridrerank.solr.hybrid;

/**
 * One document of the first stage and how it got there. Ranks start at 1; 0 means "not in that list".
 * {@code doc} is the docid on the searcher that ranked it, or -1 when the candidate came from another node.
 */
public record FusedCandidate(
        String key, int doc, float fusedScore, int lexicalRank, float lexicalScore, int vectorRank, float vectorScore) {

    int bestRank() {
        int best = Integer.MAX_VALUE;
        if (lexicalRank > 0) best = lexicalRank;
        if (vectorRank > 0) best = Math.min(best, vectorRank);
        return best;
    }

    FusedCandidate withFusedScore(float score) {
        return new FusedCandidate(key, doc, score, lexicalRank, lexicalScore, vectorRank, vectorScore);
    }

    FusedCandidate withDoc(int docId) {
        return new FusedCandidate(key, docId, fusedScore, lexicalRank, lexicalScore, vectorRank, vectorScore);
    }

    static final class Builder {
        final String key;
        int doc;
        int lexicalRank;
        float lexicalScore;
        int vectorRank;
        float vectorScore;

        Builder(RankedList.Hit hit) {
            this.key = hit.key();
            this.doc = hit.doc();
        }

        Builder lexical(int rank, float score) {
            lexicalRank = rank;
            lexicalScore = score;
            return this;
        }

        Builder vector(int rank, float score) {
            vectorRank = rank;
            vectorScore = score;
            return this;
        }

        FusedCandidate build(float fused) {
            return new FusedCandidate(key, doc, fused, lexicalRank, lexicalScore, vectorRank, vectorScore);
        }
    }
}
