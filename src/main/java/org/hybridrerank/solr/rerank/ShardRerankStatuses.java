package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.solr.common.util.NamedList;
import org.hybridrerank.solr.request.RequestContext;

/**
 * On a SolrCloud coordinator: each shard's {@code rerank.status}, merged into the one the client sees. The
 * worst wins (error, then timeout, then partial, then ok, then skipped), and the detail names the shards it came
 * from. Under {@code reRankTimeAllowed} the coordinator's flows then decide the final status from the global
 * coverage ({@link Coverage}): a shard's {@code partial} says only which of its own docs it scored.
 */
public final class ShardRerankStatuses {
    private RerankStatus merged;
    private final List<String> details = new ArrayList<>();

    /** Adds one shard's response header; a shard that did not report (no rank query there) adds nothing. */
    public void add(String shard, NamedList<?> responseHeader) {
        Object label = responseHeader == null ? null : responseHeader.get(RequestContext.STATUS_HEADER);
        if (label == null) return;
        RerankStatus status;
        Object detail = responseHeader.get(RequestContext.DETAIL_HEADER);
        try {
            status = RerankStatus.valueOf(label.toString().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            // a shard on another plugin version: an answer we cannot read is not an answer we can vouch for
            status = RerankStatus.ERROR;
            detail = "unknown rerank.status '" + label + "'";
        }
        if (detail != null) details.add(shard + ": " + detail);
        if (severity(status) > severity(merged)) merged = status;
    }

    private static int severity(RerankStatus status) {
        if (status == null) return -1;
        return switch (status) {
            case SKIPPED -> 0;
            case OK -> 1;
            case PARTIAL -> 2;
            case TIMEOUT -> 3;
            case ERROR -> 4;
        };
    }

    /** Replaces the coordinator's own status (set when it parsed rq) with the merged one. */
    public void report() {
        if (merged == null) return;
        RequestContext.reportRerankStatus(merged, details.isEmpty() ? null : String.join("; ", details));
    }
}
