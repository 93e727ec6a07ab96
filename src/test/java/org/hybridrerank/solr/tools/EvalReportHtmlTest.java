package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** report.html as a reader sees it: metrics in a table, segments short to long, K only where a rerank ran. */
public class EvalReportHtmlTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static ModeResults results(EvalMode mode) {
        ModeResults r = new ModeResults(mode);
        r.add(
                "101",
                "TIDAL AND WAVE POWER",
                List.of("1"),
                List.of(1f),
                Map.of("1", 2),
                3,
                Map.of(),
                ModeResults.RerankHeader.status(mode.reranks() ? "ok" : null));
        r.add(
                "102",
                "SIGNALS NOT NOISE OR ECHOES AT ALL IN THIS LONG QUESTION",
                List.of("2"),
                List.of(1f),
                Map.of("2", 1),
                2,
                Map.of(),
                ModeResults.RerankHeader.status(mode.reranks() ? "ok" : null));
        return r;
    }

    private String html(EvalMode... modes) throws Exception {
        Map<EvalMode, ModeResults> byMode = new LinkedHashMap<>();
        for (EvalMode m : modes) byMode.put(m, results(m));
        Path dataset = Path.of(getClass().getResource("/datasets/trec-nested").toURI());
        EvalReport report = new EvalReport(
                "run", new RequestOverrides(List.of()), "mini", Dataset.open(dataset), "test", 100, 2, byMode);
        Path file = tmp.getRoot().toPath().resolve("report.html");
        report.writeHtml(file);
        return Files.readString(file);
    }

    @Test
    public void metricsAreAnHtmlTableAndSegmentsRunShortToLong() throws Exception {
        String html = html(EvalMode.LEXICAL, EvalMode.RRF);
        assertFalse("no preformatted metrics", html.contains("<pre>"));
        assertTrue(html, html.contains("<table><tr><th>mode</th><th>nDCG@10</th>"));
        int shortAt = html.indexOf("short (1-5 words)");
        int mediumAt = html.indexOf("medium (6-10 words)");
        int longAt = html.indexOf("long (11+ words)");
        assertTrue(
                "short " + shortAt + " < medium " + mediumAt + " < long " + longAt,
                0 <= shortAt && shortAt < mediumAt && mediumAt < longAt);
    }

    @Test
    public void crossEncoderKIsNamedOnlyWhenARerankedModeRan() throws Exception {
        assertFalse(html(EvalMode.LEXICAL, EvalMode.RRF).contains("cross-encoder K="));
        String reranked = html(EvalMode.RRF, EvalMode.RRF_CE);
        assertTrue(reranked.contains("cross-encoder K=100"));
        assertEquals(1, reranked.split("cross-encoder K=", -1).length - 1);
    }

    @Test
    public void severalCollectionsGetTheGainsAndMetricsFirstThenASectionEach() throws Exception {
        Path dataset = Path.of(getClass().getResource("/datasets/trec-nested").toURI());
        List<MultiEvalReport.Collection> collections = new java.util.ArrayList<>();
        for (String name : List.of("scifact", "cisi")) {
            Map<EvalMode, ModeResults> byMode = new LinkedHashMap<>();
            for (EvalMode m : List.of(EvalMode.RRF, EvalMode.RRF_CE)) byMode.put(m, results(m));
            collections.add(new MultiEvalReport.Collection(
                    "http://h:1/solr",
                    new EvalReport(
                            "run",
                            new RequestOverrides(List.of()),
                            name,
                            Dataset.open(dataset),
                            "test",
                            100,
                            2,
                            byMode)));
        }
        // hand-set rankings: rrf+ce found nothing on cisi's queries (nDCG 0), rrf ranked them first (nDCG 1)
        ModeResults miss = new ModeResults(EvalMode.RRF_CE);
        miss.add(
                "101",
                "a b",
                List.of("x"),
                List.of(1f),
                Map.of("1", 2),
                3,
                Map.of(),
                ModeResults.RerankHeader.status("ok"));
        miss.add(
                "102",
                "c d",
                List.of("y"),
                List.of(1f),
                Map.of("2", 1),
                3,
                Map.of(),
                ModeResults.RerankHeader.status("ok"));
        collections.get(1).report().results().put(EvalMode.RRF_CE, miss);
        MultiEvalReport report = new MultiEvalReport("both", new RequestOverrides(List.of()), 100, collections);
        Path file = tmp.getRoot().toPath().resolve("multi.html");
        report.writeHtml(file);
        String html = Files.readString(file);
        int gains = html.indexOf("<h2>Gain of the rerank over its first stage</h2>");
        int metrics = html.indexOf("<h2>Metrics</h2>");
        int scifact = html.indexOf("<h2 id=\"collection-scifact\">Collection scifact</h2>");
        int cisi = html.indexOf("<h2 id=\"collection-cisi\">Collection cisi</h2>");
        assertTrue(gains + " " + metrics + " " + scifact + " " + cisi, 0 < gains && gains < metrics);
        assertTrue(metrics < scifact && scifact < cisi);
        assertTrue(html, html.contains("<td>scifact</td><td>rrf+ce − rrf</td><td>+0.0000</td>"));
        assertTrue(html, html.contains("<td>cisi</td><td>rrf+ce − rrf</td><td>-1.0000</td>"));
        assertTrue(html, html.contains("<a href=\"#collection-cisi\">cisi</a>"));
        assertEquals("each section has its own metrics", 2, html.split("<h3>Metrics</h3>", -1).length - 1);
        String table = report.table();
        assertTrue(table, table.contains("\ncisi       rrf+ce-rrf          -1.0000  -1.0000    -1.0000\n"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Map<String, Double>>> json =
                (Map<String, Map<String, Map<String, Double>>>) report.summary().get("gains");
        assertEquals(-1.0, json.get("cisi").get("rrf+ce-rrf").get("ndcg@10"), 0);
        assertEquals(0.0, json.get("scifact").get("rrf+ce-rrf").get("mrr@10"), 0);
    }
}
