package org.hybridrerank.solr.rerank;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import org.apache.solr.metrics.SolrMetricsContext;
import org.hybridrerank.solr.config.Metrics;
import org.hybridrerank.solr.model.ScoringStats;

/**
 * The rerank stage in Solr's metrics API (per core, under {@code QUERYPARSER.<parser name>.*}): timers for
 * loading text, tokenizing and inference; counters of reranks, partial reranks ({@code reRankTimeAllowed}), pairs
 * scored, score cache hits and misses, timeouts, errors, and reranks whose model ranking {@code trustGap} left out.
 */
final class RerankMetrics {
    final Timer loadText;
    final Timer tokenize;
    final Timer inference;
    /** Reranks that ranked the whole window. */
    final Counter reranks;
    /** Reranks that ranked only the prefix {@code reRankTimeAllowed} let the model score (status partial). */
    final Counter partials;

    final Counter pairsScored;
    final Counter cacheHits;
    final Counter cacheMisses;
    final Counter timeouts;
    final Counter errors;
    /** Reranks whose model ranking was left out by {@code trustGap} (status ok, first-stage order kept). */
    final Counter untrusted;

    private RerankMetrics(Metrics metrics) {
        loadText = metrics.timer("loadText");
        tokenize = metrics.timer("tokenize");
        inference = metrics.timer("inference");
        reranks = metrics.counter("reranks");
        partials = metrics.counter("partials");
        pairsScored = metrics.counter("pairsScored");
        cacheHits = metrics.counter("scoreCacheHits");
        cacheMisses = metrics.counter("scoreCacheMisses");
        timeouts = metrics.counter("timeouts");
        errors = metrics.counter("errors");
        untrusted = metrics.counter("untrusted");
    }

    static RerankMetrics register(SolrMetricsContext context, String category, String scope) {
        return new RerankMetrics(new Metrics(context, category, scope));
    }

    /** Until Solr registers the plugin (and in code that runs outside a core): counted, but nowhere shown. */
    static RerankMetrics unregistered() {
        return new RerankMetrics(new Metrics(null));
    }

    /**
     * A rerank that ranked its window.
     *
     * @param complete whether it ranked the whole window ({@code reranks}), or its scored prefix ({@code partials})
     */
    void succeeded(long loadNanos, ScoringStats stats, int cacheHitCount, int cacheMissCount, boolean complete) {
        (complete ? reranks : partials).inc();
        loadText.update(loadNanos, TimeUnit.NANOSECONDS);
        if (stats.passages() > 0) {
            tokenize.update(stats.tokenizeNanos(), TimeUnit.NANOSECONDS);
            inference.update(stats.inferenceNanos(), TimeUnit.NANOSECONDS);
        }
        pairsScored.inc(stats.passages());
        cacheHits.inc(cacheHitCount);
        cacheMisses.inc(cacheMissCount);
    }
}
