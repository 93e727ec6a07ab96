package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.util.NamedList;

/**
 * bin/tune's one request per query: both first-stage lists {@code depth} deep and every candidate (their
 * union, at most twice the depth) returned with its [hybrid] ranks and scores and a cross-encoder score. With
 * the whole union scored, any first-stage weighting and any window up to the depth can be replayed exactly.
 */
final class CandidateFetch {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CandidateFetch() {}

    /** The request: RRF first stage (its weights do not change which docs are candidates), all candidates reranked. */
    static QueryRequest request(String text, int depth, String handler) {
        int candidates = 2 * depth;
        SolrQuery q = new SolrQuery(text);
        q.set("hybrid", true);
        q.set("hybrid.mode", "rrf");
        q.set("hybrid.lexical.topN", depth);
        q.set("hybrid.vector.topN", depth);
        q.set("rq", "{!crossencoder reRankDocs=" + candidates + " fusion=replace}");
        q.setRows(candidates);
        q.setFields("id", "[hybrid]");
        QueryRequest request = new QueryRequest(q);
        request.setPath(handler);
        return request;
    }

    static QueryCandidates fetch(SolrClient solr, String handler, String qid, String text, int depth)
            throws IOException, SolrServerException {
        return parse(qid, request(text, depth, handler).process(solr));
    }

    /** The response's rows; a candidate without a model score (the rerank failed or was cut short) is an error. */
    static QueryCandidates parse(String qid, QueryResponse rsp) {
        List<QueryCandidates.Row> rows = new ArrayList<>();
        for (SolrDocument d : rsp.getResults()) {
            String id = String.valueOf(d.getFieldValue("id"));
            Object ce = field(d, "ce_score");
            if (ce == null) {
                throw new IllegalStateException(
                        "query " + qid + ": doc " + id + " came back without ce_score (rerank.status="
                                + rsp.getHeader().get("rerank.status")
                                + "); bin/tune needs the cross-encoder score of every candidate");
            }
            rows.add(new QueryCandidates.Row(
                    id,
                    intField(d, "lexical_rank"),
                    floatField(d, "lexical_score"),
                    intField(d, "vector_rank"),
                    floatField(d, "vector_score"),
                    ((Number) ce).floatValue()));
        }
        QueryCandidates query = new QueryCandidates(qid, List.copyOf(rows));
        query.lexical(); // ranks 1..n in each list, or the fetch was incomplete
        query.vector();
        return query;
    }

    private static Object field(SolrDocument d, String key) {
        Object info = d.getFieldValue("[hybrid]");
        if (info instanceof NamedList<?> nl) return nl.get(key);
        if (info instanceof Map<?, ?> map) return map.get(key);
        return null;
    }

    private static int intField(SolrDocument d, String key) {
        Object v = field(d, key);
        return v == null ? 0 : ((Number) v).intValue();
    }

    private static float floatField(SolrDocument d, String key) {
        Object v = field(d, key);
        return v == null ? 0f : ((Number) v).floatValue();
    }

    /** What a cache file holds: where the rows came from, and the rows of each query. */
    record CacheFile(
            String solr,
            String collection,
            String handler,
            int depth,
            Map<String, List<QueryCandidates.Row>> queries) {}

    static void write(Path file, CacheFile cache) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), cache);
    }

    /** The cached rows of {@code qids}, or null when the file is absent, was made otherwise, or lacks a query. */
    static Map<String, QueryCandidates> read(
            Path file, String solr, String collection, String handler, int depth, List<String> qids)
            throws IOException {
        if (!Files.isRegularFile(file)) return null;
        CacheFile cache = JSON.readValue(file.toFile(), CacheFile.class);
        if (!cache.solr().equals(solr)
                || !cache.collection().equals(collection)
                || !cache.handler().equals(handler)
                || cache.depth() != depth) {
            return null;
        }
        Map<String, QueryCandidates> out = new LinkedHashMap<>();
        for (String qid : qids) {
            List<QueryCandidates.Row> rows = cache.queries().get(qid);
            if (rows == null) return null;
            out.put(qid, new QueryCandidates(qid, rows));
        }
        return out;
    }
}
