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
 * 500-doc SciFact slice is shuffled so that the judged abstract starts low, and reranking must lift it. The
 * wrong text (wrong fields, wrong query) would leave it where it was; pair order and token types are pinned
 * exactly by the oracle tests, since this model barely uses token types.
 */
public class ScifactWiringTest extends RerankCoreTestCase {
  static final List<String[]> CASES = new ArrayList<>(); // {query id, query text, judged doc id}

  @BeforeClass
  public static void beforeClass() throws Exception {
    initRerankCore("solrconfig.xml", "schema.xml");
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
      // shuffled first pass, judged doc somewhere in the lower half
      List<String> order = new ArrayList<>(top);
      order.remove(c[2]);
      Collections.shuffle(order, random);
      int start = order.size() / 2 + random.nextInt(order.size() - order.size() / 2 + 1);
      order.add(start, c[2]);

      StringBuilder boosts = new StringBuilder();
      for (int i = 0; i < order.size(); i++) {
        boosts.append(boosts.length() == 0 ? "" : " ").append("id:").append(order.get(i)).append("^").append(order.size() - i);
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
    assertTrue("lifted for " + lifted + " of 12:\n" + report, lifted >= 9);
    assertTrue("mean rank " + rankBefore / tested + " -> " + rankAfter / tested + "\n" + report, rankAfter < rankBefore / 2);
  }
}
