package org.hybridrerank.solr.response;

import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.transform.DocTransformer;
import org.apache.solr.response.transform.TransformerFactory;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.HybridResult;
import org.hybridrerank.solr.rerank.RerankScores;

/**
 * {@code fl=*,[hybrid]}: how each doc got its place, as one field named after the transformer holding
 * lexical_rank, lexical_score, vector_rank, vector_score, fused_score from the hybrid first stage (a rank is
 * absent when the doc was not in that list) and ce_score when the cross-encoder reranked it.
 */
public class HybridTransformerFactory extends TransformerFactory {
  @Override
  public DocTransformer create(String field, SolrParams params, SolrQueryRequest req) {
    HybridResult.markWanted(req);
    return new DocTransformer() {
      @Override
      public String getName() {
        return field;
      }

      @Override
      public void transform(SolrDocument doc, int docid) {
        SimpleOrderedMap<Object> info = new SimpleOrderedMap<>();
        FusedCandidate candidate = HybridResult.of(req, docid);
        if (candidate != null) {
          if (candidate.lexicalRank() > 0) {
            info.add("lexical_rank", candidate.lexicalRank());
            info.add("lexical_score", candidate.lexicalScore());
          }
          if (candidate.vectorRank() > 0) {
            info.add("vector_rank", candidate.vectorRank());
            info.add("vector_score", candidate.vectorScore());
          }
          info.add("fused_score", candidate.fusedScore());
        }
        Float ce = RerankScores.modelScoreOf(req, docid);
        if (ce == null) ce = HybridResult.forwardedModelScore(req, docid);
        if (ce != null) info.add("ce_score", ce);
        doc.setField(field, info);
      }
    };
  }
}
