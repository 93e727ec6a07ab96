package org.hybridrerank.solr.hybrid;

/**
 * One document of the first stage and how it got there. Ranks start at 1; 0 means "not in that list".
 */
public record FusedCandidate(
    int doc, float fusedScore, int lexicalRank, float lexicalScore, int vectorRank, float vectorScore) {

  int bestRank() {
    int best = Integer.MAX_VALUE;
    if (lexicalRank > 0) best = lexicalRank;
    if (vectorRank > 0) best = Math.min(best, vectorRank);
    return best;
  }

  static final class Builder {
    final int doc;
    int lexicalRank;
    float lexicalScore;
    int vectorRank;
    float vectorScore;

    Builder(int doc) {
      this.doc = doc;
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
      return new FusedCandidate(doc, fused, lexicalRank, lexicalScore, vectorRank, vectorScore);
    }
  }
}
