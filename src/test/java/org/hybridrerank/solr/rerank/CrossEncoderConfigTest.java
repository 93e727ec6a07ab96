package org.hybridrerank.solr.rerank;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.solr.core.CoreContainer;
import org.hybridrerank.solr.testutil.OnnxGraphs;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/** A broken configuration fails the core load, and the message names the file at fault. */
public class CrossEncoderConfigTest extends RerankCoreTestCase {
  static Path workDir;

  @BeforeClass
  public static void beforeClass() throws Exception {
    initRerankCore("solrconfig.xml", "schema.xml");
    workDir = Path.of(System.getProperty("hybrid.test.models.dir"));
  }

  /** Creates a core whose crossencoder parser has the given inner XML; returns the load error's messages. */
  private static String loadFailure(String name, String parserXml) throws Exception {
    Path instance = workDir.resolve("core-" + name);
    Path conf = Files.createDirectories(instance.resolve("conf"));
    Path testConf = TEST_PATH().resolve("collection1").resolve("conf");
    Files.copy(testConf.resolve("schema.xml"), conf.resolve("schema.xml"));
    String config =
        Files.readString(testConf.resolve("solrconfig.xml"))
            .replaceFirst(
                "(?s)<queryParser name=\"crossencoder\".*?</queryParser>",
                "<queryParser name=\"crossencoder\" class=\"" + CrossEncoderQParserPlugin.class.getName() + "\">"
                    + parserXml.replace("$", "\\$") + "</queryParser>");
    Files.writeString(conf.resolve("solrconfig.xml"), config);
    CoreContainer cc = h.getCoreContainer();
    try {
      cc.create(name, instance, Map.of(), false);
      fail("core " + name + " should not load");
      return null;
    } catch (Exception e) {
      StringBuilder messages = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) messages.append(t.getMessage()).append(" | ");
      return messages.toString();
    }
  }

  private static String model(String path) {
    return "<lst name=\"models\"><lst name=\"m\"><str name=\"path\">" + path + "</str></lst></lst>"
        + "<str name=\"fields\">title</str>";
  }

  private static void assertContains(String haystack, String... needles) {
    for (String needle : needles) assertTrue("'" + needle + "' not in: " + haystack, haystack.contains(needle));
  }

  @Test
  public void missingModelDirectory() throws Exception {
    Path missing = workDir.resolve("no-such-model");
    assertContains(loadFailure("missing", model(missing.toString())), "model directory does not exist", missing.toString());
  }

  @Test
  public void missingTokenizer() throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("no-tokenizer"));
    Files.copy(OverlapOracle.dir().resolve("model.onnx"), dir.resolve("model.onnx"));
    assertContains(loadFailure("notok", model(dir.toString())), dir.resolve("tokenizer.json").toString());
  }

  @Test
  public void graphWithoutAttentionMask() throws Exception {
    Path dir = OnnxGraphs.withoutAttentionMask(workDir.resolve("no-mask"));
    assertContains(
        loadFailure("nomask", model(dir.toString())), dir.resolve("model.onnx").toString(), "no input 'attention_mask'");
  }

  @Test
  public void corruptGraph() throws Exception {
    Path dir = Files.createDirectories(workDir.resolve("corrupt"));
    Files.write(dir.resolve("model.onnx"), "this is not an onnx graph".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Files.copy(OverlapOracle.dir().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
    assertContains(loadFailure("corrupt", model(dir.toString())), "cannot load ONNX graph", dir.resolve("model.onnx").toString());
  }

  @Test
  public void noModelsAtAll() throws Exception {
    assertContains(loadFailure("nomodels", "<str name=\"fields\">title</str>"), "'models'");
  }

  @Test
  public void unknownDefaultModelAndBadDefaults() throws Exception {
    String oracle = OverlapOracle.dir().toString();
    assertContains(
        loadFailure("baddefault", model(oracle) + "<str name=\"defaultModel\">other</str>"), "'defaultModel'", "other", "[m]");
    assertContains(
        loadFailure("badk", model(oracle) + "<int name=\"reRankDocs\">5000</int>"), "'reRankDocs'", "[1, 1000]");
    assertContains(loadFailure("badscore", model(oracle) + "<str name=\"score\">probit</str>"), "'score'", "logit|sigmoid");
    assertContains(
        loadFailure("badsetting", "<lst name=\"models\"><lst name=\"m\"><str name=\"path\">" + oracle
            + "</str><int name=\"batchsize\">4</int></lst></lst>"),
        "unknown setting 'batchsize'");
    assertContains(loadFailure("typo", model(oracle) + "<int name=\"reRankDoc\">5</int>"), "unknown setting 'reRankDoc'", "reRankDocs");
  }

  @Test
  public void pathsOutsideAllowedPathsAreRefused() throws Exception {
    Path outside = SharedData.sharedDir().getParent().resolve("somewhere-else");
    assertContains(loadFailure("outside", model(outside.toString())), "allowed paths", outside.toString());
  }
}
