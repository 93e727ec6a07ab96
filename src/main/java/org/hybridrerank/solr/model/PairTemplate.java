package org.hybridrerank.solr.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the tokenizer's post-processor puts special tokens around a (query, passage) pair, and which token
 * type each part gets: {@code [CLS] q [SEP] p [SEP]} with types 0…0 1…1 for BERT, its own template for other
 * families. Learnt once at load from the tokenizer itself, by encoding a probe pair with and without special
 * tokens, so that pairs can then be assembled from token ids that were computed separately.
 */
final class PairTemplate {
    private final long[] prefix;
    private final long[] prefixTypes;
    private final long[] middle;
    private final long[] middleTypes;
    private final long[] suffix;
    private final long[] suffixTypes;
    private final long queryType;
    private final long passageType;

    private PairTemplate(long[] ids, long[] types, int queryAt, int queryLength, int passageAt, int passageLength) {
        int queryEnd = queryAt + queryLength;
        int passageEnd = passageAt + passageLength;
        prefix = Arrays.copyOfRange(ids, 0, queryAt);
        prefixTypes = Arrays.copyOfRange(types, 0, queryAt);
        middle = Arrays.copyOfRange(ids, queryEnd, passageAt);
        middleTypes = Arrays.copyOfRange(types, queryEnd, passageAt);
        suffix = Arrays.copyOfRange(ids, passageEnd, ids.length);
        suffixTypes = Arrays.copyOfRange(types, passageEnd, ids.length);
        queryType = types[queryAt];
        passageType = types[passageAt];
    }

    /**
     * @param plain the tokenizer without special tokens, truncation or padding
     * @param withSpecials the same tokenizer adding special tokens, without truncation or padding
     */
    static PairTemplate learn(HuggingFaceTokenizer plain, HuggingFaceTokenizer withSpecials, Path tokenizerFile) {
        String probeQuery = "what is the query";
        String probePassage = "this is the passage text";
        long[] query = plain.encode(probeQuery, false, false).getIds();
        long[] passage = plain.encode(probePassage, false, false).getIds();
        Encoding pair = withSpecials.encode(probeQuery, probePassage, true, false);
        long[] ids = pair.getIds();
        long[] types = pair.getTypeIds();
        int queryAt = indexOf(ids, query, 0);
        int passageAt = queryAt < 0 ? -1 : indexOf(ids, passage, queryAt + query.length);
        if (query.length == 0
                || passage.length == 0
                || passageAt < 0
                || !sameType(types, queryAt, query.length)
                || !sameType(types, passageAt, passage.length)) {
            throw new ModelLoadException(tokenizerFile
                    + ": the tokenizer's pair template is not 'specials, query, specials, passage, specials'"
                    + " (probe pair encoded as " + Arrays.toString(ids) + ")");
        }
        return new PairTemplate(ids, types, queryAt, query.length, passageAt, passage.length);
    }

    private static int indexOf(long[] haystack, long[] needle, int from) {
        for (int i = from; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) return i;
        }
        return -1;
    }

    private static boolean sameType(long[] types, int from, int length) {
        for (int i = from + 1; i < from + length; i++) if (types[i] != types[from]) return false;
        return true;
    }

    /** Tokens the template adds to a pair. */
    int specialTokens() {
        return prefix.length + middle.length + suffix.length;
    }

    /** The pair of the whole query and {@code passage[from, to)}, as the tokenizer would build it. */
    EncodedSequence pair(int source, long[] query, long[] passage, int from, int to) {
        int length = specialTokens() + query.length + (to - from);
        long[] ids = new long[length];
        long[] types = new long[length];
        int at = 0;
        at = put(ids, types, at, prefix, prefixTypes);
        System.arraycopy(query, 0, ids, at, query.length);
        Arrays.fill(types, at, at + query.length, queryType);
        at += query.length;
        at = put(ids, types, at, middle, middleTypes);
        System.arraycopy(passage, from, ids, at, to - from);
        Arrays.fill(types, at, at + (to - from), passageType);
        at += to - from;
        put(ids, types, at, suffix, suffixTypes);
        return new EncodedSequence(source, ids, types);
    }

    private static int put(long[] ids, long[] types, int at, long[] part, long[] partTypes) {
        System.arraycopy(part, 0, ids, at, part.length);
        System.arraycopy(partTypes, 0, types, at, part.length);
        return at + part.length;
    }
}
