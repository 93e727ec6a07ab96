package org.hybridrerank.solr.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups sequences of similar length into batches so that padding to the longest in a batch wastes almost
 * nothing ("dynamic padding"). Sorting is stable, so equal lengths keep their input order.
 */
public final class PairBatcher {
    private PairBatcher() {}

    /** Length-bucketed batches of at most {@code batchSize} rows. */
    public static List<TokenBatch> bucketed(List<EncodedSequence> sequences, int batchSize) {
        int[] byLength = IntStream.range(0, sequences.size())
                .boxed()
                .sorted(Comparator.comparingInt(i -> sequences.get(i).length()))
                .mapToInt(Integer::intValue)
                .toArray();
        return chunk(sequences, byLength, batchSize);
    }

    /** Batches in input order, each padded to its longest row: the naive way, kept for comparison. */
    public static List<TokenBatch> inOrder(List<EncodedSequence> sequences, int batchSize) {
        return chunk(sequences, IntStream.range(0, sequences.size()).toArray(), batchSize);
    }

    private static List<TokenBatch> chunk(List<EncodedSequence> sequences, int[] order, int batchSize) {
        List<TokenBatch> batches = new ArrayList<>((order.length + batchSize - 1) / batchSize);
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] rows = java.util.Arrays.copyOfRange(order, from, to);
            batches.add(pad(sequences, rows));
        }
        return batches;
    }

    /** Pads the given sequences with id 0, mask 0, type 0 to their longest length. */
    public static TokenBatch pad(List<EncodedSequence> sequences, int[] rows) {
        int seq = 0;
        long real = 0;
        for (int r : rows) {
            seq = Math.max(seq, sequences.get(r).length());
            real += sequences.get(r).length();
        }
        long[] ids = new long[rows.length * seq];
        long[] mask = new long[rows.length * seq];
        long[] types = new long[rows.length * seq];
        for (int row = 0; row < rows.length; row++) {
            EncodedSequence pair = sequences.get(rows[row]);
            int offset = row * seq;
            System.arraycopy(pair.ids(), 0, ids, offset, pair.length());
            System.arraycopy(pair.typeIds(), 0, types, offset, pair.length());
            java.util.Arrays.fill(mask, offset, offset + pair.length(), 1L);
        }
        return new TokenBatch(rows, seq, ids, mask, types, real);
    }
}
