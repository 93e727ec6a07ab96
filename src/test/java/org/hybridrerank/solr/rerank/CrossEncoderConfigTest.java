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
        String config = Files.readString(testConf.resolve("solrconfig.xml"))
                .replaceFirst(
                        "(?s)<queryParser name=\"crossencoder\".*?</queryParser>",
                        "<queryParser name=\"crossencoder\" class=\"" + CrossEncoderQParserPlugin.class.getName()
                                + "\">" + parserXml.replace("$", "\\$") + "</queryParser>");
        Files.writeString(conf.resolve("solrconfig.xml"), config);
        CoreContainer cc = h.getCoreContainer();
        try {
            cc.create(name, instance, Map.of(), false);
            fail("core " + name + " should not load");
            return null;
        } catch (Exception e) {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause())
                messages.append(t.getMessage()).append(" | ");
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
        assertContains(
                loadFailure("missing", model(missing.toString())),
                "model directory does not exist",
                missing.toString());
    }

    @Test
    public void missingTokenizer() throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("no-tokenizer"));
        Files.copy(OverlapOracle.dir().resolve("model.onnx"), dir.resolve("model.onnx"));
        assertContains(
                loadFailure("notok", model(dir.toString())),
                dir.resolve("tokenizer.json").toString());
    }

    @Test
    public void graphWithoutAttentionMask() throws Exception {
        Path dir = OnnxGraphs.withoutAttentionMask(workDir.resolve("no-mask"));
        assertContains(
                loadFailure("nomask", model(dir.toString())),
                dir.resolve("model.onnx").toString(),
                "no input 'attention_mask'");
    }

    @Test
    public void corruptGraph() throws Exception {
        Path dir = Files.createDirectories(workDir.resolve("corrupt"));
        Files.write(
                dir.resolve("model.onnx"),
                "this is not an onnx graph".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.copy(OverlapOracle.dir().resolve("tokenizer.json"), dir.resolve("tokenizer.json"));
        assertContains(
                loadFailure("corrupt", model(dir.toString())),
                "cannot load ONNX graph",
                dir.resolve("model.onnx").toString());
    }

    @Test
    public void noModelsAtAll() throws Exception {
        assertContains(loadFailure("nomodels", "<str name=\"fields\">title</str>"), "'models'");
    }

    @Test
    public void unknownDefaultModelAndBadDefaults() throws Exception {
        String oracle = OverlapOracle.dir().toString();
        assertContains(
                loadFailure("baddefault", model(oracle) + "<str name=\"defaultModel\">other</str>"),
                "'defaultModel'",
                "other",
                "[m]");
        assertContains(
                loadFailure("badk", model(oracle) + "<int name=\"reRankDocs\">5000</int>"),
                "'reRankDocs'",
                "[1, 1000]");
        assertContains(
                loadFailure("badscore", model(oracle) + "<str name=\"score\">probit</str>"),
                "'score'",
                "logit|sigmoid");
        assertContains(
                loadFailure(
                        "badsetting",
                        "<lst name=\"models\"><lst name=\"m\"><str name=\"path\">" + oracle
                                + "</str><int name=\"batchsize\">4</int></lst></lst>"),
                "unknown setting 'batchsize'");
        assertContains(
                loadFailure("typo", model(oracle) + "<int name=\"reRankDoc\">5</int>"),
                "unknown setting 'reRankDoc'",
                "reRankDocs");
    }

    @Test
    public void pathsOutsideAllowedPathsAreRefused() throws Exception {
        Path outside = SharedData.fixtureModelsDir().getParent().resolve("somewhere-else");
        assertContains(loadFailure("outside", model(outside.toString())), "allowed paths", outside.toString());
    }

    /** A model entry with extra settings next to its path. */
    private static String modelWith(String path, String settingsXml) {
        return "<lst name=\"models\"><lst name=\"m\"><str name=\"path\">" + path + "</str>" + settingsXml
                + "</lst></lst>" + "<str name=\"fields\">title</str>";
    }

    /** The load error names the setting as a word (not as part of another name), the file, and the model. */
    private static void assertNamesSetting(String failure, String setting) {
        assertTrue(
                "setting " + setting + " not named in: " + failure,
                java.util.regex.Pattern.compile("(?<![A-Za-z])'?" + setting + "'?(?![A-Za-z])")
                        .matcher(failure)
                        .find());
        assertContains(failure, "solrconfig.xml", "model 'm'");
    }

    /**
     * Each guard of the model settings, by a core that loads with one wrong value. The cross-setting guards
     * (maxQueryLength and windowOverlap against maxLength) pass the per-value range check and are caught when the
     * settings are built; those also name the model directory.
     */
    @Test
    public void modelSettingsOutOfRangeFailTheCoreLoad() throws Exception {
        String oracle = OverlapOracle.dir().toString();
        String f;
        f = loadFailure("maxlen7", modelWith(oracle, "<int name=\"maxLength\">7</int>"));
        assertNamesSetting(f, "maxLength");
        assertContains(f, "got 7");
        // maxLength 64 leaves room for at most 64 - 5 = 59 query tokens
        f = loadFailure(
                "longquery",
                modelWith(oracle, "<int name=\"maxLength\">64</int><int name=\"maxQueryLength\">60</int>"));
        assertNamesSetting(f, "maxQueryLength");
        assertContains(f, "[1, 59]", "got 60", oracle);
        f = loadFailure("zeroquery", modelWith(oracle, "<int name=\"maxQueryLength\">0</int>"));
        assertNamesSetting(f, "maxQueryLength");
        // maxLength 64, maxQueryLength 16: passage room 64 - 16 - 4 = 44, so the overlap must be below 44
        f = loadFailure(
                "overlap",
                modelWith(
                        oracle,
                        "<int name=\"maxLength\">64</int><int name=\"maxQueryLength\">16</int><int "
                                + "name=\"windowOverlap\">44</int>"));
        assertNamesSetting(f, "windowOverlap");
        assertContains(f, "[0, 43]", "got 44", oracle);
        f = loadFailure("negoverlap", modelWith(oracle, "<int name=\"windowOverlap\">-1</int>"));
        assertNamesSetting(f, "windowOverlap");
        f = loadFailure("batch0", modelWith(oracle, "<int name=\"batchSize\">0</int>"));
        assertNamesSetting(f, "batchSize");
        assertContains(f, "got 0");
        f = loadFailure("threadsneg", modelWith(oracle, "<int name=\"threads\">-1</int>"));
        assertNamesSetting(f, "threads");
        assertContains(f, "got -1");
    }
}
