package org.hybridrerank.solr.rerank;

import org.apache.solr.common.util.NamedList;
import org.apache.solr.handler.component.MergeStrategy;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * The SolrCloud side of {@code {!crossencoder}}: when the shards' top ids arrive, their {@code rerank.status}
 * headers become the one the client sees ({@link ShardRerankStatuses}). It leaves merging the ids to Solr (or
 * to the hybrid stage), so a plain distributed rerank needs no other component.
 */
final class ShardStatusMerge implements MergeStrategy {
    @Override
    public void merge(ResponseBuilder rb, ShardRequest sreq) {
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) == 0) return;
        ShardRerankStatuses statuses = new ShardRerankStatuses();
        for (ShardResponse srsp : sreq.responses) {
            // a shard that failed (shards.tolerant=true) reports nothing: its docs are missing, not first-stage ordered
            if (srsp.getException() != null || srsp.getSolrResponse() == null) continue;
            NamedList<Object> response = srsp.getSolrResponse().getResponse();
            if (response != null) statuses.add(srsp.getShard(), (NamedList<?>) response.get("responseHeader"));
        }
        statuses.report();
    }

    @Override
    public boolean mergesIds() {
        return false;
    }

    @Override
    public boolean handlesMergeFields() {
        return false;
    }

    @Override
    public void handleMergeFields(ResponseBuilder rb, SolrIndexSearcher searcher) {}

    @Override
    public int getCost() {
        return 0;
    }
}
