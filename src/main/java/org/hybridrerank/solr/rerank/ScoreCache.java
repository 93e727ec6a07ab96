package org.hybridrerank.solr.rerank;

import java.util.List;
import org.apache.solr.search.SolrCache;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.model.ScoringOptions;

/**
 * Raw model scores of (text, doc) pairs, with the passage read, in a Solr user cache of the searcher: a
 * repeated or paged query skips inference, and a commit (a new searcher) drops them with the docids they are
 * keyed by. The key holds everything that decides a raw score and its passage; the score transform and
 * blending are applied after the cache.
 */
final class ScoreCache {
    record Key(
            String model,
            String modelVersion,
            List<String> fields,
            String separator,
            ScoringOptions scoring,
            String text,
            int doc) {}

    private final SolrCache<Key, ModelScore> cache;
    private final RerankParams params;

    private ScoreCache(SolrCache<Key, ModelScore> cache, RerankParams params) {
        this.cache = cache;
        this.params = params;
    }

    /** The cache for this request, or null when it is off (not configured, or scoreCache=false). */
    @SuppressWarnings("unchecked")
    static ScoreCache of(SolrIndexSearcher searcher, String cacheName, RerankParams params) {
        if (cacheName == null || !params.scoreCache()) return null;
        SolrCache<?, ?> cache = searcher.getCache(cacheName);
        return cache == null ? null : new ScoreCache((SolrCache<Key, ModelScore>) cache, params);
    }

    private Key key(int doc) {
        return new Key(
                params.model(),
                params.modelVersion(),
                params.fields(),
                params.fieldSeparator(),
                params.scoring(),
                params.reRankText(),
                doc);
    }

    ModelScore get(int doc) {
        return cache.get(key(doc));
    }

    void put(int doc, ModelScore raw) {
        cache.put(key(doc), raw);
    }
}
