package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.hybridrerank.solr.testutil.PlainSolr;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/eval and bin/tune against a Solr that is not running, a collection or handler that does not exist, or a
 * request Solr rejects: one line on stderr naming the flag, exit 2; no stack trace, no Jetty HTML page. A real
 * Solr over HTTP answers.
 */
public class SolrTargetTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static PlainSolr solr;
    private static String dataset;

    @BeforeClass
    public static void startSolr() throws Exception {
        solr = PlainSolr.start(tmp.newFolder("home").toPath());
        dataset = Path.of("src", "test", "resources", "datasets", "beir-nested")
                .toAbsolutePath()
                .toString();
    }

    @AfterClass
    public static void stopSolr() throws Exception {
        if (solr != null) solr.close();
    }

    private static CliTest.Result eval(String... args) throws Exception {
        List<String> all = new java.util.ArrayList<>(
                List.of("--dataset", dataset, "--out", tmp.newFolder().toString()));
        all.addAll(List.of(args));
        return CliTest.run(new Evaluate(), all.toArray(String[]::new));
    }

    private static String stoppedSolr() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return "http://127.0.0.1:" + probe.getLocalPort() + "/solr";
        }
    }

    private static void assertOneLine(CliTest.Result r, String line) {
        assertEquals(r.err(), 2, r.code());
        assertEquals(List.of(line), r.err().lines().filter(l -> !l.isBlank()).toList());
    }

    @Test
    public void evalWithSolrDown() throws Exception {
        String url = stoppedSolr();
        assertOneLine(eval("--solr", url), "cannot reach Solr at " + url + " (is it running? --solr)");
    }

    @Test
    public void evalWithAWrongCollection() throws Exception {
        CliTest.Result r = eval("--solr", solr.baseUrl(), "--collection", "nope");
        assertOneLine(r, "no collection nope at " + solr.baseUrl() + " (--collection, --solr)");
        assertFalse(r.err(), r.err().contains("<html>"));
    }

    @Test
    public void evalWithAWrongHandler() throws Exception {
        assertOneLine(
                eval("--solr", solr.baseUrl(), "--collection", PlainSolr.CORE, "--handler", "/nohandler"),
                "no request handler /nohandler in collection plain at " + solr.baseUrl() + " (--handler)");
    }

    @Test
    public void evalWithARequestSolrRejects() throws Exception {
        // the plain core has no default field for the query text
        CliTest.Result r = eval(
                "--solr", solr.baseUrl(), "--collection", PlainSolr.CORE, "--handler", "/select", "--modes", "lexical");
        assertOneLine(
                r,
                "Solr at " + solr.baseUrl() + " answered HTTP 400 for collection plain:"
                        + " no field name specified in query and no default specified via 'df' param");
    }

    @Test
    public void tuneWithSolrDownOrAWrongCollection() throws Exception {
        String url = stoppedSolr();
        String[] common = {
            "--dataset", dataset, "--split", "test", "--out", tmp.newFolder().toString()
        };
        CliTest.Result down = CliTest.run(new Tune(), concat(common, "--solr", url));
        assertOneLine(down, "cannot reach Solr at " + url + " (is it running? --solr)");
        CliTest.Result wrong =
                CliTest.run(new Tune(), concat(common, "--solr", solr.baseUrl(), "--collection", "nope"));
        assertOneLine(wrong, "no collection nope at " + solr.baseUrl() + " (--collection, --solr)");
    }

    @Test
    public void calibrateWithSolrDownOrAWrongCollection() throws Exception {
        String url = stoppedSolr();
        String[] common = {
            "--dataset",
            dataset,
            "--split",
            "test",
            "--folds",
            "2",
            "--out",
            tmp.newFolder().toString()
        };
        CliTest.Result down = CliTest.run(new Calibrate(), concat(common, "--solr", url));
        assertOneLine(down, "cannot reach Solr at " + url + " (is it running? --solr)");
        CliTest.Result wrong =
                CliTest.run(new Calibrate(), concat(common, "--solr", solr.baseUrl(), "--collection", "nope"));
        assertOneLine(wrong, "no collection nope at " + solr.baseUrl() + " (--collection, --solr)");
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
