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
     * Null (the shipped value) for a real cross-encoder. The oracle is recognised by its config.json's
     * {@code "name": "overlap-oracle"}, not by its path, so that its copies ({@link #calibratedCopy}) are too.
     */
    public static String trustGapFor(Path crossEncoder) {
        return isOracle(crossEncoder) ? "0" : null;
    }

    /** Whether {@code crossEncoder} is this oracle's folder or a copy of it (config.json "name"). */
    public static boolean isOracle(Path crossEncoder) {
        if (crossEncoder
                .toAbsolutePath()
                .normalize()
                .equals(dir().toAbsolutePath().normalize())) return true;
        Path config = crossEncoder.resolve("config.json");
        if (!java.nio.file.Files.isRegularFile(config)) return false;
        try {
            com.fasterxml.jackson.databind.JsonNode name = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(config.toFile())
                    .get("name");
            return name != null && NAME.equals(name.asText());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + config, e);
        }
    }

    /** The {@code "name"} in the oracle's config.json. */
    public static final String NAME = "overlap-oracle";

    /** Sets or clears {@code hybrid.crossencoder.trustGap} for {@code crossEncoder} ({@link #trustGapFor}). */
    public static void setTrustGapProperty(Path crossEncoder) {
        String gap = trustGapFor(crossEncoder);
        if (gap == null) System.clearProperty(TRUST_GAP_PROPERTY);
        else System.setProperty(TRUST_GAP_PROPERTY, gap);
    }

    public static final String TRUST_GAP_PROPERTY = "hybrid.crossencoder.trustGap";

    /**
     * A copy of the oracle's folder in {@code dir} whose config.json carries a Platt calibration {@code a, b}
     * (confidence = sigmoid(a·score + b)), as bin/calibrate writes it.
     */
    public static Path calibratedCopy(Path dir, double a, double b) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir())) {
            for (Path f : (Iterable<Path>) files::iterator)
                java.nio.file.Files.copy(f, dir.resolve(f.getFileName().toString()));
        }
        Path config = dir.resolve("config.json");
        String text = java.nio.file.Files.readString(config).trim();
        java.nio.file.Files.writeString(
                config,
                text.substring(0, text.length() - 1) + ", \"calibration\": {\"method\": \"platt\", \"a\": " + a
                        + ", \"b\": " + b + ", \"fittedOn\": \"a test\"}}");
        return dir;
    }

    /** The oracle's model folder: the in-repo fixture, laid out by the build. */
    public static Path dir() {
        return SharedData.oracleDir();
    }
}
