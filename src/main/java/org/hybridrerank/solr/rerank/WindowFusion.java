package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.List;
import org.hybridrerank.solr.fusion.Fusion;
import org.hybridrerank.solr.fusion.RankedScores;

/**
 * {@code fusion=rrf|linear}: the model's ranking of the window joins the first stage's lists as one more
 * list, instead of replacing them. A weak or off-domain model then moves docs only as far as the lists agree,
 * where {@code replace} would trust it alone.
 */
public record WindowFusion(Fusion fusion, double modelWeight) {
    /**
     * Final scores of the window's docs (in first-pass order).
     *
     * @param firstStage the first stage's lists over the window, or empty: then the first-pass ranking is the
     *     one first-stage list
     * @param weight the model list's weight for this window: {@link #modelWeight}, or 0 where the model is not
     *     trusted ({@link ModelTrust})
     */
    float[] finalScores(float[] firstPass, float[] model, List<RankedScores> firstStage, double weight) {
        List<RankedScores> lists = new ArrayList<>(firstStage);
        if (lists.isEmpty()) lists.add(RankedScores.byScore("first-pass", 1.0, firstPass));
        lists.add(RankedScores.byScore("model", weight, model));
        double[] fused = fusion.fuse(model.length, lists);
        float[] out = new float[fused.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) fused[i];
        return out;
    }

    String describe() {
        return fusion.describe() + ", modelWeight=" + modelWeight;
    }
}
