package org.hybridrerank.solr.fusion;

import java.util.List;
import java.util.Map;

/**
 * The first stage's ranked lists of one request (e.g. lexical and vector): what a fusion of the reranked
 * window combines with the model's ranking. The stage that made the lists stores them in the request context;
 * the rerank reads them from there, knowing nothing of that stage. Ranks are those of the whole lists (in
 * SolrCloud, the global lists), not ranks within the window.
 */
public interface FirstStageLists {
    String KEY = FirstStageLists.class.getName();

    /** Each list as a fusion input over {@code docs} (docids of the request's searcher, the items in order). */
    List<RankedScores> over(int[] docs);

    static void store(Map<Object, Object> requestContext, FirstStageLists lists) {
        requestContext.put(KEY, lists);
    }

    /** The lists of this request, or null when no first stage stored any. */
    static FirstStageLists of(Map<Object, Object> requestContext) {
        return (FirstStageLists) requestContext.get(KEY);
    }
}
