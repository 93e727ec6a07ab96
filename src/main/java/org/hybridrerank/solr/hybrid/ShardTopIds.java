package org.hybridrerank.solr.hybrid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardDoc;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.search.SolrReturnFields;
import org.apache.solr.util.SolrResponseUtil;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankScores;

/**
 * The coordinator's reading of the shards' top-ids responses, shared by both distributed flows (hybrid and plain
 * rerank): each shard's docs in its order with their scores (and score-dependent fields), and the model scores of
 * the docs it reranked; and the page put back into the response once the coordinator has ordered the docs.
 */
final class ShardTopIds {
    private ShardTopIds() {}

    /** Adds every shard's docs to {@code shardDocs} and its reranked docs' scores to {@code modelScores}. */
    static void collect(
            ResponseBuilder rb, ShardRequest sreq, Map<String, ModelScore> modelScores, List<ShardDoc> shardDocs) {
        Set<String> scoreDependent = rb.rsp.getReturnFields().getScoreDependentReturnFields().keySet().stream()
                .filter(field -> !field.equals(SolrReturnFields.SCORE))
                .collect(Collectors.toSet());
        String keyField = rb.req.getSchema().getUniqueKeyField().getName();
        for (ShardResponse srsp : sreq.responses) {
            NamedList<Object> response = DistributedHybrid.responseOf(srsp);
            if (response == null) continue;
            Object scores = response.get(RerankScores.SHARD_SECTION);
            if (scores instanceof Map<?, ?> map) {
                map.forEach((k, v) -> modelScores.put(k.toString(), ModelScore.fromEntry((List<?>) v)));
            } else if (scores instanceof NamedList<?> list) {
                list.forEach(e -> modelScores.put(e.getKey(), ModelScore.fromEntry((List<?>) e.getValue())));
            }
            SolrDocumentList docs =
                    (SolrDocumentList) SolrResponseUtil.getSubsectionFromShardResponse(rb, srsp, "response", true);
            if (docs == null) continue;
            for (int i = 0; i < docs.size(); i++) {
                SolrDocument doc = docs.get(i);
                ShardDoc shardDoc = new ShardDoc();
                shardDoc.id = doc.getFieldValue(keyField);
                shardDoc.shard = srsp.getShard();
                shardDoc.orderInShard = i;
                Object score = doc.getFieldValue(SolrReturnFields.SCORE);
                shardDoc.score = score instanceof Number n ? n.floatValue() : Float.parseFloat(String.valueOf(score));
                if (!scoreDependent.isEmpty()) shardDoc.scoreDependentFields = doc.getSubsetOfFields(scoreDependent);
                shardDocs.add(shardDoc);
            }
        }
    }

    /**
     * Makes docs {@code [offset, offset + rows)} of {@code ordered} the response's page, in that order, keeping the
     * merged response's counts: the shards' docs are then fetched for exactly that page.
     */
    static void installPage(ResponseBuilder rb, List<ShardDoc> ordered) {
        SolrDocumentList merged = rb.getResponseDocs();
        int offset = rb.getSortSpec().getOffset();
        int end = Math.min(ordered.size(), offset + rb.getSortSpec().getCount());
        Map<Object, ShardDoc> resultIds = new HashMap<>();
        SolrDocumentList page = new SolrDocumentList();
        page.setNumFound(merged.getNumFound());
        page.setMaxScore(merged.getMaxScore());
        page.setStart(merged.getStart());
        page.setNumFoundExact(merged.getNumFoundExact());
        for (int i = offset; i < end; i++) {
            ShardDoc doc = ordered.get(i);
            doc.positionInResponse = i - offset;
            resultIds.put(doc.id.toString(), doc);
            page.add(null);
        }
        rb.resultIds = resultIds;
        rb.setResponseDocs(page);
    }
}
