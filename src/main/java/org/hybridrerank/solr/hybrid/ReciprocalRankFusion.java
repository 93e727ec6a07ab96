package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal Rank Fusion: {@code score(d) = Σ_i w_i / (k + rank_i(d))}, ranks from 1; a list that does not
 * hold {@code d} adds nothing. Ties are broken by the better best rank, then by the lexical list, then by
 * docid, so the order is a pure function of the input lists.
 */
public final class ReciprocalRankFusion {
  private ReciprocalRankFusion() {}

  /** A ranked list: docs in rank order with their scores. */
  public record RankedList(int[] docs, float[] scores) {
    public static final RankedList EMPTY = new RankedList(new int[0], new float[0]);

    public int size() {
      return docs.length;
    }
  }

  public static List<FusedCandidate> fuse(RankedList lexical, RankedList vector, int k, double lexicalWeight, double vectorWeight) {
    Map<Integer, FusedCandidate.Builder> byDoc = new HashMap<>();
    for (int r = 0; r < lexical.size(); r++) {
      byDoc.computeIfAbsent(lexical.docs()[r], FusedCandidate.Builder::new).lexical(r + 1, lexical.scores()[r]);
    }
    for (int r = 0; r < vector.size(); r++) {
      byDoc.computeIfAbsent(vector.docs()[r], FusedCandidate.Builder::new).vector(r + 1, vector.scores()[r]);
    }
    List<FusedCandidate> fused = new ArrayList<>(byDoc.size());
    for (FusedCandidate.Builder b : byDoc.values()) {
      double score = 0;
      if (b.lexicalRank > 0) score += lexicalWeight / (k + b.lexicalRank);
      if (b.vectorRank > 0) score += vectorWeight / (k + b.vectorRank);
      fused.add(b.build((float) score));
    }
    fused.sort(ORDER);
    return fused;
  }

  /** Fused score descending; then best rank; then lexical rank; then docid. */
  static final Comparator<FusedCandidate> ORDER =
      Comparator.comparingDouble((FusedCandidate c) -> -c.fusedScore())
          .thenComparingInt(FusedCandidate::bestRank)
          .thenComparingInt(c -> c.lexicalRank() > 0 ? c.lexicalRank() : Integer.MAX_VALUE)
          .thenComparingInt(FusedCandidate::doc);
}
