package org.hybridrerank.solr.rerank;

import java.util.List;
import org.hybridrerank.solr.model.PassageSpan;

/**
 * A doc's model score and the characters of its model text (the fields joined by the separator) that the model
 * read for it. The passage is null where a score pools several windows ({@code longDocs=window}): no single
 * span produced it.
 */
public record ModelScore(float score, PassageSpan passage) {
    /** The same passage with the raw score put through the request's score transform. */
    ModelScore transformedBy(ScoreTransform transform) {
        return new ModelScore(transform.apply(score), passage);
    }

    /**
     * How shards and coordinator exchange it: {@code [score, start, end]}, or {@code [score]} without a passage.
     * The score may travel as a number or, where the format would round it (JSON text), as its decimal string.
     */
    public List<Object> toEntry(Object scoreForm) {
        return passage == null ? List.of(scoreForm) : List.of(scoreForm, passage.start(), passage.end());
    }

    public List<Object> toEntry() {
        return toEntry(score);
    }

    /** The inverse of {@link #toEntry}. */
    public static ModelScore fromEntry(List<?> entry) {
        Object first = entry.get(0);
        float score = first instanceof Number n ? n.floatValue() : Float.parseFloat(first.toString());
        if (entry.size() < 3) return new ModelScore(score, null);
        return new ModelScore(
                score, new PassageSpan(((Number) entry.get(1)).intValue(), ((Number) entry.get(2)).intValue()));
    }
}
