package org.hybridrerank.solr.hybrid;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QueryUtils;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.SyntaxError;
import org.hybridrerank.solr.rerank.UniqueKeys;

/** The two first-stage subqueries, run on this node's index under the request's filters. */
final class LocalLists {
    private LocalLists() {}

    /**
     * BM25: edismax over {@code hybrid.qf}, the text read as {@code hybrid.lexical.syntax} says. The shard lists
     * and the term statistics of SolrCloud both come from here, so they always read the text the same way.
     */
    static Query lexicalQuery(ResponseBuilder rb, HybridParams hybrid, String text) {
        return subquery("edismax", hybrid.lexicalSyntax().edismaxInput(text), Map.of("qf", hybrid.qf()), rb.req);
    }

    static RankedList lexical(ResponseBuilder rb, HybridParams hybrid, String text) throws IOException {
        return run(rb, lexicalQuery(rb, hybrid, text), hybrid.lexicalTopN());
    }

    /**
     * The nearest neighbours under the request's filters: exact on an index of at most
     * {@code hybrid.vector.exactMaxDocs} docs, else Solr's HNSW {@code {!knn}} (pre-filtered by fq, topK per
     * index).
     */
    static RankedList vector(ResponseBuilder rb, HybridParams hybrid, float[] queryVector) throws IOException {
        Query query;
        DenseVectorField field = (DenseVectorField)
                rb.req.getSchema().getField(hybrid.vectorField()).getType();
        boolean floats = field.getVectorEncoding() == VectorEncoding.FLOAT32;
        if (floats && rb.req.getSearcher().maxDoc() <= hybrid.vectorExactMaxDocs()) {
            query = ExactVectorQuery.of(hybrid.vectorField(), queryVector);
        } else {
            String vector = vectorString(queryVector);
            query = subquery(
                    "knn",
                    vector,
                    Map.of("f", hybrid.vectorField(), "topK", Integer.toString(hybrid.vectorTopN()), "v", vector),
                    rb.req);
        }
        return run(rb, query, hybrid.vectorTopN());
    }

    /**
     * The best {@code topN} hits, ties at the N-th place cut by unique key: the searcher cuts them by docid,
     * which differs between one index and the shards of a collection, so the list is read past the N-th place
     * until the score drops (one extra hit, as a rule).
     */
    // the filtered getDocList is deprecated for QueryCommand, which would also apply the request's sort and
    // cursor; a first-stage list wants exactly (query, filters, score order)
    @SuppressWarnings("deprecation")
    private static RankedList run(ResponseBuilder rb, Query query, int topN) throws IOException {
        SolrIndexSearcher searcher = rb.req.getSearcher();
        List<Query> filters = filters(rb);
        int fetch = topN + 1;
        int[] docs;
        float[] scores;
        while (true) {
            DocList list = searcher.getDocList(query, filters, null, 0, fetch, SolrIndexSearcher.GET_SCORES);
            docs = new int[list.size()];
            scores = new float[list.size()];
            DocIterator it = list.iterator();
            for (int i = 0; it.hasNext(); i++) {
                docs[i] = it.nextDoc();
                scores[i] = it.score();
            }
            boolean allRead = docs.length < fetch || fetch >= searcher.maxDoc();
            if (allRead || docs.length <= topN || scores[docs.length - 1] < scores[topN - 1]) break;
            fetch = (int) Math.min((long) fetch * 2, searcher.maxDoc());
        }
        String[] keys = UniqueKeys.of(searcher, docs);
        List<RankedList.Hit> hits = new ArrayList<>(docs.length);
        for (int i = 0; i < docs.length; i++) hits.add(new RankedList.Hit(keys[i], docs[i], scores[i]));
        return RankedList.of(hits, topN);
    }

    /**
     * The request's filters. QueryComponent parses fq in its prepare; the SolrCloud lists phase switches that
     * component off (query=false), so there they are parsed here, the same way, and kept for the next list.
     */
    static List<Query> filters(ResponseBuilder rb) {
        if (rb.getFilters() != null) return rb.getFilters();
        try {
            List<Query> parsed = QueryUtils.parseFilterQueries(rb.req);
            if (!parsed.isEmpty()) rb.setFilters(new ArrayList<>(parsed));
            return parsed;
        } catch (SyntaxError e) {
            throw new SolrException(SolrException.ErrorCode.BAD_REQUEST, "parameter 'fq': " + e.getMessage(), e);
        }
    }

    private static Query subquery(String parser, String text, Map<String, String> local, SolrQueryRequest req) {
        ModifiableSolrParams localParams = new ModifiableSolrParams();
        local.forEach(localParams::set);
        try {
            QParser qparser =
                    req.getCore().getQueryPlugin(parser).createParser(text, localParams, req.getParams(), req);
            Query query = qparser.getQuery();
            return query == null ? new MatchNoDocsQuery() : query;
        } catch (SyntaxError e) {
            throw new SolrException(SolrException.ErrorCode.BAD_REQUEST, "hybrid: " + e.getMessage(), e);
        }
    }

    /** JSON array text; {@link Float#toString} so that every node parses back the very same floats. */
    static String vectorString(float[] vector) {
        StringBuilder sb = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) sb.append(',');
            sb.append(Float.toString(vector[i]));
        }
        return sb.append(']').toString();
    }
}
