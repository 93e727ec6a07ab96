package org.hybridrerank.solr.hybrid;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.metrics.SolrMetricsContext;
import org.hybridrerank.solr.config.Metrics;

/**
 * The first stage in Solr's metrics API (per core, under {@code QUERY.<component name>.*}): timers for
 * embedding the query, the lexical and the vector subquery, and fusion; a counter of hybrid requests (on a
 * SolrCloud coordinator the subqueries run, and are timed, on the shards).
 */
final class HybridMetrics {
    final Timer embed;
    final Timer lexical;
    final Timer vector;
    final Timer fuse;
    final Counter requests;

    private HybridMetrics(Metrics metrics) {
        embed = metrics.timer("embed");
        lexical = metrics.timer("lexical");
        vector = metrics.timer("vector");
        fuse = metrics.timer("fuse");
        requests = metrics.counter("requests");
    }

    static HybridMetrics register(SolrMetricsContext context, String category, String scope) {
        return new HybridMetrics(new Metrics(context, category, scope));
    }

    static HybridMetrics unregistered() {
        return new HybridMetrics(new Metrics(null));
    }

    /** Times a stage into its timer and, under {@code name + "Ms"}, into the request's debug timings. */
    static long time(Timer timer, long startNanos, SimpleOrderedMap<Object> timings, String name) {
        long elapsed = System.nanoTime() - startNanos;
        timer.update(elapsed, TimeUnit.NANOSECONDS);
        timings.add(name + "Ms", elapsed / 1e6);
        return elapsed;
    }
}
