package org.hybridrerank.solr.rerank;

import org.hybridrerank.solr.model.PassageSpan;

/**
 * A doc's model score and the characters of its model text (the fields joined by the separator) that the model
 * read for it. The passage is null where a score pools several windows ({@code longDocs=window}): no single
 * span produced it.
 */
public record ModelScore(float score, PassageSpan passage) {
  /** The same passage with another score (the raw score after the score transform). */
  ModelScore withScore(float other) {
    return new ModelScore(other, passage);
  }
}
