package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A k-fold split of query ids: the ids sorted, shuffled with a fixed seed and dealt round-robin, so the same
 * ids give the same folds whatever order they came in, and fold sizes differ by at most one.
 */
final class Folds {
    static final long SEED = 20240613L;

    private Folds() {}

    static List<List<String>> split(List<String> qids, int folds) {
        if (folds < 2 || folds > qids.size()) {
            throw new IllegalArgumentException(
                    "--folds must be between 2 and the number of queries (" + qids.size() + "), got " + folds);
        }
        List<String> shuffled = new ArrayList<>(qids);
        Collections.sort(shuffled);
        if (new java.util.HashSet<>(shuffled).size() != shuffled.size())
            throw new IllegalArgumentException("query ids repeat");
        Collections.shuffle(shuffled, new Random(SEED));
        List<List<String>> out = new ArrayList<>();
        for (int f = 0; f < folds; f++) out.add(new ArrayList<>());
        for (int i = 0; i < shuffled.size(); i++) out.get(i % folds).add(shuffled.get(i));
        for (List<String> fold : out) Collections.sort(fold);
        return out;
    }
}
