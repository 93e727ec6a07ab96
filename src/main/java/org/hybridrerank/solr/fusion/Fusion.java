package org.hybridrerank.solr.fusion;

import java.util.List;
import java.util.Locale;

/**
 * Combines ranked lists into one score per item. Pure arithmetic in double precision, the same on every node
 * for the same inputs, so a SolrCloud coordinator and a single node reach bit-identical scores.
 */
public interface Fusion {
    /** The fused score of each of {@code items} items (a higher score ranks first). */
    double[] fuse(int items, List<RankedScores> lists);

    /** For explain and debug output, e.g. {@code rrf k=60} or {@code linear minmax}. */
    String describe();

    /** The methods users can ask for. */
    enum Method {
        RRF,
        LINEAR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static Fusion of(Method method, int rrfK, Normalization normalization) {
        return method == Method.RRF ? new ReciprocalRank(rrfK) : new LinearCombination(normalization);
    }
}
