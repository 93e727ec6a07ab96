package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * One first-stage list (lexical or vector) in rank order. Each hit carries the document's unique key, so
 * that ranks and ties do not depend on docids: a one-node index and the shards of a SolrCloud collection
 * order equal scores the same way (by key), which is what makes their answers identical.
 */
public record RankedList(List<Hit> hits) {
    /** A hit: unique key, docid on the searcher that found it (-1 when it was found on another node), score. */
    public record Hit(String key, int doc, float score) {}

    public static final RankedList EMPTY = new RankedList(List.of());

    /** Score descending, then key ascending. */
    static final Comparator<Hit> ORDER =
            Comparator.comparingDouble((Hit h) -> -h.score()).thenComparing(Hit::key);

    /** The best {@code limit} of {@code hits} in rank order (hits from several shards merge this way too). */
    public static RankedList of(Collection<Hit> hits, int limit) {
        List<Hit> sorted = new ArrayList<>(hits);
        sorted.sort(ORDER);
        return new RankedList(List.copyOf(sorted.subList(0, Math.min(limit, sorted.size()))));
    }

    public int size() {
        return hits.size();
    }

    public Hit get(int index) {
        return hits.get(index);
    }
}
