package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.AnalyticsQuery;
import org.apache.solr.search.CollapsingQParserPlugin;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SyntaxError;
import org.hybridrerank.solr.config.ParamReader;

/**
 * Solr reports a malformed {@code rq}, {@code fq}, {@code start} or {@code rows} with the parser's words
 * only ("For input string: ten"); on the handlers this component serves, the 400 names the parameter. rq is
 * checked for its local-params syntax only (the rank query itself is built once, by Solr); each fq is parsed a
 * second time here (microseconds for ordinary filters), since any of its parsers may reject it, and the parsed
 * filters are kept for the hybrid stage's own filter check.
 */
final class RequestSyntax {
    private RequestSyntax() {}

    /** An fq as sent and as parsed. */
    record ParsedFilter(String raw, Query query) {}

    /** Checks the request's syntax; returns its fq, parsed once here for later checks. */
    static List<ParsedFilter> check(SolrQueryRequest req) {
        SolrParams params = req.getParams();
        for (String name : new String[] {CommonParams.START, CommonParams.ROWS}) {
            String raw = params.get(name);
            if (raw == null) continue;
            try {
                Integer.parseInt(raw.trim());
            } catch (NumberFormatException e) {
                throw new SolrException(
                        SolrException.ErrorCode.BAD_REQUEST,
                        "parameter '" + name + "' must be an integer, got '" + ParamReader.abbreviate(raw) + "'");
            }
        }
        String rq = params.get(CommonParams.RQ);
        if (rq != null && !rq.isBlank()) {
            try {
                QueryParsing.getLocalParams(rq, params);
            } catch (SyntaxError e) {
                throw new SolrException(SolrException.ErrorCode.BAD_REQUEST, "parameter 'rq': " + e.getMessage(), e);
            }
        }
        List<ParsedFilter> parsed = new ArrayList<>();
        String[] filters = params.getParams(CommonParams.FQ);
        if (filters != null) {
            for (String fq : filters) {
                if (fq != null && !fq.isBlank()) parsed.add(new ParsedFilter(fq, parse(req, CommonParams.FQ, fq)));
            }
        }
        return parsed;
    }

    /**
     * A collapse (or analytics) post filter picks one doc per group by the main query's score: applied to each
     * first-stage list it would pick by BM25 or by vector similarity, and per shard rather than per index. No
     * answer of that would be the one a user means, so hybrid requests refuse it.
     */
    static void rejectGroupingFilters(List<ParsedFilter> filters) {
        for (ParsedFilter fq : filters) {
            if (fq.query() instanceof CollapsingQParserPlugin.CollapsingPostFilter
                    || fq.query() instanceof AnalyticsQuery) {
                throw new SolrException(
                        SolrException.ErrorCode.BAD_REQUEST,
                        "parameter 'fq': '" + ParamReader.abbreviate(fq.raw())
                                + "' is a collapsing/analytics post filter, which hybrid=true does not support (it "
                                + "would collapse each first-stage list by its own score); allowed: filters that keep "
                                + "or drop each doc on its own (any other fq), or hybrid=false");
            }
        }
    }

    private static Query parse(SolrQueryRequest req, String name, String query) {
        try {
            return QParser.getParser(query, req).getQuery();
        } catch (SyntaxError e) {
            throw new SolrException(
                    SolrException.ErrorCode.BAD_REQUEST, "parameter '" + name + "': " + e.getMessage(), e);
        }
    }
}
