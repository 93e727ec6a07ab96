package org.hybridrerank.solr.rerank;

import java.util.Locale;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;

/** What happened to the rerank stage of a request; always reported in the response header. */
public enum RerankStatus {
    /** The top docs were scored by the model and reordered (or came reordered from the result cache). */
    OK,
    /** The time budget ran out: first-stage order returned. */
    TIMEOUT,
    /** Inference or text loading failed: first-stage order returned. */
    ERROR,
    /** Nothing to rerank (no hits, or no rows asked for). */
    SKIPPED;

    public static final String HEADER = "rerank.status";
    public static final String DETAIL_HEADER = "rerank.detail";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Sets (replaces) the status in the current request's response header, if there is one. */
    public void report(String detail) {
        SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
        SolrQueryResponse rsp = info == null ? null : info.getRsp();
        NamedList<Object> header = rsp == null ? null : rsp.getResponseHeader();
        if (header == null) return;
        header.removeAll(HEADER);
        header.removeAll(DETAIL_HEADER);
        header.add(HEADER, label());
        if (detail != null) header.add(DETAIL_HEADER, detail);
    }
}
