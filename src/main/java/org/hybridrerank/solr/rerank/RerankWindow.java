package org.hybridrerank.solr.rerank;

/**
 * A main query that knows how many of its best docs {@code {!crossencoder}} may rerank. On a SolrCloud
 * shard the hybrid first stage holds only this shard's part of the global top K, so the shard reranks
 * exactly that part instead of its own top K (K inferences in all, not K per shard).
 */
public interface RerankWindow {
    /** Docs to rerank at most, or -1 for no limit beyond {@code reRankDocs}. */
    int rerankWindow();
}
