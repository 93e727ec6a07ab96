package org.hybridrerank.solr.hybrid;

import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.handler.component.ShardRequest;

/**
 * What a request asks of the hybrid stage on this node. On one node (or a coordinator's own pass) the whole
 * first stage runs; a SolrCloud shard serves one step of the coordinator's flow ({@link DistributedHybrid}).
 */
enum ShardPhase {
    /** Not a shard request: run both lists, fuse, install the candidates. */
    ONE_NODE,
    /** Return this shard's lexical and vector lists (global term statistics sent along). */
    LISTS,
    /** Search the coordinator's global candidates that this shard holds (top ids, facet refinement, fields). */
    CANDIDATES,
    /** The coordinator gathers term statistics: make the main query cover the lexical subquery. */
    TERM_STATS,
    /** Fetch fields by id without [hybrid]: no first stage needed. */
    NOTHING;

    static ShardPhase of(SolrParams params) {
        if (params.getBool(ShardMessages.LISTS_PHASE, false)) return LISTS;
        if (params.get(ShardMessages.CANDIDATES) != null) return CANDIDATES;
        if (!params.getBool(ShardParams.IS_SHARD, false)) return ONE_NODE;
        int purpose = params.getInt(ShardParams.SHARDS_PURPOSE, ShardRequest.PURPOSE_GET_TOP_IDS);
        if ((purpose & ShardRequest.PURPOSE_GET_TERM_STATS) != 0) return TERM_STATS;
        if (params.get(ShardParams.IDS) != null) return NOTHING;
        return ONE_NODE;
    }
}
