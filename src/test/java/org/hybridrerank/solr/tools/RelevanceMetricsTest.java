package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Metric values worked out by hand. */
public class RelevanceMetricsTest {
  @Test
  public void matchesHandComputations() {
    List<String> ranking = List.of("a", "b", "c", "d");
    Map<String, Integer> judged = Map.of("b", 1, "d", 2, "x", 1);
    // DCG@4 = 1/log2(3) + 2/log2(5) = 0.63093 + 0.86135; IDCG = 2/1 + 1/log2(3) + 1/2 = 3.13093
    assertEquals((1 / (Math.log(3) / Math.log(2)) + 2 / (Math.log(5) / Math.log(2))) / (2 + 1 / (Math.log(3) / Math.log(2)) + 0.5),
        RelevanceMetrics.ndcg(ranking, judged, 4), 1e-12);
    assertEquals(0.5, RelevanceMetrics.mrr(ranking, judged, 10), 0);
    assertEquals(0.0, RelevanceMetrics.mrr(ranking, judged, 1), 0);
    assertEquals(2.0 / 3, RelevanceMetrics.recall(ranking, judged, 100), 1e-12);
    assertEquals(1.0 / 3, RelevanceMetrics.recall(ranking, judged, 2), 1e-12);
  }
}
