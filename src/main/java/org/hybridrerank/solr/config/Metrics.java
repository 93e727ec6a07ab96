package org.hybridrerank.solr.config;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import org.apache.solr.metrics.SolrMetricsContext;

/**
 * Timers and counters in a plugin's metrics context, or free-standing ones (counted, shown nowhere) until Solr
 * registers the plugin, so that code can always record without checking.
 */
public final class Metrics {
    private final SolrMetricsContext context;
    private final String[] path;

    /** @param context null for free-standing metrics */
    public Metrics(SolrMetricsContext context, String... path) {
        this.context = context;
        this.path = path;
    }

    public Timer timer(String name) {
        return context == null ? new Timer() : context.timer(name, path);
    }

    public Counter counter(String name) {
        return context == null ? new Counter() : context.counter(name, path);
    }
}
