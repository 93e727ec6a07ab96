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
                mode.reranks() ? "ok" : null);
        r.add(
                "102",
                "SIGNALS NOT NOISE OR ECHOES AT ALL IN THIS LONG QUESTION",
                List.of("2"),
                List.of(1f),
                Map.of("2", 1),
                2,
                Map.of(),
                mode.reranks() ? "ok" : null);
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
}
