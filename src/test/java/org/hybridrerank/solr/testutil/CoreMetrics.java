package org.hybridrerank.solr.testutil;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metric;
import org.apache.solr.core.SolrCore;

/** Reads one core's metrics from its registry in Solr's metric manager (what /admin/metrics serves). */
public final class CoreMetrics {
  private CoreMetrics() {}

  /** The count of a counter, meter or timer; 0 when it was never registered. */
  public static long count(SolrCore core, String name) {
    Metric metric =
        core.getCoreContainer().getMetricManager().registry(core.getCoreMetricManager().getRegistryName()).getMetrics().get(name);
    return metric instanceof Counting counting ? counting.getCount() : 0;
  }
}
