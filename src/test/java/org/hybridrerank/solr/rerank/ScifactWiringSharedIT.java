package org.hybridrerank.solr.rerank;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The trained SciFact cross-encoder, wired through Solr: for a dozen test claims, the BM25 top 10 of a
 * 500-doc SciFact slice is shuffled with the judged abstract placed in the middle (rank 5 or 6), and reranking
 * must bring it near the top. The wrong text (wrong fields, wrong query) would leave it anywhere; pair order and
 * token types are pinned exactly by the oracle tests, since this model barely uses token types.
 *
 * <p>The bar, and why no broken order passes it. The statistic is the sum over the 12 claims of the judged
 * abstract's rank after reranking, which must be at most 35 (a mean rank of 2.92 of 10). A model ignoring the
 * text puts the judged doc at a rank uniform on 1..10, independently per claim; the sum of 12 such ranks is at
 * most 35 with probability sum_{s<=35} P(S=s) = 7.7e-4, computed exactly by convolving 12 uniform
 * distributions on 1..10 (mean 66, sd 9.9; a sum of 36 would already be 1.1e-3). The first-pass order (a
 * constant score, or a rerank that did not run) leaves every judged doc at rank 5 or 6: sum >= 60; the reversed
 * order puts it at 6 or 5: sum >= 60 again. Both fail with certainty, not only probably.
 *
 * <p>Shared suite (profile shared-suites): needs the trained model and SciFact under ../shared, and fails
 * without them (SharedData.require).
 */
public class ScifactWiringSharedIT extends RerankCoreTestCase {
    static final List<String[]> CASES = new ArrayList<>(); // {query id, query text, judged doc id}

    @BeforeClass
    public static void beforeClass() throws Exception {
        SharedData.require();
        initSharedRerankCore();
        Path scifact = SharedData.scifact();
        Map<String, String> queries = Beir.queries(scifact);
        Map<String, List<String>> qrels = Beir.qrels(scifact, "test");
        Set<String> judged = new HashSet<>();
        for (Map.Entry<String, List<String>> q : qrels.entrySet()) {
            if (CASES.size() == 12) break;
            String doc = q.getValue().get(0);
            CASES.add(new String[] {q.getKey(), queries.get(q.getKey()), doc});
            judged.add(doc);
        }
        List<Dataset.Doc> docs = new ArrayList<>(Beir.docsById(scifact, judged).values());
        for (Dataset.Doc d : Beir.corpus(scifact, 500 - judged.size() + 50).values()) {
            if (docs.size() >= 500) break;
            if (!judged.contains(d.id())) docs.add(d);
        }
        Beir.index(solr, docs, added -> {});
    }

    @AfterClass
    public static void afterClass() throws Exception {
        CASES.clear();
    }

    @Test
    public void rerankingLiftsTheJudgedAbstract() throws Exception {
        Random random = new Random(42);
        int lifted = 0;
        int tested = 0;
        double rankBefore = 0;
        double rankAfter = 0;
        StringBuilder report = new StringBuilder();
        for (String[] c : CASES) {
            SolrQuery bm25 = new SolrQuery(c[1]);
            bm25.set("defType", "edismax");
            bm25.set("qf", "title text");
            bm25.setRows(10);
            bm25.setFields("id");
            List<String> top = CrossEncoderRerankTest.ids(solr.query(bm25));
            if (!top.contains(c[2])) top.set(top.size() - 1, c[2]); // make sure the judged doc is a candidate
            assertEquals("BM25 top 10 for q" + c[0], 10, top.size());
            // shuffled first pass, judged doc in the middle: rank 5 or 6, which the reversed order keeps in the middle
            List<String> order = new ArrayList<>(top);
            order.remove(c[2]);
            Collections.shuffle(order, random);
            order.add(4 + random.nextInt(2), c[2]);

            StringBuilder boosts = new StringBuilder();
            for (int i = 0; i < order.size(); i++) {
                boosts.append(boosts.length() == 0 ? "" : " ")
                        .append("id:")
                        .append(order.get(i))
                        .append("^")
                        .append(order.size() - i);
            }
            SolrQuery q = new SolrQuery(boosts.toString());
            q.set("rq", "{!crossencoder model=minilm reRankDocs=10 reRankText=$claim}");
            q.set("claim", c[1]);
            q.setRows(10);
            q.setFields("id", "score");
            QueryResponse rsp = solr.query(q);
            assertEquals("ok", CrossEncoderRerankTest.status(rsp));
            List<String> reranked = CrossEncoderRerankTest.ids(rsp);
            int before = order.indexOf(c[2]) + 1;
            int after = reranked.indexOf(c[2]) + 1;
            report.append(String.format(java.util.Locale.ROOT, "q%s: %d -> %d%n", c[0], before, after));
            tested++;
            rankBefore += before;
            rankAfter += after;
            if (after < before) lifted++;
        }
        assertEquals(12, tested);
        assertTrue(
                "sum of ranks after reranking " + rankAfter + " > 35 (lifted for " + lifted + " of 12, mean rank "
                        + rankBefore / tested + " -> " + rankAfter / tested + "):\n" + report,
                rankAfter <= 35);
    }
}
