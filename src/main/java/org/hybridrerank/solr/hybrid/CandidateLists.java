package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.fusion.FirstStageLists;
import org.hybridrerank.solr.fusion.RankedScores;

/**
 * The lexical and vector lists behind the first-stage candidates, as fusion inputs for the rerank window:
 * the lists the mode used, with the request's weights, each doc's rank and score in them.
 */
public final class CandidateLists implements FirstStageLists {
  private final HybridParams hybrid;
  private final Map<Integer, FusedCandidate> byDoc;

  CandidateLists(HybridParams hybrid, Map<Integer, FusedCandidate> byDoc) {
    this.hybrid = hybrid;
    this.byDoc = byDoc;
  }

  @Override
  public List<RankedScores> over(int[] docs) {
    List<FusedCandidate> window = new ArrayList<>(docs.length);
    for (int doc : docs) window.add(byDoc.get(doc));
    return inputs(hybrid, window);
  }

  /**
   * The fusion inputs over {@code window} (null entries: docs that are no candidates, in no list). Public so
   * that offline tuning (bin/tune) builds the window's lists with this very function.
   */
  public static List<RankedScores> inputs(HybridParams hybrid, List<FusedCandidate> window) {
    int n = window.size();
    List<RankedScores> lists = new ArrayList<>(2);
    if (hybrid.mode().usesLexical()) {
      int[] ranks = new int[n];
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        FusedCandidate c = window.get(i);
        if (c != null && c.lexicalRank() > 0) {
          ranks[i] = c.lexicalRank();
          scores[i] = c.lexicalScore();
        }
      }
      lists.add(new RankedScores("lexical", hybrid.mode().usesVector() ? hybrid.lexicalWeight() : 1.0, ranks, scores));
    }
    if (hybrid.mode().usesVector()) {
      int[] ranks = new int[n];
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        FusedCandidate c = window.get(i);
        if (c != null && c.vectorRank() > 0) {
          ranks[i] = c.vectorRank();
          scores[i] = c.vectorScore();
        }
      }
      lists.add(new RankedScores("vector", hybrid.mode().usesLexical() ? hybrid.vectorWeight() : 1.0, ranks, scores));
    }
    return lists;
  }
}
