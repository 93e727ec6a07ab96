package org.hybridrerank.solr.response;

import java.io.IOException;
import java.util.List;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.transform.DocTransformer;
import org.apache.solr.response.transform.TransformerFactory;
import org.hybridrerank.solr.hybrid.FusedCandidate;
import org.hybridrerank.solr.hybrid.HybridResult;
import org.hybridrerank.solr.model.PassageSpan;
import org.hybridrerank.solr.rerank.DocumentText;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankParams;
import org.hybridrerank.solr.rerank.RerankScores;

/**
 * {@code fl=*,[hybrid]}: how each doc got its place, as one field named after the transformer holding
 * lexical_rank, lexical_score, vector_rank, vector_score, fused_score from the hybrid first stage (a rank is
 * absent when the doc was not in that list), and when the cross-encoder reranked it ce_score and, where the
 * model read one passage (longDocs=truncate or best), ce_passage: {@code [start, end)} in the model text; when the
 * model has a calibration, ce_confidence: the calibrated probability of relevance of ce_score.
 * {@code [hybrid passageText=true]} adds that passage itself as ce_passage_text, for readers that do not know
 * which fields and separator make the model text; it reads the doc's fields again, so it is off by default.
 */
public class HybridTransformerFactory extends TransformerFactory {
    static final String PASSAGE_TEXT = "passageText";

    @Override
    public DocTransformer create(String field, SolrParams params, SolrQueryRequest req) {
        HybridResult.markWanted(req);
        boolean passageText = passageTextWanted(params);
        return new DocTransformer() {
            @Override
            public String getName() {
                return field;
            }

            // the two-argument transform is what Solr 9 calls; its replacement takes a score we do not need
            @SuppressWarnings("deprecation")
            @Override
            public void transform(SolrDocument doc, int docid) throws IOException {
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
                ModelScore ce = RerankScores.modelScoreOf(req, docid);
                if (ce == null) ce = HybridResult.forwardedModelScore(req, docid);
                if (ce != null) {
                    info.add("ce_score", ce.score());
                    RerankParams rerank = RerankScores.paramsOf(req);
                    Double confidence = rerank == null ? null : rerank.confidence(ce.score());
                    if (confidence != null) info.add("ce_confidence", confidence);
                    PassageSpan passage = ce.passage();
                    if (passage != null) {
                        info.add("ce_passage", List.of(passage.start(), passage.end()));
                        String text = passageText ? passageText(req, docid, passage) : null;
                        if (text != null) info.add("ce_passage_text", text);
                    }
                }
                doc.setField(field, info);
            }
        };
    }

    private static boolean passageTextWanted(SolrParams params) {
        String value = params == null ? null : params.get(PASSAGE_TEXT);
        if (value == null || value.equals("false")) return false;
        if (value.equals("true")) return true;
        throw new SolrException(
                SolrException.ErrorCode.BAD_REQUEST,
                "[hybrid]: " + PASSAGE_TEXT + " must be true or false, got '" + value + "'");
    }

    /** The passage's characters of the doc's model text, read as the rerank read it; null without a rerank. */
    private static String passageText(SolrQueryRequest req, int docid, PassageSpan passage) throws IOException {
        RerankParams rerank = RerankScores.paramsOf(req);
        if (rerank == null) return null;
        String text = new DocumentText(rerank.fields(), rerank.fieldSeparator())
                .load(req.getSearcher(), new int[] {docid})[0];
        // the doc is the one the model read (same searcher), so the span lies inside its text
        return text.substring(Math.min(passage.start(), text.length()), Math.min(passage.end(), text.length()));
    }
}
