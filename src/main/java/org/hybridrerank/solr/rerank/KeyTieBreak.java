package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.function.IntPredicate;
import org.apache.lucene.search.ScoreDoc;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * Equal first-pass scores ordered by unique key (ascending), not by docid: docids differ between one node and
 * the shards of a collection, unique keys do not, so the window's first-pass order and the order below it are
 * the same on one node and on a SolrCloud coordinator (which merges by score, then unique key). Only runs of
 * equal scores are looked up.
 */
final class KeyTieBreak {
    private KeyTieBreak() {}

    /**
     * Reorders each run of equal scores in {@code docs[from, to)} by unique key. Elevated docs
     * (QueryElevationComponent) keep their places: their order is the elevation's.
     */
    static void apply(SolrIndexSearcher searcher, ScoreDoc[] docs, int from, int to, IntPredicate elevated)
            throws IOException {
        int start = from;
        while (start < to) {
            int end = start + 1;
            if (!elevated.test(docs[start].doc)) {
                while (end < to
                        && !elevated.test(docs[end].doc)
                        && Float.compare(docs[end].score, docs[start].score) == 0) end++;
            }
            if (end - start > 1) sortRun(searcher, docs, start, end);
            start = end;
        }
    }

    private static void sortRun(SolrIndexSearcher searcher, ScoreDoc[] docs, int from, int to) throws IOException {
        int[] ids = new int[to - from];
        for (int i = 0; i < ids.length; i++) ids[i] = docs[from + i].doc;
        String[] keys = UniqueKeys.of(searcher, ids);
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, Comparator.comparing((Integer i) -> keys[i]));
        ScoreDoc[] run = Arrays.copyOfRange(docs, from, to);
        for (int i = 0; i < order.length; i++) docs[from + i] = run[order[i]];
    }
}
