package org.hybridrerank.solr.hybrid;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.metrics.SolrMetricsContext;

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

  private HybridMetrics(SolrMetricsContext context, String... path) {
    embed = context == null ? new Timer() : context.timer("embed", path);
    lexical = context == null ? new Timer() : context.timer("lexical", path);
    vector = context == null ? new Timer() : context.timer("vector", path);
    fuse = context == null ? new Timer() : context.timer("fuse", path);
    requests = context == null ? new Counter() : context.counter("requests", path);
  }

  static HybridMetrics register(SolrMetricsContext context, String category, String scope) {
    return new HybridMetrics(context, category, scope);
  }

  static HybridMetrics unregistered() {
    return new HybridMetrics(null);
  }

  /** Times a stage into its timer and, under {@code name + "Ms"}, into the request's debug timings. */
  static long time(Timer timer, long startNanos, SimpleOrderedMap<Object> timings, String name) {
    long elapsed = System.nanoTime() - startNanos;
    timer.update(elapsed, TimeUnit.NANOSECONDS);
    timings.add(name + "Ms", elapsed / 1e6);
    return elapsed;
  }
}
