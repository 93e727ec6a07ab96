package org.hybridrerank.solr.testutil;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * The overlap-oracle's score computed without the plugin: the query and the passage are tokenized on their
 * own (no pairing, no batching), and the score is the fraction of non-special query word-pieces whose id
 * occurs among the passage's word-pieces (formula of src/test/resources/models/overlap-oracle/README.md).
 */
public final class OverlapOracle implements AutoCloseable {
    private static final Set<Long> SPECIAL = Set.of(0L, 100L, 101L, 102L, 103L);
    private final HuggingFaceTokenizer tokenizer;

    public OverlapOracle() {
        try {
            tokenizer = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(dir().resolve("tokenizer.json"))
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Expected score when the passage is not truncated. */
    public double score(String query, String passage) {
        return score(query, passage, Integer.MAX_VALUE);
    }

    /** Expected score when only the first {@code passageTokens} word-pieces of the passage are seen. */
    public double score(String query, String passage, int passageTokens) {
        long[] p = tokenizer.encode(passage, false, false).getIds();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < Math.min(p.length, passageTokens); i++) seen.add(p[i]);
        int count = 0;
        int hits = 0;
        for (long id : tokenizer.encode(query, false, false).getIds()) {
            if (SPECIAL.contains(id)) continue;
            count++;
            if (seen.contains(id)) hits++;
        }
        return (double) hits / Math.max(1, count);
    }

    public int tokenCount(String text) {
        return tokenizer.encode(text, false, false).getIds().length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    /**
     * The configset's {@code trustGap} property ({@code hybrid.crossencoder.trustGap}, 2.25 logits as shipped) for
     * {@code crossEncoder}: 0 for this oracle, whose scores are overlap fractions in [0, 1] rather than logits, so
     * that tests of other features see its ranking; tests of the trust rule set {@code trustGap} per request.
     * Null (the shipped value) for a real cross-encoder.
     */
    public static String trustGapFor(Path crossEncoder) {
        return crossEncoder
                        .toAbsolutePath()
                        .normalize()
                        .equals(dir().toAbsolutePath().normalize())
                ? "0"
                : null;
    }

    /** Sets or clears {@code hybrid.crossencoder.trustGap} for {@code crossEncoder} ({@link #trustGapFor}). */
    public static void setTrustGapProperty(Path crossEncoder) {
        String gap = trustGapFor(crossEncoder);
        if (gap == null) System.clearProperty(TRUST_GAP_PROPERTY);
        else System.setProperty(TRUST_GAP_PROPERTY, gap);
    }

    public static final String TRUST_GAP_PROPERTY = "hybrid.crossencoder.trustGap";

    /** The oracle's model folder: the in-repo fixture, laid out by the build. */
    public static Path dir() {
        return SharedData.oracleDir();
    }
}
