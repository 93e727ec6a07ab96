package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal Rank Fusion: {@code score(d) = Σ_i w_i / (k + rank_i(d))}, ranks from 1; a list that does not
 * hold {@code d} adds nothing. Ties are broken by the better best rank, then by the lexical list, then by
 * unique key, so the order is a pure function of the input lists.
 */
public final class ReciprocalRankFusion {
  private ReciprocalRankFusion() {}

  public static List<FusedCandidate> fuse(RankedList lexical, RankedList vector, int k, double lexicalWeight, double vectorWeight) {
    Map<String, FusedCandidate.Builder> byKey = new LinkedHashMap<>();
    for (int r = 0; r < lexical.size(); r++) {
      RankedList.Hit hit = lexical.get(r);
      byKey.computeIfAbsent(hit.key(), x -> new FusedCandidate.Builder(hit)).lexical(r + 1, hit.score());
    }
    for (int r = 0; r < vector.size(); r++) {
      RankedList.Hit hit = vector.get(r);
      byKey.computeIfAbsent(hit.key(), x -> new FusedCandidate.Builder(hit)).vector(r + 1, hit.score());
    }
    List<FusedCandidate> fused = new ArrayList<>(byKey.size());
    for (FusedCandidate.Builder b : byKey.values()) {
      double score = 0;
      if (b.lexicalRank > 0) score += lexicalWeight / (k + b.lexicalRank);
      if (b.vectorRank > 0) score += vectorWeight / (k + b.vectorRank);
      fused.add(b.build((float) score));
    }
    fused.sort(ORDER);
    return fused;
  }

  /** Fused score descending; then best rank; then lexical rank; then unique key. */
  static final Comparator<FusedCandidate> ORDER =
      Comparator.comparingDouble((FusedCandidate c) -> -c.fusedScore())
          .thenComparingInt(FusedCandidate::bestRank)
          .thenComparingInt(c -> c.lexicalRank() > 0 ? c.lexicalRank() : Integer.MAX_VALUE)
          .thenComparing(FusedCandidate::key);
}
