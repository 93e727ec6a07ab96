package org.hybridrerank.solr.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link LongDocs#BEST} on the overlap oracle: the expected scores come from the oracle's formula applied to
 * the text around the query-matching sentence ({@link OverlapOracle}), not from the plugin's window choice.
 */
public class BestWindowTest {
    private static final int MAX_LENGTH = 64;
    private static final String QUERY = "do zebra herds migrate across rivers?";
    /** Shares no word-piece with the query; the emoji puts surrogate pairs before the sentence. */
    private static final String FILLER = "Lorem ipsum \uD83D\uDE00 sit amet, consectetur adipiscing elit. ";

    private static final String SENTENCE = "Zebra herds cross wide rivers in the dry season.";

    private static OverlapOracle oracle;

    @BeforeClass
    public static void setUp() {
        oracle = new OverlapOracle();
    }

    @AfterClass
    public static void tearDown() {
        oracle.close();
    }

    private static CrossEncoder load() {
        ModelDirectory dir = ModelDirectory.open(OverlapOracle.dir());
        return CrossEncoder.load(
                dir,
                CrossEncoderSettings.defaultsFor(dir)
                        .maxLength(MAX_LENGTH)
                        .maxQueryLength(16)
                        .build());
    }

    private static ScoredPassages score(CrossEncoder model, List<String> passages, LongDocs mode) {
        return model.score(QUERY, passages, new ScoringOptions(mode, WindowPooling.MAX), Deadline.none());
    }

    /** Passage tokens a sequence of the query has room for: maxLength less [CLS], [SEP], [SEP] and the query. */
    private static int room() {
        return MAX_LENGTH - 3 - oracle.tokenCount(QUERY);
    }

    @Test
    public void bestReadsTheSentenceThatTruncateCutsOff() {
        String head = FILLER.repeat(8);
        String passage = head + SENTENCE + " " + FILLER.repeat(6);
        assertEquals("precondition: the filler shares nothing with the query", 0.0, oracle.score(QUERY, FILLER), 0);
        assertTrue("precondition: the sentence starts past the first window", oracle.tokenCount(head) > room());
        double expected = oracle.score(QUERY, SENTENCE);
        assertTrue("precondition: the sentence matches part of the query: " + expected, expected > 0.3 && expected < 1);

        try (CrossEncoder model = load()) {
            ScoredPassages truncated = score(model, List.of(passage), LongDocs.TRUNCATE);
            assertEquals(oracle.score(QUERY, passage, room()), truncated.scores()[0], 1e-6);
            assertEquals(0.0, truncated.scores()[0], 1e-6);

            ScoredPassages best = score(model, List.of(passage), LongDocs.BEST);
            assertEquals(expected, best.scores()[0], 1e-6);
            assertEquals(
                    "one sequence per passage, as in truncate mode",
                    1,
                    best.stats().sequences());

            PassageSpan span = best.spans()[0];
            String read = passage.substring(span.start(), span.end());
            assertTrue("the passage read holds the sentence: '" + read + "'", read.contains(SENTENCE));
            // the span covers whole tokens, exactly the window's: re-tokenized it gives a full window
            assertEquals("'" + read + "'", room(), oracle.tokenCount(read));
            assertEquals("same characters, same tokens", read.strip(), read);
            assertEquals(expected, oracle.score(QUERY, read), 1e-6);
        }
    }

    @Test
    public void aSentenceAtTheVeryEndIsReachable() {
        String passage = FILLER.repeat(12) + SENTENCE;
        try (CrossEncoder model = load()) {
            ScoredPassages best = score(model, List.of(passage), LongDocs.BEST);
            assertEquals(0.0, score(model, List.of(passage), LongDocs.TRUNCATE).scores()[0], 1e-6);
            assertEquals(oracle.score(QUERY, SENTENCE), best.scores()[0], 1e-6);
            // the earliest window holding every hit wins; it may stop before the sentence's hit-free tail
            String read = passage.substring(best.spans()[0].start(), best.spans()[0].end());
            assertTrue(read, read.contains("Zebra herds cross wide rivers"));
        }
    }

    @Test
    public void shortPassagesAndPassagesWithoutHitsAreReadAsInTruncateMode() {
        List<String> passages = new ArrayList<>();
        passages.add("Zebra herds cross rivers.");
        passages.add("");
        passages.add("Rivers.");
        passages.add(FILLER.repeat(10)); // long, no query term anywhere
        passages.add(String.join(" ", Collections.nCopies(120, "the of and ?")) + " "
                + SENTENCE); // stop-words only, then a hit
        try (CrossEncoder model = load()) {
            ScoredPassages truncated = score(model, passages, LongDocs.TRUNCATE);
            ScoredPassages best = score(model, passages, LongDocs.BEST);
            for (int i = 0; i < 4; i++) {
                assertEquals("passage " + i, truncated.scores()[i], best.scores()[i], 0);
                assertEquals("passage " + i, truncated.spans()[i], best.spans()[i]);
                assertEquals("passage " + i, oracle.score(QUERY, passages.get(i), room()), best.scores()[i], 1e-6);
            }
            assertEquals(new PassageSpan(0, 0), best.spans()[1]);
            assertEquals(new PassageSpan(0, "Zebra herds cross rivers.".length()), best.spans()[0]);
            // shared stop-words and punctuation do not pull the window: the sentence does
            assertTrue(best.spans()[4].start() > 0);
            assertTrue(passages.get(4)
                    .substring(best.spans()[4].start(), best.spans()[4].end())
                    .contains(SENTENCE));
            List<EncodedSequence> a = model.encoder().encode(QUERY, passages.subList(0, 4), LongDocs.TRUNCATE);
            List<EncodedSequence> b = model.encoder().encode(QUERY, passages.subList(0, 4), LongDocs.BEST);
            for (int i = 0; i < 4; i++)
                assertArrayEquals(a.get(i).ids(), b.get(i).ids());
        }
    }

    @Test
    public void stopWordsAndPunctuationDoNotPullTheWindow() {
        String query = "is the zebra in the river?";
        String head = "Is it in the lab? It is in the lab, and the lab is in the town? ";
        String passage = head + FILLER.repeat(8) + "A zebra stood by the river. " + FILLER.repeat(4);
        try (CrossEncoder model = load()) {
            ScoringOptions best = new ScoringOptions(LongDocs.BEST, WindowPooling.MAX);
            ScoredPassages scored = model.score(query, List.of(passage), best, Deadline.none());
            PassageSpan span = scored.spans()[0];
            String read = passage.substring(span.start(), span.end());
            assertTrue("'" + read + "'", read.contains("A zebra stood by the river."));
            assertFalse("'" + read + "'", read.contains("lab"));
            assertEquals(oracle.score(query, read), scored.scores()[0], 1e-6);
        }
    }

    @Test
    public void windowModeReportsNoSpan() {
        try (CrossEncoder model = load()) {
            assertNull(score(model, List.of(SENTENCE), LongDocs.WINDOW).spans());
        }
    }

    @Test
    public void queryTermsLeaveOutStopWordsPunctuationAndSpecials() {
        assertTrue(BestWindow.isTerm("zebra"));
        assertTrue(BestWindow.isTerm("##ra"));
        assertTrue(BestWindow.isTerm("5"));
        assertTrue(BestWindow.isTerm("\u2581Zebra"));
        assertFalse(BestWindow.isTerm("the"));
        assertFalse(BestWindow.isTerm("\u0120The"));
        assertFalse(BestWindow.isTerm("?"));
        assertFalse(BestWindow.isTerm("##s"));
        assertFalse(BestWindow.isTerm("[UNK]"));
        assertFalse(BestWindow.isTerm("<unk>"));
    }
}
