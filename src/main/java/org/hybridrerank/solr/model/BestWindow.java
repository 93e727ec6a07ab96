package org.hybridrerank.solr.model;

import java.util.Arrays;
import java.util.Locale;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.en.EnglishAnalyzer;

/**
 * Picks the one window of a long passage that {@link LongDocs#BEST} scores, from the token ids the tokenizer
 * already produced: no inference, one pass over the passage. A window is better when it holds more distinct
 * query terms, then when it holds more occurrences of them; ties go to the earliest window, so a passage in
 * which no window beats the first is read exactly as in truncate mode.
 *
 * <p>Query terms are the query's word-pieces less those that occur everywhere and say nothing about the
 * claim: English stop-words, punctuation, pieces spelled like special tokens ({@code [UNK]}, {@code <unk>}),
 * and one-character continuation pieces ({@code ##s}). Candidate windows start every {@link #STRIDE} tokens,
 * roughly a sentence, plus the window that ends at the passage's end, so the tail is reachable too.
 */
final class BestWindow {
    /** Tokens between candidate window starts: about a sentence of word-pieces. */
    static final int STRIDE = 32;

    private static final CharArraySet STOP_WORDS = EnglishAnalyzer.ENGLISH_STOP_WORDS_SET;

    /** Distinct query term ids, sorted for binary search. */
    private final long[] terms;

    private BestWindow(long[] terms) {
        this.terms = terms;
    }

    /** The query's terms, from its token ids and their spellings (same length). */
    static BestWindow forQuery(long[] ids, String[] tokens) {
        long[] kept = new long[ids.length];
        int n = 0;
        for (int i = 0; i < ids.length; i++) {
            if (isTerm(tokens[i])) kept[n++] = ids[i];
        }
        return new BestWindow(Arrays.stream(kept, 0, n).sorted().distinct().toArray());
    }

    static boolean isTerm(String token) {
        if (token.length() > 2
                && (token.startsWith("[") && token.endsWith("]") || token.startsWith("<") && token.endsWith(">"))) {
            return false;
        }
        boolean continuation = token.startsWith("##");
        // word-start markers of SentencePiece and byte-level BPE vocabularies
        String word = continuation ? token.substring(2) : token.replaceFirst("^[\u2581\u0120]", "");
        if (word.codePoints().noneMatch(Character::isLetterOrDigit)) return false;
        if (continuation && word.codePointCount(0, word.length()) == 1) return false;
        return !STOP_WORDS.contains(word.toLowerCase(Locale.ROOT));
    }

    /** Where the best window of {@code room} tokens starts in {@code passage}; 0 when the passage fits. */
    int start(long[] passage, int room) {
        if (passage.length <= room || terms.length == 0) return 0;
        int[] term = new int[passage.length];
        for (int i = 0; i < passage.length; i++) term[i] = Arrays.binarySearch(terms, passage[i]);
        int[] occurrences = new int[terms.length];
        int distinct = 0;
        int total = 0;
        for (int i = 0; i < room; i++) {
            if (term[i] >= 0) {
                if (occurrences[term[i]]++ == 0) distinct++;
                total++;
            }
        }
        int best = 0;
        int bestDistinct = distinct;
        int bestTotal = total;
        int last = passage.length - room;
        int at = 0;
        while (at < last) {
            int next = Math.min(at + STRIDE, last);
            for (; at < next; at++) {
                int leaving = term[at];
                if (leaving >= 0) {
                    if (--occurrences[leaving] == 0) distinct--;
                    total--;
                }
                int entering = term[at + room];
                if (entering >= 0) {
                    if (occurrences[entering]++ == 0) distinct++;
                    total++;
                }
            }
            if (distinct > bestDistinct || distinct == bestDistinct && total > bestTotal) {
                best = at;
                bestDistinct = distinct;
                bestTotal = total;
            }
        }
        return best;
    }
}
