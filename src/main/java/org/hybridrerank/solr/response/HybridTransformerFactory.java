package org.hybridrerank.solr.response;

import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.transform.DocTransformer;
import org.apache.solr.response.transform.TransformerFactory;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.HybridResult;
import org.hybridrerank.solr.rerank.RerankScores;

/**
 * {@code fl=*,[hybrid]}: how each doc got its place — lexical_rank, lexical_score, vector_rank,
 * vector_score, fused_score from the hybrid first stage (a rank is absent when the doc was not in that list),
 * and ce_score when the cross-encoder reranked it.
 */
public class HybridTransformerFactory extends TransformerFactory {
  @Override
  public DocTransformer create(String field, SolrParams params, SolrQueryRequest req) {
    return new DocTransformer() {
      @Override
      public String getName() {
        return field;
      }

      @Override
      public void transform(SolrDocument doc, int docid) {
        FusedCandidate candidate = HybridResult.of(req, docid);
        if (candidate != null) {
          if (candidate.lexicalRank() > 0) {
            doc.setField("lexical_rank", candidate.lexicalRank());
            doc.setField("lexical_score", candidate.lexicalScore());
          }
          if (candidate.vectorRank() > 0) {
            doc.setField("vector_rank", candidate.vectorRank());
            doc.setField("vector_score", candidate.vectorScore());
          }
          doc.setField("fused_score", candidate.fusedScore());
        }
        Float ce = RerankScores.modelScoreOf(req, docid);
        if (ce != null) doc.setField("ce_score", ce);
      }
    };
  }
}
