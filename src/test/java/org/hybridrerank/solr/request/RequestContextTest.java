package org.hybridrerank.solr.request;

import com.carrotsearch.hppc.IntIntHashMap;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.QueryElevationComponent;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.search.QParser;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.stats.StatsSource;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.fusion.FirstStageLists;
import org.hybridrerank.solr.fusion.RankedScores;
import org.hybridrerank.solr.hybrid.HybridParams;
import org.hybridrerank.solr.hybrid.HybridResult;
import org.hybridrerank.solr.rerank.Coverage;
import org.hybridrerank.solr.rerank.CrossEncoderRerankQuery;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankStatus;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The plugin's request-context accessors on real requests of a test core: each reads back what its pair wrote,
 * a fresh request holds none of them, and the rerank.status header keeps only the last report.
 */
public class RequestContextTest extends RerankCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        Map<String, Object[]> docs = new LinkedHashMap<>();
        docs.put("d1", new Object[] {"Vitamin D", "Vitamin D deficiency in adults.", 2f});
        docs.put("d2", new Object[] {"Weather", "Mild weather in Paris.", 1f});
        indexDocs(docs);
    }

    @Test
    public void aFreshRequestHoldsNothingOfOurs() {
        try (SolrQueryRequest req = req("q", "vitamin")) {
            assertNull(RequestContext.hybridParams(req));
            assertNull(RequestContext.distributedHybrid(req));
            assertNull(RequestContext.distributedRerank(req));
            assertNull(RequestContext.hybridResult(req));
            assertFalse(RequestContext.hybridFieldsWanted(req));
            assertNull(RequestContext.firstStageLists(req));
            assertNull(RequestContext.rankQuery(req));
            assertNull(RequestContext.readBackModelScores(req));
            assertNull(RequestContext.elevatedIds(req));
            assertNull(RequestContext.globalWindowPlaces(req));
        }
    }

    @Test
    public void eachAccessorReadsBackWhatItsSetterWrote() throws Exception {
        try (SolrQueryRequest req = req("q", "vitamin")) {
            HybridParams hybrid = HybridParams.resolve(
                    ParamReader.forRequest(params("hybrid.mode", "lexical", "hybrid.qf", "title text"), "hybrid"),
                    1000,
                    "vitamin",
                    req.getSchema());
            HybridResult.Stored result = new HybridResult.Stored(Map.of(), Map.of(3, new ModelScore(0.5f, null)));
            FirstStageLists lists = docs -> List.<RankedScores>of();
            Map<Integer, ModelScore> readBack = Map.of(1, new ModelScore(0.25f, null));
            int before = req.getContext().size();

            RequestContext.setHybridParams(req, hybrid);
            RequestContext.setHybridResult(req, result);
            RequestContext.markHybridFieldsWanted(req);
            RequestContext.setFirstStageLists(req, lists);
            RequestContext.setReadBackModelScores(req, readBack);
            Map<Integer, Integer> places = Map.of(4, 0, 9, 1);
            RequestContext.setGlobalWindowPlaces(req, places);
            // the parser registers its rank query itself
            CrossEncoderRerankQuery query = (CrossEncoderRerankQuery)
                    QParser.getParser("{!crossencoder}", req).parse();

            assertSame(hybrid, RequestContext.hybridParams(req));
            assertSame(result, RequestContext.hybridResult(req));
            assertTrue(RequestContext.hybridFieldsWanted(req));
            assertSame(lists, RequestContext.firstStageLists(req));
            assertSame(readBack, RequestContext.readBackModelScores(req));
            assertSame(query, RequestContext.rankQuery(req));
            assertSame(places, RequestContext.globalWindowPlaces(req));
            // one key each: none overwrote another
            assertEquals(before + 7, req.getContext().size());

            CrossEncoderRerankQuery limited = query.limitedTo(1);
            RequestContext.setRankQuery(req, limited);
            assertSame(limited, RequestContext.rankQuery(req));
        }
    }

    @Test
    public void solrsOwnKeysAreReadAndWrittenWhereSolrLooks() throws Exception {
        try (SolrQueryRequest req = req("q", "vitamin")) {
            // as QueryElevationComponent stores them: the indexed form of the unique keys
            Set<BytesRef> ids = Set.of(new BytesRef("d2"));
            req.getContext().put(QueryElevationComponent.BOOSTED, ids);
            assertSame(ids, RequestContext.elevatedIds(req));
            IntIntHashMap docs = RequestContext.elevatedDocs(req, req.getSearcher(), ids);
            assertEquals(1, docs.size());
            assertTrue(docs.containsKey(req.getSearcher().getFirstMatch(new Term("id", "d2"))));

            StatsSource stats = req.getSearcher().getStatsCache().get(req);
            RequestContext.setStatsSource(req, stats);
            assertSame(stats, req.getContext().get(SolrIndexSearcher.STATS_SOURCE));
        }
    }

    @Test
    public void theStatusHeaderKeepsOnlyTheLastReport() {
        try (SolrQueryRequest req = req("q", "vitamin")) {
            SolrQueryResponse rsp = new SolrQueryResponse();
            NamedList<Object> header = new SimpleOrderedMap<>();
            header.add("status", 0);
            header.add("QTime", 3);
            rsp.addResponseHeader(header);
            SolrRequestInfo.setRequestInfo(new SolrRequestInfo(req, rsp));
            try {
                reportThreeTimes(header);
            } finally {
                SolrRequestInfo.clearRequestInfo();
            }
        }
    }

    private static void reportThreeTimes(NamedList<Object> header) {
        RequestContext.reportRerankStatus(RerankStatus.OK, null);
        assertEquals(List.of("status", "QTime", "rerank.status"), names(header));
        assertEquals("ok", header.get(RequestContext.STATUS_HEADER));

        RequestContext.reportRerankStatus(RerankStatus.ERROR, "InferenceException: boom");
        assertEquals(List.of("status", "QTime", "rerank.status", "rerank.detail"), names(header));
        assertEquals("error", header.get(RequestContext.STATUS_HEADER));
        assertEquals("InferenceException: boom", header.get(RequestContext.DETAIL_HEADER));

        // a later report without a detail leaves none of the earlier one
        RequestContext.reportRerankStatus(RerankStatus.SKIPPED, null);
        assertEquals(List.of("status", "QTime", "rerank.status"), names(header));
        assertEquals("skipped", header.get(RequestContext.STATUS_HEADER));
        assertEquals(RerankStatus.SKIPPED, RequestContext.reportedRerankStatus());

        // partial comes with its coverage, which the next report takes away again
        RequestContext.reportPartialCoverage(new Coverage(16, 20), "reRankTimeAllowed=200 ms was spent");
        assertEquals(List.of("status", "QTime", "rerank.status", "rerank.detail", "rerank.coverage"), names(header));
        assertEquals("partial", header.get(RequestContext.STATUS_HEADER));
        assertEquals("16/20", header.get(RequestContext.COVERAGE_HEADER));
        assertEquals(RerankStatus.PARTIAL, RequestContext.reportedRerankStatus());
        RequestContext.reportRerankStatus(RerankStatus.OK, null);
        assertEquals(List.of("status", "QTime", "rerank.status"), names(header));
    }

    @Test
    public void withoutAResponseHeaderThereIsNothingToReportTo() {
        RequestContext.reportRerankStatus(RerankStatus.OK, null); // no current request
        try (SolrQueryRequest req = req("q", "vitamin")) {
            SolrQueryResponse rsp = new SolrQueryResponse();
            SolrRequestInfo.setRequestInfo(new SolrRequestInfo(req, rsp));
            try {
                RequestContext.reportRerankStatus(RerankStatus.TIMEOUT, "no header");
            } finally {
                SolrRequestInfo.clearRequestInfo();
            }
            assertNull(rsp.getResponseHeader());
        }
    }

    private static List<String> names(NamedList<?> list) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) names.add(list.getName(i));
        return names;
    }
}
