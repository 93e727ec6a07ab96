package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.solr.common.MapWriter;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.request.RequestContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per request: the model score of each reranked doc and the passage it read, for doc transformers and for the
 * SolrCloud coordinator. When the result came from the queryResultCache the rescorer did not run; the scores of
 * the reranked docs on the page are then read back (score cache, else the model), once per request.
 */
public final class RerankScores {
    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
    /**
     * Shard response section: model scores of this shard's reranked docs, by unique key, each as
     * {@code [score, start, end]} ({@code [score]} where no single passage was read).
     */
    public static final String SHARD_SECTION = "rerank.modelScores";

    /**
     * Shard request parameter of a plain {@code {!crossencoder}} on SolrCloud: the coordinator's global window (the
     * unique keys of the global first-pass top K), of which a shard reranks only the docs it holds.
     */
    public static final String SHARD_WINDOW = "rerank.shard.window";
    /** Shard request parameter of the hybrid stage: the coordinator's global candidates and rerank window. */
    public static final String HYBRID_CANDIDATES = "hybrid.shard.candidates";

    private RerankScores() {}

    static void register(SolrQueryRequest req, CrossEncoderRerankQuery query) {
        RequestContext.setRankQuery(req, query);
    }

    /**
     * Replaces this request's rank query by {@code query} (one of the same request, e.g.
     * {@link CrossEncoderRerankQuery#limitedTo}), for the doc transformers and the shard response.
     */
    public static void replace(SolrQueryRequest req, CrossEncoderRerankQuery query) {
        register(req, query);
    }

    /** Whether this request parsed a {@code {!crossencoder}} rank query. */
    public static boolean present(SolrQueryRequest req) {
        return RequestContext.rankQuery(req) != null;
    }

    /** The model score of a doc of this request's searcher, or null if it was not reranked. */
    public static ModelScore modelScoreOf(SolrQueryRequest req, int docId) {
        return modelScores(req).get(docId);
    }

    /** The settings of this request's {@code {!crossencoder}} (fields and separator of the model text), or null. */
    public static RerankParams paramsOf(SolrQueryRequest req) {
        CrossEncoderRerankQuery query = RequestContext.rankQuery(req);
        return query == null ? null : query.params();
    }

    /** Model score by docid of every doc this request reranked (those of the page, on a cache hit). */
    static Map<Integer, ModelScore> modelScores(SolrQueryRequest req) {
        CrossEncoderRerankQuery query = RequestContext.rankQuery(req);
        if (query == null) return Map.of();
        if (query.state().attempted()) return query.state().modelScores();
        Map<Integer, ModelScore> readBack = RequestContext.readBackModelScores(req);
        if (readBack == null) {
            readBack = readBack(req, query);
            RequestContext.setReadBackModelScores(req, readBack);
        }
        return readBack;
    }

    private static Map<Integer, ModelScore> readBack(SolrQueryRequest req, CrossEncoderRerankQuery query) {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        ResponseBuilder rb = info == null ? null : info.getResponseBuilder();
        // a field-fetching shard request looks docs up by id: no ranking there to place them in
        if (rb == null
                || rb.getResults() == null
                || rb.getResults().docList == null
                || req.getParams().get(ShardParams.IDS) != null) {
            return Map.of();
        }
        DocList page = rb.getResults().docList;
        int[] docs = new int[page.size()];
        int[] positions = new int[page.size()];
        DocIterator it = page.iterator();
        for (int i = 0; it.hasNext(); i++) {
            docs[i] = it.nextDoc();
            positions[i] = page.offset() + i;
        }
        try {
            return query.modelScoresServedFromCache(req.getSearcher(), docs, positions);
        } catch (IOException | RuntimeException e) {
            log.warn("cannot read back the model scores of a cached rerank: {}", e.toString());
            return new HashMap<>();
        }
    }

    /**
     * A response section, filled when the response is written (after the search): the model score of every
     * doc this request reranked, with its passage, by unique key, for the coordinator's [hybrid] fields.
     */
    public static MapWriter byKeySection(SolrQueryRequest req) {
        return writer -> {
            for (Map.Entry<String, ModelScore> e :
                    byKey(req.getSearcher(), modelScores(req)).entrySet()) {
                writer.put(e.getKey(), e.getValue().toEntry());
            }
        };
    }

    private static Map<String, ModelScore> byKey(SolrIndexSearcher searcher, Map<Integer, ModelScore> byDoc)
            throws IOException {
        int[] docs = byDoc.keySet().stream().mapToInt(Integer::intValue).toArray();
        String[] keys = UniqueKeys.of(searcher, docs);
        Map<String, ModelScore> out = new LinkedHashMap<>();
        for (int i = 0; i < docs.length; i++) out.put(keys[i], byDoc.get(docs[i]));
        return out;
    }
}
