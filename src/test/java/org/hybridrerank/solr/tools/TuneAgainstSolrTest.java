package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.fusion.Normalization;
import org.hybridrerank.solr.hybrid.HybridSearchTest;
import org.hybridrerank.solr.rerank.RerankParams.FusionMethod;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * bin/tune against a real core of the example configset (trained cross-encoder, build's embedder): the rows
 * fetched once replay, offline, the very ranking Solr returns for each configuration sent as a live request.
 */
public class TuneAgainstSolrTest extends ExampleCoreTestCase {
    static final int DEPTH = 4;

    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
        HybridSearchTest.indexTitlesAndTexts(solr);
    }

    @Test
    public void offlineReplayEqualsSolrsRankingForEachConfiguration() throws Exception {
        QueryCandidates fetched = CandidateFetch.fetch(solr, "/hybrid", "q", HybridSearchTest.QUERY, DEPTH);
        int both = 0;
        for (QueryCandidates.Row r : fetched.rows()) if (r.lexicalRank() > 0 && r.vectorRank() > 0) both++;
        assertTrue("the lists overlap only partly: " + fetched.rows(), both > 0 && both < DEPTH);
        assertEquals(DEPTH, fetched.lexical().size());
        assertEquals(DEPTH, fetched.vector().size());

        List<TuneConfig> configs = List.of(
                new TuneConfig(1, 1, 60, 4, FusionMethod.REPLACE, 60, Normalization.MINMAX, 1),
                new TuneConfig(1, 0.25, 10, 5, FusionMethod.REPLACE, 60, Normalization.MINMAX, 1),
                new TuneConfig(0.25, 1, 60, 3, FusionMethod.REPLACE, 60, Normalization.MINMAX, 1),
                new TuneConfig(1, 0.5, 10, 5, FusionMethod.RRF, 10, Normalization.MINMAX, 2),
                new TuneConfig(1, 1, 60, 6, FusionMethod.RRF, 60, Normalization.MINMAX, 0.25),
                new TuneConfig(0.5, 1, 30, 6, FusionMethod.LINEAR, 60, Normalization.ZSCORE, 0.5),
                new TuneConfig(1, 1, 60, 4, FusionMethod.LINEAR, 60, Normalization.MINMAX, 2),
                new TuneConfig(1, 0.5, 60, 5, FusionMethod.LINEAR, 60, Normalization.L2, 1),
                // one list only, the model barely heard: the first-stage weights decide the order
                new TuneConfig(1, 0, 60, 3, FusionMethod.RRF, 60, Normalization.MINMAX, 0.25),
                new TuneConfig(0, 1, 60, 3, FusionMethod.RRF, 60, Normalization.MINMAX, 0.25),
                // the oracle's scores are fractions in [0, 1]: a minimum gap of 2 never trusts it, 0.01 almost always
                new TuneConfig(1, 1, 60, 6, FusionMethod.RRF, 60, Normalization.MINMAX, 2, 2),
                new TuneConfig(1, 1, 60, 6, FusionMethod.RRF, 60, Normalization.MINMAX, 2, 0.01),
                new TuneConfig(1, 1, 60, 6, FusionMethod.REPLACE, 60, Normalization.MINMAX, 1, 2));
        java.util.Set<List<String>> distinct = new java.util.HashSet<>();
        for (TuneConfig config : configs) {
            List<String> offline = OfflineRanking.ranking(config, DEPTH, fetched);
            List<String> live = live(config);
            assertEquals(config.toString(), live, offline);
            distinct.add(live);
        }
        assertTrue("the configurations give different rankings: " + distinct, distinct.size() >= 3);
    }

    /** The ranking Solr returns with {@code config}'s parameters. */
    static List<String> live(TuneConfig config) throws Exception {
        SolrQuery q = new SolrQuery(HybridSearchTest.QUERY);
        for (Map.Entry<String, Object> e : config.params(DEPTH).entrySet())
            q.set(e.getKey(), String.valueOf(e.getValue()));
        q.setFields("id");
        q.setRows(50);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        List<String> ids = new ArrayList<>();
        for (SolrDocument d : request.process(solr).getResults()) ids.add((String) d.getFieldValue("id"));
        return ids;
    }
}
