package org.hybridrerank.solr.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The default bi-encoder (bge-small-en-v1.5 quantized, unpacked from Maven Central by the build). */
public class TextEmbedderTest {
    /** The retrieval instruction of the bge model card, put before queries only. */
    static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    @ClassRule
    public static final TemporaryFolder tmp = new TemporaryFolder();

    private static TextEmbedder embedder;
    /** The default model's graph and tokenizer with no prefixes: the texts it embeds are exactly the texts given. */
    private static TextEmbedder plain;
    /** The same graph with an e5-like pair of prefixes. */
    private static TextEmbedder prefixed;

    @BeforeClass
    public static void load() throws IOException {
        ModelDirectory dir = ModelDirectory.open(SharedData.embedderDir());
        embedder = TextEmbedder.load(dir, EmbedderSettings.defaultsFor(dir));
        plain = load(copyOfDefault("plain", "{\"pooling\": \"cls\", \"max_length\": 512}"));
        prefixed = load(copyOfDefault(
                "prefixed",
                "{\"pooling\": \"cls\", \"max_length\": 512, \"query_prefix\": \"" + BGE_QUERY_INSTRUCTION
                        + "\", \"passage_prefix\": \"passage: \"}"));
    }

    /** The default embedder's graph and tokenizer under a config.json of the test's own. */
    static Path copyOfDefault(String name, String config) throws IOException {
        Path dir = tmp.newFolder(name).toPath();
        Files.copy(SharedData.embedderDir().resolve(ModelDirectory.MODEL_FILE), dir.resolve(ModelDirectory.MODEL_FILE));
        Files.copy(
                SharedData.embedderDir().resolve(ModelDirectory.TOKENIZER_FILE),
                dir.resolve(ModelDirectory.TOKENIZER_FILE));
        Files.writeString(dir.resolve(ModelDirectory.CONFIG_FILE), config);
        return dir;
    }

    private static TextEmbedder load(Path dir) {
        ModelDirectory directory = ModelDirectory.open(dir);
        return TextEmbedder.load(directory, EmbedderSettings.defaultsFor(directory));
    }

    @AfterClass
    public static void close() {
        for (TextEmbedder e : new TextEmbedder[] {embedder, plain, prefixed}) if (e != null) e.close();
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @Test
    public void vectorsAreUnitLengthWithTheModelsDimension() {
        assertEquals(384, embedder.dimension());
        float[] v = embedder.embedPassage("Vitamin D deficiency is linked to bone fractures.");
        assertEquals(384, v.length);
        double norm = 0;
        for (float x : v) norm += x * x;
        assertEquals(1.0, Math.sqrt(norm), 1e-5);
    }

    @Test
    public void ranksARelatedSentenceAboveAnUnrelatedOne() {
        float[] query = embedder.embedQuery("Does low vitamin D cause broken bones?");
        float[] related = embedder.embedPassage("Vitamin D deficiency increases the risk of fractures.");
        float[] unrelated = embedder.embedPassage("The stock market closed lower on Friday.");
        double near = cosine(query, related);
        double far = cosine(query, unrelated);
        assertTrue("related " + near + " vs unrelated " + far, near > far + 0.2);
    }

    @Test
    public void aTextsVectorDoesNotDependOnTheOtherTextsEmbeddedWithIt() {
        List<String> texts = List.of(
                "short",
                "a somewhat longer sentence about proteins",
                "x",
                "another text of medium length here",
                "cells");
        float[][] batched = embedder.embedPassages(texts);
        for (int i = 0; i < texts.size(); i++) {
            assertArrayEquals(texts.get(i), embedder.embedPassage(texts.get(i)), batched[i], 1e-6f);
        }
    }

    @Test
    public void theQueryPrefixIsPutBeforeQueriesAndThePassagePrefixBeforePassages() {
        String text = "x";
        assertArrayEquals(plain.embedPassage(BGE_QUERY_INSTRUCTION + text), prefixed.embedQuery(text), 1e-6f);
        assertArrayEquals(plain.embedPassage("passage: " + text), prefixed.embedPassage(text), 1e-6f);
        // the prefixes change the vectors, so the equalities above are not those of an unprefixed text
        assertTrue(cosine(plain.embedPassage(text), prefixed.embedQuery(text)) < 0.99);
        assertTrue(cosine(plain.embedPassage(text), prefixed.embedPassage(text)) < 0.99);
    }

    @Test
    public void aModelWithoutPrefixesEmbedsQueriesAndPassagesAlike() {
        String text = "Does low vitamin D cause broken bones?";
        assertArrayEquals(plain.embedPassage(text), plain.embedQuery(text), 1e-6f);
    }

    @Test
    public void theDefaultModelDeclaresTheBgeQueryInstructionAndNoPassagePrefix() {
        String text = "Does low vitamin D cause broken bones?";
        assertArrayEquals(plain.embedPassage(BGE_QUERY_INSTRUCTION + text), embedder.embedQuery(text), 1e-6f);
        assertArrayEquals(plain.embedPassage(text), embedder.embedPassage(text), 1e-6f);
    }

    @Test
    public void aShorterMaxLengthReadsOnlyTheFirstTokens() {
        ModelDirectory dir = ModelDirectory.open(SharedData.embedderDir());
        try (TextEmbedder short16 =
                TextEmbedder.load(dir, EmbedderSettings.defaultsFor(dir).withMaxLength(16))) {
            // 14 one-piece words fill the 16 tokens with [CLS] and [SEP]: what follows is cut off
            String head = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen";
            float[] a = short16.embedPassage(head + " about vitamin d and broken bones");
            float[] b = short16.embedPassage(head + " about the stock market on friday");
            assertArrayEquals(a, b, 1e-6f);
            // the model's own 512 tokens read the tails, which differ
            assertTrue(cosine(
                            embedder.embedPassage(head + " about vitamin d and broken bones"),
                            embedder.embedPassage(head + " about the stock market on friday"))
                    < 0.99);
        }
    }

    @Test
    public void aMaxLengthBeyondTheGraphsPositionsFailsAtLoadNamingTheConfig() throws IOException {
        Path dir = copyOfDefault("too-long", "{\"pooling\": \"cls\", \"max_length\": 1024}");
        ModelLoadException e =
                assertThrows(ModelLoadException.class, () -> load(dir).close());
        assertTrue(
                e.getMessage(),
                e.getMessage().contains(dir.resolve(ModelDirectory.CONFIG_FILE).toString()));
        assertTrue(e.getMessage(), e.getMessage().contains("1024 tokens"));
    }
}
