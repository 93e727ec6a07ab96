package org.hybridrerank.solr.rerank;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import org.apache.solr.search.QueryCommand;
import org.apache.solr.search.QueryResultKey;
import org.apache.solr.search.SolrCache;
import org.apache.solr.search.SolrIndexSearcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes a result back out of the searcher's queryResultCache. Solr decides to cache a result before the
 * search runs and stores it after, so a rerank that failed or had nothing to rerank would be stored with its
 * first-stage order; this removes it again at the end of the request. The key is the one Solr builds from the
 * same command. Solr has no public accessor for that cache, hence the field handle; should a future Solr
 * rename the field, the entry stays where it is (its query equals no other request's, so it is never served).
 */
final class QueryResultCacheEntries {
    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
    private static final VarHandle CACHE = cacheField();

    private QueryResultCacheEntries() {}

    private static VarHandle cacheField() {
        try {
            return MethodHandles.privateLookupIn(SolrIndexSearcher.class, MethodHandles.lookup())
                    .findVarHandle(SolrIndexSearcher.class, "queryResultCache", SolrCache.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.info(
                    "cannot reach the queryResultCache of this Solr version; failed reranks stay unservable entries",
                    e);
            return null;
        }
    }

    /** The key Solr's getDocListC uses for this command (its flags and filters as they are now). */
    static QueryResultKey keyOf(QueryCommand cmd) {
        return new QueryResultKey(
                cmd.getQuery(),
                cmd.getFilterList(),
                cmd.getSort(),
                cmd.getFlags(),
                cmd.getMinExactCount(),
                cmd.isDistribStatsDisabled());
    }

    @SuppressWarnings("unchecked")
    static void remove(SolrIndexSearcher searcher, QueryResultKey key) {
        if (CACHE == null) return;
        SolrCache<QueryResultKey, ?> cache = (SolrCache<QueryResultKey, ?>) CACHE.get(searcher);
        if (cache != null) cache.remove(key);
    }
}
