package org.hybridrerank.solr.rerank;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.request.LocalSolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;
import org.hybridrerank.solr.request.RequestContext;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/** The coordinator's merge of the shards' rerank.status: the worst wins, and the detail names the shard. */
public class ShardRerankStatusesTest {
    private SolrQueryResponse rsp;

    @SuppressWarnings("deprecation") // LocalSolrQueryRequest: the lightest real request Solr offers a unit test
    @Before
    public void request() {
        rsp = new SolrQueryResponse();
        rsp.addResponseHeader(new SimpleOrderedMap<>()); // as SearchHandler gives every response
        SolrRequestInfo.setRequestInfo(
                new SolrRequestInfo(new LocalSolrQueryRequest(null, new ModifiableSolrParams()), rsp));
        RequestContext.reportRerankStatus(RerankStatus.OK, null); // what the coordinator's own parse reported
    }

    @After
    public void clear() {
        SolrRequestInfo.clearRequestInfo();
    }

    private static NamedList<Object> header(String status, String detail) {
        NamedList<Object> header = new SimpleOrderedMap<>();
        if (status != null) header.add(RequestContext.STATUS_HEADER, status);
        if (detail != null) header.add(RequestContext.DETAIL_HEADER, detail);
        return header;
    }

    private String merged(String shard1, String shard2) {
        ShardRerankStatuses statuses = new ShardRerankStatuses();
        statuses.add("s1", header(shard1, null));
        statuses.add("s2", header(shard2, null));
        statuses.report();
        return (String) rsp.getResponseHeader().get(RequestContext.STATUS_HEADER);
    }

    @Test
    public void theWorstStatusWins() {
        assertEquals("ok", merged("ok", "skipped"));
        assertEquals("skipped", merged("skipped", "skipped"));
        assertEquals("timeout", merged("ok", "timeout"));
        assertEquals("error", merged("timeout", "error"));
        assertEquals("error", merged("error", "ok"));
        assertEquals("partial", merged("ok", "partial"));
        assertEquals("timeout", merged("partial", "timeout"));
        assertEquals("error", merged("partial", "error"));
    }

    @Test
    public void theDetailNamesTheShard() {
        ShardRerankStatuses statuses = new ShardRerankStatuses();
        statuses.add("http://node1/shard1", header("ok", null));
        statuses.add("http://node2/shard2", header("error", "InferenceException: batch 3 of 3"));
        statuses.report();
        assertEquals("error", rsp.getResponseHeader().get(RequestContext.STATUS_HEADER));
        assertEquals(
                "http://node2/shard2: InferenceException: batch 3 of 3",
                rsp.getResponseHeader().get(RequestContext.DETAIL_HEADER));
    }

    @Test
    public void anUnreadableStatusIsAnErrorAndShardsWithoutOneAddNothing() {
        ShardRerankStatuses statuses = new ShardRerankStatuses();
        statuses.add("s1", header("ok", null));
        statuses.add("s2", header(null, null));
        statuses.add("s3", header("maybe", null));
        statuses.report();
        assertEquals("error", rsp.getResponseHeader().get(RequestContext.STATUS_HEADER));
        String detail = (String) rsp.getResponseHeader().get(RequestContext.DETAIL_HEADER);
        assertTrue(detail, detail.startsWith("s3: unknown rerank.status 'maybe'"));
    }

    @Test
    public void noShardReportingLeavesTheCoordinatorsStatus() {
        new ShardRerankStatuses().report();
        assertEquals("ok", rsp.getResponseHeader().get(RequestContext.STATUS_HEADER));
        assertNull(rsp.getResponseHeader().get(RequestContext.DETAIL_HEADER));
    }
}
