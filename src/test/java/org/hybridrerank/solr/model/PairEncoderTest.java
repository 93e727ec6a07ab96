package org.hybridrerank.solr.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.Test;

/**
 * Pairs assembled from separately tokenized query and passages are, token for token, what the tokenizer's own
 * pair encoding (special tokens added, only the second sequence truncated, overflow with a stride for windows)
 * gives for the query cut at its {@code maxQueryLength}-th token: checked on the oracle's tokenizer (and, in
 * PairEncoderSharedIT, on the SciFact cross-encoder's), with long and short windows, so that queries over the cap
 * are covered too.
 */
public class PairEncoderTest {
    private static final List<String> QUERIES = List.of(
            "vitamin d deficiency and bone fractures",
            "0-dimensional biomaterials show inductive properties.",
            "Ünïcödé façade — naïve café? 東京 😀 emoji",
            "a");
    private static final List<String> PASSAGES = List.of(
            "Vitamin D deficiency is common in older adults.",
            "",
            "Short.",
            String.join(" ", Collections.nCopies(300, "fracture healing in osteoporotic bone")),
            "Ünïcödé text 😀 with emoji and CJK 東京都 " + "lorem ipsum dolor ".repeat(90),
            "x".repeat(5000),
            "word ".repeat(31),
            // long passages whose head holds few tokens: tokenized again whole (truncate reads only the head)
            "few" + " ".repeat(3000) + "tokens after a long run of spaces " + "and more words ".repeat(40),
            "head " + "\t\n ".repeat(700) + "tail",
            "antidisestablishmentarianism".repeat(40) + " " + "short words ".repeat(200));

    @Test
    public void pairsEqualTheTokenizersPairEncodingOnTheOracleTokenizer() throws Exception {
        checkAgainstTokenizer(OverlapOracle.dir());
    }

    static void checkAgainstTokenizer(Path modelDir) throws Exception {
        ModelDirectory dir = ModelDirectory.open(modelDir);
        List<CrossEncoderSettings> variants = List.of(
                CrossEncoderSettings.defaultsFor(dir).build(),
                CrossEncoderSettings.defaultsFor(dir)
                        .maxLength(32)
                        .maxQueryLength(8)
                        .windowOverlap(4)
                        .build(),
                CrossEncoderSettings.defaultsFor(dir)
                        .maxLength(64)
                        .maxQueryLength(16)
                        .windowOverlap(0)
                        .build(),
                CrossEncoderSettings.defaultsFor(dir).maxLength(600).build());
        int compared = 0;
        for (CrossEncoderSettings settings : variants) {
            try (PairEncoder encoder = new PairEncoder(dir.tokenizerFile(), settings);
                    HuggingFaceTokenizer truncating = referencePairTokenizer(dir.tokenizerFile(), settings, false);
                    HuggingFaceTokenizer windowing = referencePairTokenizer(dir.tokenizerFile(), settings, true)) {
                for (String query : QUERIES) {
                    // before, the query was cut as a string after its maxQueryLength-th token and then paired
                    String cappedAsBefore = encoder.capQuery(query);
                    // best mode picks one of these truncate-or-window sequences; BestWindowTest checks which
                    for (LongDocs mode : List.of(LongDocs.TRUNCATE, LongDocs.WINDOW)) {
                        List<EncodedSequence> ours = encoder.encode(query, PASSAGES, mode);
                        List<EncodedSequence> theirs =
                                reference(mode == LongDocs.WINDOW ? windowing : truncating, cappedAsBefore, mode);
                        assertEquals(
                                settings + " " + mode + " sequences for '" + query + "'", theirs.size(), ours.size());
                        for (int i = 0; i < ours.size(); i++) {
                            String where = settings.maxLength() + "/" + mode + " '" + query + "' sequence " + i;
                            assertEquals(
                                    where + " source",
                                    theirs.get(i).source(),
                                    ours.get(i).source());
                            assertArrayEquals(
                                    where + " ids",
                                    theirs.get(i).ids(),
                                    ours.get(i).ids());
                            assertArrayEquals(
                                    where + " type ids",
                                    theirs.get(i).typeIds(),
                                    ours.get(i).typeIds());
                            assertTrue(where + " length", ours.get(i).length() <= settings.maxLength());
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue("compared " + compared, compared > 100);
    }

    @Test
    public void aTruncatedPassageReadsTheCharactersOfItsFirstTokensInTheWholeText() throws Exception {
        // independent of how much of the passage was tokenized: the spans of the whole passage's first tokens
        ModelDirectory dir = ModelDirectory.open(OverlapOracle.dir());
        int checked = 0;
        for (int maxLength : new int[] {32, 64, 128, 512}) {
            CrossEncoderSettings settings = CrossEncoderSettings.defaultsFor(dir)
                    .maxLength(maxLength)
                    .maxQueryLength(Math.min(16, maxLength / 4))
                    .build();
            try (PairEncoder encoder = new PairEncoder(dir.tokenizerFile(), settings);
                    HuggingFaceTokenizer whole = HuggingFaceTokenizer.builder()
                            .optTokenizerPath(dir.tokenizerFile())
                            .optAddSpecialTokens(false)
                            .optTruncation(false)
                            .optPadding(false)
                            .build()) {
                for (String query : QUERIES) {
                    // [CLS] query [SEP] passage [SEP]: the oracle's tokenizer is bert-base-uncased's
                    int room = maxLength - 3 - encoder.queryIds(query).length;
                    PassageSpan[] spans = encoder.encodePairs(query, PASSAGES, LongDocs.TRUNCATE)
                            .spans();
                    for (int p = 0; p < PASSAGES.size(); p++) {
                        String passage = PASSAGES.get(p);
                        Encoding all = whole.encode(passage, false, false);
                        int kept = Math.min(room, all.getIds().length);
                        PassageSpan expected = kept == 0
                                ? PassageSpan.EMPTY
                                : new PassageSpan(
                                        passage.offsetByCodePoints(0, all.getCharTokenSpans()[0].getStart()),
                                        passage.offsetByCodePoints(0, all.getCharTokenSpans()[kept - 1].getEnd()));
                        assertEquals(maxLength + " '" + query + "' passage " + p, expected, spans[p]);
                        checked++;
                    }
                }
            }
        }
        assertEquals(4 * QUERIES.size() * PASSAGES.size(), checked);
    }

    /** The way pairs were built before: the tokenizer's pair encoding, second sequence truncated. */
    private static HuggingFaceTokenizer referencePairTokenizer(
            Path file, CrossEncoderSettings settings, boolean windows) throws Exception {
        HuggingFaceTokenizer.Builder builder = HuggingFaceTokenizer.builder(
                        Map.of("modelMaxLength", Integer.toString(settings.maxLength())))
                .optTokenizerPath(file)
                .optAddSpecialTokens(true)
                .optPadding(false)
                .optTruncateSecondOnly()
                .optMaxLength(settings.maxLength());
        if (windows) builder.optStride(settings.windowOverlap()).optWithOverflowingTokens(true);
        return builder.build();
    }

    private static List<EncodedSequence> reference(HuggingFaceTokenizer tokenizer, String query, LongDocs mode) {
        PairList<String, String> pairs = new PairList<>();
        for (String passage : PASSAGES) pairs.add(query, passage);
        boolean windows = mode == LongDocs.WINDOW;
        Encoding[] encodings = tokenizer.batchEncode(pairs, true, windows);
        List<EncodedSequence> out = new ArrayList<>();
        for (int p = 0; p < encodings.length; p++) {
            out.add(new EncodedSequence(p, encodings[p].getIds(), encodings[p].getTypeIds()));
            if (windows) {
                for (Encoding window : encodings[p].getOverflowing()) {
                    out.add(new EncodedSequence(p, window.getIds(), window.getTypeIds()));
                }
            }
        }
        return out;
    }

    /**
     * On the oracle's tokenizer.json: the same file, content for content, as the SciFact cross-encoder's and
     * all-MiniLM-L6-v2's (bert-base-uncased WordPiece).
     */
    @Test
    public void aHugeQueryIsCutBeforeTokenizingAndKeepsItsFirstTokens() {
        ModelDirectory dir = ModelDirectory.open(OverlapOracle.dir());
        CrossEncoderSettings settings =
                CrossEncoderSettings.defaultsFor(dir).maxQueryLength(8).build();
        try (PairEncoder encoder = new PairEncoder(dir.tokenizerFile(), settings)) {
            String words = "vitamin deficiency fracture ".repeat(40_000); // about 1 MB of real words
            long[] ids = encoder.queryIds(words);
            assertEquals(8, ids.length);
            // the first 8 tokens are those of the whole text: the character cut happened far behind them
            assertArrayEquals(
                    encoder.queryIds("vitamin deficiency fracture vitamin deficiency fracture vitamin deficiency"),
                    ids);
            // one 1 MB "word": the tokenizer sees a 2 KB word, which it maps to the unknown token as it did the whole
            long[] single = encoder.queryIds("x".repeat(1 << 20));
            assertArrayEquals(encoder.queryIds("x".repeat(500)), single);
            assertEquals(1, single.length);
        }
    }

    @Test
    public void theCharacterCapEndsOnWhitespaceAndNeverSplitsASurrogatePair() {
        String text = "ab ".repeat(100);
        String capped = TextCap.forTokens(text, 2); // 64 characters at most
        assertTrue(capped.length() <= 64);
        assertTrue(text.startsWith(capped));
        assertTrue("ends at a word boundary: '" + capped + "'", capped.endsWith("ab"));
        String emoji = "😀".repeat(100); // 2 chars each, no whitespace
        String cut = TextCap.forTokens(emoji, 1); // 32 characters at most
        assertEquals(32, cut.length());
        assertEquals(16, cut.codePointCount(0, cut.length()));
        assertEquals("short", TextCap.forTokens("short", 1));
    }
}
