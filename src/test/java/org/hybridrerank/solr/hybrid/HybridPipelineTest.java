package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The whole pipeline of the example configset's /hybrid handler on a 300-doc SciFact slice: embeddings at
 * index time, BM25 + kNN fused with RRF, the trained cross-encoder on the fused top 30.
 */
public class HybridPipelineTest extends ExampleCoreTestCase {
  static final List<String[]> CLAIMS = new ArrayList<>(); // {claim, judged doc id}

  @BeforeClass
  public static void beforeClass() throws Exception {
    initExampleCore(null);
    var scifact = SharedData.scifact();
    Map<String, String> queries = Beir.queries(scifact);
    Set<String> judged = new HashSet<>();
    for (var q : Beir.qrels(scifact, "test").entrySet()) {
      if (CLAIMS.size() == 6) break;
      CLAIMS.add(new String[] {queries.get(q.getKey()), q.getValue().get(0)});
      judged.add(q.getValue().get(0));
    }
    List<Dataset.Doc> docs = new ArrayList<>(Beir.docsById(scifact, judged).values());
    for (Dataset.Doc d : Beir.corpus(scifact, 300).values()) {
      if (docs.size() >= 300) break;
      if (!judged.contains(d.id())) docs.add(d);
    }
    Beir.index(solr, docs, added -> {});
  }

  @Test
  public void hybridPlusCrossEncoderFindsTheJudgedAbstracts() throws Exception {
    int found = 0;
    for (String[] claim : CLAIMS) {
      SolrQuery q = new SolrQuery(claim[0]);
      q.set("rq", "{!crossencoder reRankDocs=30}");
      q.setFields("id", "score", "[hybrid]");
      QueryRequest request = new QueryRequest(q);
      request.setPath("/hybrid");
      QueryResponse rsp = request.process(solr);
      assertEquals("ok", rsp.getHeader().get("rerank.status"));
      List<String> ids = new ArrayList<>();
      float previous = Float.POSITIVE_INFINITY;
      for (SolrDocument d : rsp.getResults()) {
        ids.add((String) d.getFieldValue("id"));
        float ce = (Float) HybridSearchTest.info(d, "ce_score");
        assertEquals("score is the cross-encoder score (replace)", ce, (Float) d.getFieldValue("score"), 1e-6f);
        assertTrue("sorted by ce_score", ce <= previous);
        previous = ce;
        assertNotNull(HybridSearchTest.info(d, "fused_score"));
      }
      assertEquals(10, ids.size());
      if (ids.contains(claim[1])) found++;
    }
    assertTrue("judged abstract in the top 10 for " + found + " of 6 claims", found >= 4);
  }

  @Test
  public void ceScoresAreShownForARepeatedRequestToo() throws Exception {
    for (int i = 0; i < 2; i++) {
      SolrQuery q = new SolrQuery(CLAIMS.get(0)[0]);
      q.set("rq", "{!crossencoder reRankDocs=10}");
      q.setFields("id", "[hybrid]");
      q.setRows(3);
      QueryRequest request = new QueryRequest(q);
      request.setPath("/hybrid");
      SolrDocument top = request.process(solr).getResults().get(0);
      assertNotNull("request " + (i + 1) + ": " + top, HybridSearchTest.info(top, "ce_score"));
    }
  }
}
