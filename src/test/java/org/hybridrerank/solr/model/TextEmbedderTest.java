package org.hybridrerank.solr.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The default bi-encoder (all-MiniLM-L6-v2 quantized, unpacked from Maven Central by the build). */
public class TextEmbedderTest {
  private static TextEmbedder embedder;

  @BeforeClass
  public static void load() {
    ModelDirectory dir = ModelDirectory.open(SharedData.embedderDir());
    embedder = TextEmbedder.load(dir, EmbedderSettings.defaultsFor(dir));
  }

  @AfterClass
  public static void close() {
    embedder.close();
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
    float[] v = embedder.embed("Vitamin D deficiency is linked to bone fractures.");
    assertEquals(384, v.length);
    double norm = 0;
    for (float x : v) norm += x * x;
    assertEquals(1.0, Math.sqrt(norm), 1e-5);
  }

  @Test
  public void ranksARelatedSentenceAboveAnUnrelatedOne() {
    float[] query = embedder.embed("Does low vitamin D cause broken bones?");
    float[] related = embedder.embed("Vitamin D deficiency increases the risk of fractures.");
    float[] unrelated = embedder.embed("The stock market closed lower on Friday.");
    double near = cosine(query, related);
    double far = cosine(query, unrelated);
    assertTrue("related " + near + " vs unrelated " + far, near > far + 0.2);
  }

  @Test
  public void aTextsVectorDoesNotDependOnTheOtherTextsEmbeddedWithIt() {
    List<String> texts =
        List.of("short", "a somewhat longer sentence about proteins", "x", "another text of medium length here", "cells");
    float[][] batched = embedder.embed(texts);
    for (int i = 0; i < texts.size(); i++) {
      assertArrayEquals(texts.get(i), embedder.embed(texts.get(i)), batched[i], 1e-6f);
    }
  }
}
