package org.hybridrerank.solr.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The model layer on the overlap oracle, whose scores are computed independently by {@link OverlapOracle}. */
public class CrossEncoderTest {
    private static OverlapOracle oracle;

    @BeforeClass
    public static void setUp() {
        oracle = new OverlapOracle();
    }

    @AfterClass
    public static void tearDown() {
        oracle.close();
    }

    private static CrossEncoder load(CrossEncoderSettings.Builder settings) {
        return CrossEncoder.load(ModelDirectory.open(OverlapOracle.dir()), settings.build());
    }

    private static CrossEncoderSettings.Builder defaults() {
        return CrossEncoderSettings.defaultsFor(ModelDirectory.open(OverlapOracle.dir()));
    }

    private static final String QUERY = "vitamin d deficiency and bone fractures";
    private static final List<String> PASSAGES = List.of(
            "Vitamin D deficiency is common in older adults.",
            "Bone fractures heal slowly.",
            "The weather in Paris is mild.",
            "Fractures of the bone are linked with vitamin D deficiency in several cohort studies of adults.",
            "",
            "deficiency");

    @Test
    public void scoresEqualTheIndependentFormulaForEveryBatchSize() {
        for (int batchSize : new int[] {1, 2, 4, 16}) {
            try (CrossEncoder model = load(defaults().batchSize(batchSize))) {
                ScoredPassages scored = model.score(QUERY, PASSAGES, ScoringOptions.DEFAULT, Deadline.none());
                for (int i = 0; i < PASSAGES.size(); i++) {
                    assertEquals(
                            "batchSize=" + batchSize + " passage " + i,
                            oracle.score(QUERY, PASSAGES.get(i)),
                            scored.scores()[i],
                            1e-6);
                }
            }
        }
    }

    @Test
    public void queryAndPassageAreNotSwapped() {
        // Swapping segments would measure how much of the passage occurs in the query instead.
        try (CrossEncoder model = load(defaults())) {
            float[] s = model.score("cats", List.of("cats and dogs and birds"), ScoringOptions.DEFAULT, Deadline.none())
                    .scores();
            assertEquals(1.0, s[0], 1e-6);
            float[] reverse = model.score(
                            "cats and dogs and birds", List.of("cats"), ScoringOptions.DEFAULT, Deadline.none())
                    .scores();
            assertEquals(oracle.score("cats and dogs and birds", "cats"), reverse[0], 1e-6);
            assertTrue(reverse[0] < 0.5);
        }
    }

    @Test
    public void onlyThePassageIsTruncated() {
        String filler = String.join(" ", Collections.nCopies(60, "lorem"));
        String passage = filler + " zebra";
        try (CrossEncoder model = load(defaults().maxLength(32).maxQueryLength(8))) {
            float[] s = model.score(
                            "zebra", List.of(passage, "zebra " + filler), ScoringOptions.DEFAULT, Deadline.none())
                    .scores();
            // "zebra" is past the 32-token window in the first passage and inside it in the second
            assertEquals(0.0, s[0], 1e-6);
            assertEquals(1.0, s[1], 1e-6);
            List<EncodedSequence> encoded = model.encoder().encode("zebra", List.of(passage), LongDocs.TRUNCATE);
            assertEquals(32, encoded.get(0).length());
        }
    }

    @Test
    public void maxLengthAbove512IsHonoured() {
        try (CrossEncoder model = load(defaults().maxLength(600))) {
            List<EncodedSequence> encoded =
                    model.encoder().encode("zebra", List.of("lorem ".repeat(700)), LongDocs.TRUNCATE);
            assertEquals(600, encoded.get(0).length());
        }
    }

    @Test
    public void longQueriesAreCappedSeparately() {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < 20; i++) words.add("word" + (char) ('a' + i));
        String longQuery = String.join(" ", words);
        try (CrossEncoder model = load(defaults().maxLength(64).maxQueryLength(6))) {
            String capped = model.encoder().capQuery(longQuery);
            assertEquals(6, oracle.tokenCount(capped));
            assertTrue(longQuery.startsWith(capped));
            float[] s = model.score(longQuery, List.of(capped), ScoringOptions.DEFAULT, Deadline.none())
                    .scores();
            // the passage holds exactly the capped query, so every query piece the model sees is found
            assertEquals(1.0, s[0], 1e-6);
            assertEquals("short query", model.encoder().capQuery("short query"));
        }
    }

    @Test
    public void windowModeFindsMatchesBeyondTheFirstWindow() {
        String filler = String.join(" ", Collections.nCopies(100, "lorem"));
        String passage = "alpha " + filler + " omega";
        try (CrossEncoder model =
                load(defaults().maxLength(32).maxQueryLength(8).windowOverlap(4))) {
            ScoringOptions max = new ScoringOptions(LongDocs.WINDOW, WindowPooling.MAX);
            ScoringOptions mean = new ScoringOptions(LongDocs.WINDOW, WindowPooling.MEAN);
            float truncated = model.score("omega", List.of(passage), ScoringOptions.DEFAULT, Deadline.none())
                    .scores()[0];
            ScoredPassages windowed = model.score("omega", List.of(passage, "omega"), max, Deadline.none());
            assertEquals(0.0, truncated, 1e-6);
            assertEquals(1.0, windowed.scores()[0], 1e-6);
            assertEquals(1.0, windowed.scores()[1], 1e-6);
            int windows = windowed.stats().sequences() - 1;
            assertTrue("expected several windows, got " + windows, windows >= 4);
            // "omega" lives in the last window only: the mean is 1/windows
            float meanScore = model.score("omega", List.of(passage), mean, Deadline.none())
                    .scores()[0];
            assertEquals(1.0 / windows, meanScore, 1e-6);
        }
    }

    @Test
    public void bucketingKeepsPaddingNearZero() {
        List<String> passages = new ArrayList<>();
        // 200 passages of 10 to 59 words in a scrambled order, as a first stage would hand them over
        for (int i = 0; i < 200; i++) passages.add(String.join(" ", Collections.nCopies(10 + (i * 37) % 50, "token")));
        try (CrossEncoder model = load(defaults().batchSize(4))) {
            List<EncodedSequence> seqs = model.encoder().encode(QUERY, passages, LongDocs.TRUNCATE);
            long real = seqs.stream().mapToLong(EncodedSequence::length).sum();
            long bucketed = PairBatcher.bucketed(seqs, 4).stream()
                    .mapToLong(TokenBatch::paddedTokens)
                    .sum();
            long naive = PairBatcher.inOrder(seqs, 4).stream()
                    .mapToLong(TokenBatch::paddedTokens)
                    .sum();
            assertTrue("bucketed " + bucketed + " real " + real, bucketed <= real * 1.05);
            assertTrue("naive padding should be worse here: " + naive + " vs " + bucketed, naive > bucketed);
            // and the scores do not depend on how rows were grouped
            float[] a = model.score(QUERY, passages, ScoringOptions.DEFAULT, Deadline.none())
                    .scores();
            try (CrossEncoder one = load(defaults().batchSize(1))) {
                assertArrayEquals(
                        a,
                        one.score(QUERY, passages, ScoringOptions.DEFAULT, Deadline.none())
                                .scores(),
                        1e-6f);
            }
        }
    }

    @Test
    public void anExpiredDeadlineStopsBeforeInference() {
        try (CrossEncoder model = load(defaults())) {
            try {
                model.score(QUERY, PASSAGES, ScoringOptions.DEFAULT, Deadline.of(0, () -> true));
                fail("expected the deadline to stop scoring");
            } catch (DeadlineExceededException expected) {
                assertTrue(expected.getMessage().contains("time budget"));
            }
            assertFalse(Deadline.of(60_000, () -> false).isExpired());
        }
    }
}
