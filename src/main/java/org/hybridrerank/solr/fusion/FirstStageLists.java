package org.hybridrerank.solr.fusion;

import java.util.List;

/**
 * The first stage's ranked lists of one request (e.g. lexical and vector): what a fusion of the reranked
 * window combines with the model's ranking. The stage that made the lists stores them in the request context
 * (through RequestContext, so that this package knows nothing of Solr); the rerank reads them from there, knowing
 * nothing of that stage. Ranks are those of the whole lists (in SolrCloud, the global lists), not ranks within
 * the window.
 */
public interface FirstStageLists {
    /** Each list as a fusion input over {@code docs} (docids of the request's searcher, the items in order). */
    List<RankedScores> over(int[] docs);
}
