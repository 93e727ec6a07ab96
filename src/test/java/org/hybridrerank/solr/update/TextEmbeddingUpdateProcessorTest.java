package org.hybridrerank.solr.update;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.hybridrerank.solr.testutil.ExampleSolr;
import org.hybridrerank.solr.testutil.OnnxGraphs;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The embedding update chain of the example configset: the vector dimension is checked at core load, and a
 * document whose embedding fails is rejected by id while the documents before it are kept.
 */
public class TextEmbeddingUpdateProcessorTest extends ExampleCoreTestCase {
  static Path generated;

  @BeforeClass
  public static void beforeClass() throws Exception {
    initExampleCore(null);
    // inside the Solr home, which Solr always allows
    generated = Path.of(h.getCoreContainer().getSolrHome()).resolve("generated-embedders");
    OnnxGraphs.fixedLengthEmbedder(generated.resolve("fixed16"));
  }

  /** Creates a core from the example configset rewritten by {@code edit}. */
  private static void createCore(String name, BinaryOperator<String> edit) throws Exception {
    Path instance = Path.of(h.getCoreContainer().getSolrHome()).resolve(name);
    ExampleSolr.prepareHome(instance.getParent().resolve("configs-" + name), edit);
    Path conf = instance.getParent().resolve("configs-" + name).resolve(ExampleSolr.CORE).resolve("conf");
    Files.createDirectories(instance);
    Files.move(conf, instance.resolve("conf"));
    h.getCoreContainer().create(name, instance, Map.of("dataDir", instance.resolve("data").toString()), false);
  }

  private static String messages(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) sb.append(t.getMessage()).append(" | ");
    return sb.toString();
  }

  @Test
  public void vectorDimensionIsCheckedAtCoreLoad() throws Exception {
    Exception e =
        expectThrows(
            Exception.class,
            () -> createCore("dim16", (file, text) -> text.replace("vectorDimension=\"384\"", "vectorDimension=\"16\"")));
    String all = messages(e);
    assertTrue(all, all.contains("dimension 16") && all.contains("produces 384"));
  }

  @Test
  public void aFailingEmbeddingRejectsThatDocumentByIdAndKeepsTheOnesBefore() throws Exception {
    // a 16-dimension schema whose embedder only accepts 16-token texts
    String embedderPath = generated.resolve("fixed16").toString();
    createCore(
        "fixedembedder",
        (file, text) ->
            text.replace("vectorDimension=\"384\"", "vectorDimension=\"16\"")
                .replace("${hybrid.embedder.dir:models/all-minilm-l6-v2-q}", embedderPath)
                .replace("similarityFunction=\"cosine\"", "similarityFunction=\"euclidean\""));
    try (EmbeddedSolrServer client = new EmbeddedSolrServer(h.getCoreContainer(), "fixedembedder")) {
      SolrInputDocument fits = new SolrInputDocument();
      fits.addField("id", "fits");
      // 14 word pieces + [CLS] + [SEP] = 16 tokens
      fits.addField("title", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen");
      SolrInputDocument noText = new SolrInputDocument();
      noText.addField("id", "no-text");
      SolrInputDocument tooShort = new SolrInputDocument();
      tooShort.addField("id", "too-short");
      tooShort.addField("title", "three words only");
      SolrException e = expectThrows(SolrException.class, () -> client.add(List.of(fits, noText, tooShort)));
      assertEquals(e.getMessage(), 400, e.code());
      assertTrue(e.getMessage(), e.getMessage().contains("too-short") && e.getMessage().contains("cannot embed"));
      client.commit();
      SolrQuery all = new SolrQuery("*:*");
      all.setFields("id", "vector");
      var docs = client.query(all).getResults();
      assertEquals("the docs before the failing one are kept, the failing one is not", 2, docs.getNumFound());
      for (var d : docs) {
        if (d.getFieldValue("id").equals("fits")) assertEquals(16, ((List<?>) d.getFieldValue("vector")).size());
        else assertNull(d.getFieldValue("vector"));
      }
    } finally {
      h.getCoreContainer().unload("fixedembedder", true, true, true);
    }
  }
}
