package org.hybridrerank.solr.testutil;

import com.codahale.metrics.Counting;
import com.codahale.metrics.Metric;
import org.apache.solr.core.SolrCore;

/** Reads one core's metrics from its registry in Solr's metric manager (what /admin/metrics serves). */
public final class CoreMetrics {
    private CoreMetrics() {}

    /**
     * One statistic of a searcher cache of the core's current searcher (e.g. "hits", "size", "inserts" of
     * "queryResultCache"), as the CACHE.searcher.NAME metric reports it.
     */
    public static long cacheStat(SolrCore core, String cache, String stat) {
        Metric metric = core.getCoreContainer()
                .getMetricManager()
                .registry(core.getCoreMetricManager().getRegistryName())
                .getMetrics()
                .get("CACHE.searcher." + cache);
        if (!(metric instanceof com.codahale.metrics.Gauge<?> gauge)
                || !(gauge.getValue() instanceof java.util.Map<?, ?> stats)) {
            throw new AssertionError("no cache metric CACHE.searcher." + cache);
        }
        return ((Number) stats.get(stat)).longValue();
    }

    /** The count of a counter, meter or timer; 0 when it was never registered. */
    public static long count(SolrCore core, String name) {
        Metric metric = core.getCoreContainer()
                .getMetricManager()
                .registry(core.getCoreMetricManager().getRegistryName())
                .getMetrics()
                .get(name);
        return metric instanceof Counting counting ? counting.getCount() : 0;
    }
}
