package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** bin/eval --compare on results.json folders written by hand: no Solr is running. */
public class EvalComparisonTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static String mode(
            String hybridMode, String rrfK, double ndcg, double mrr, double recall, double p50, double p95) {
        return String.format(
                java.util.Locale.ROOT,
                "{\"ndcg@10\": %s, \"mrr@10\": %s, \"recall@100\": %s, \"latency_ms\": {\"p50\": %s, \"p95\": %s, "
                        + "\"p99\": 999}, \"params\": {\"hybrid.mode\": \"%s\", \"hybrid.rrf.k\": \"%s\", \"rows\": "
                        + "\"500\"}}",
                ndcg,
                mrr,
                recall,
                p50,
                p95,
                hybridMode,
                rrfK);
    }

    private Path run(String folder, String label, String rrfK, String rrfMode, String ceMode) throws Exception {
        Path dir = tmp.newFolder(folder).toPath();
        String labelField = label == null ? "" : "\"label\": \"" + label + "\", ";
        Files.writeString(
                dir.resolve("results.json"),
                "{" + labelField + "\"collection\": \"scifact\", \"queries\": 50, \"k\": 100,"
                        + " \"modes\": {\"rrf\": " + rrfMode + ", \"rrf+ce\": " + ceMode + "}}");
        return dir;
    }

    /** Cells of each row of the report's comparison table. */
    private static List<List<String>> tableRows(String html) {
        String table = html.substring(html.indexOf("<table id=\"compare\">"), html.indexOf("</table>"));
        List<List<String>> rows = new ArrayList<>();
        Matcher row = Pattern.compile("<tr>(.*?)</tr>").matcher(table);
        while (row.find()) {
            List<String> cells = new ArrayList<>();
            Matcher cell = Pattern.compile("<t[dh]>(.*?)</t[dh]>").matcher(row.group(1));
            while (cell.find()) cells.add(cell.group(1));
            rows.add(cells);
        }
        return rows;
    }

    @Test
    public void twoRunsSideBySideWithTheParameterThatDiffers() throws Exception {
        Path base = run(
                "base",
                "baseline",
                "60",
                mode("rrf", "60", 0.7706, 0.7391, 0.9333, 41, 77),
                mode("rrf", "60", 0.616, 0.58, 0.9333, 510, 880));
        Path k20 = run(
                "k20",
                null,
                "20",
                mode("rrf", "20", 0.7512, 0.7, 0.9, 40, 70),
                mode("rrf", "20", 0.6301, 0.6, 0.9, 500, 860));
        Path out = tmp.getRoot().toPath().resolve("cmp");

        String[] r = EvaluateOptionsTest.execute("--compare", base.toString(), k20.toString(), "--out", out.toString());
        assertEquals(r[1], "0", r[0]);

        List<List<String>> rows = tableRows(Files.readString(out.resolve("compare.html")));
        assertEquals(
                List.of("run", "mode", "nDCG@10", "MRR@10", "Recall@100", "p50 ms", "p95 ms", "hybrid.rrf.k"),
                rows.get(0));
        // mode by mode; the run without a label is named by its folder
        assertEquals(List.of("baseline", "rrf", "0.7706", "0.7391", "0.9333", "41", "77", "60"), rows.get(1));
        assertEquals(List.of("k20", "rrf", "0.7512", "0.7000", "0.9000", "40", "70", "20"), rows.get(2));
        assertEquals(List.of("baseline", "rrf+ce", "0.6160", "0.5800", "0.9333", "510", "880", "60"), rows.get(3));
        assertEquals(List.of("k20", "rrf+ce", "0.6301", "0.6000", "0.9000", "500", "860", "20"), rows.get(4));
        assertEquals(5, rows.size());

        String html = Files.readString(out.resolve("compare.html"));
        assertTrue(html.contains("<title>baseline vs k20 — solr-hybrid-rerank comparison</title>"));
        assertEquals("a metric chart and a latency chart", 2, html.split("<svg", -1).length - 1);

        JsonNode json = new ObjectMapper().readTree(out.resolve("compare.json").toFile());
        assertEquals("[\"hybrid.rrf.k\"]", json.get("differing_params").toString());
        assertEquals(0.6301, json.get("rows").get(3).get("ndcg@10").asDouble(), 0);
        assertEquals(
                "20",
                json.get("rows")
                        .get(3)
                        .get("differing_params")
                        .get("hybrid.rrf.k")
                        .asText());

        assertTrue(r[2], r[2].contains("hybrid.rrf.k: baseline/rrf=60, k20/rrf=20, baseline/rrf+ce=60, k20/rrf+ce=20"));
        assertFalse("same in both runs", r[2].contains("rows:"));
    }

    @Test
    public void aParameterSetInOneRunOnlyIsShownAsUnset() throws Exception {
        Path a = run("a", "a", "60", mode("rrf", "60", 0.5, 0.5, 0.5, 1, 2), mode("rrf", "60", 0.5, 0.5, 0.5, 1, 2));
        Path b = tmp.newFolder("b").toPath();
        Files.writeString(
                b.resolve("results.json"),
                "{\"label\": \"b\", \"collection\": \"scifact\", \"queries\": 50, \"k\": 30, \"modes\": {\"rrf\": "
                        + "{\"ndcg@10\": 0.25, \"mrr@10\": 0.5, \"recall@100\": 0.75, \"latency_ms\": {\"p50\": 3, "
                        + "\"p95\": 4}, \"params\": {\"hybrid.mode\": \"rrf\", \"hybrid.rrf.k\": \"60\", \"rows\": "
                        + "\"500\", \"fq\": [\"year:2020\", \"lang:en\"]}}}}");
        EvalComparison cmp = EvalComparison.read(null, List.of(a, b));
        assertEquals(List.of("k", "fq"), cmp.differing());
        List<List<String>> rows;
        Path out = tmp.getRoot().toPath().resolve("out.html");
        cmp.writeHtml(out);
        rows = tableRows(Files.readString(out));
        assertEquals(List.of("a", "rrf", "0.5000", "0.5000", "0.5000", "1", "2", "100", "—"), rows.get(1));
        assertEquals(
                List.of("b", "rrf", "0.2500", "0.5000", "0.7500", "3", "4", "30", "[\"year:2020\",\"lang:en\"]"),
                rows.get(2));
        assertEquals(List.of("a", "rrf+ce"), rows.get(3).subList(0, 2));
    }

    @Test
    public void aFolderWithoutResultsOrWithBrokenJsonExitsTwoNamingIt() throws Exception {
        Path good = run(
                "good", "good", "60", mode("rrf", "60", 0.5, 0.5, 0.5, 1, 2), mode("rrf", "60", 0.5, 0.5, 0.5, 1, 2));
        Path empty = tmp.newFolder("empty").toPath();
        Path out = tmp.getRoot().toPath().resolve("cmp");
        String[] r =
                EvaluateOptionsTest.execute("--compare", good.toString(), empty.toString(), "--out", out.toString());
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("--compare " + empty + ": no results.json"));
        assertFalse(Files.exists(out));

        Path broken = tmp.newFolder("broken").toPath();
        Files.writeString(broken.resolve("results.json"), "{\"modes\": {\"rrf\": ");
        r = EvaluateOptionsTest.execute("--compare", good.toString(), broken.toString(), "--out", out.toString());
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("--compare " + broken.resolve("results.json") + ": not readable JSON"));

        Files.writeString(broken.resolve("results.json"), "{\"runs\": []}");
        r = EvaluateOptionsTest.execute("--compare", good.toString(), broken.toString(), "--out", out.toString());
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("no \"modes\""));
    }

    @Test
    public void compareWithOptionsOfANewRunExitsTwo() throws Exception {
        Path good = run(
                "good", "good", "60", mode("rrf", "60", 0.5, 0.5, 0.5, 1, 2), mode("rrf", "60", 0.5, 0.5, 0.5, 1, 2));
        String[] r = EvaluateOptionsTest.execute("--compare", good.toString(), "--set", "hybrid.rrf.k=20");
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("--compare reads finished runs"));
    }

    @Test
    public void aRunOverSeveralCollectionsIsOneRunPerCollection() throws Exception {
        Path multi = tmp.newFolder("multi").toPath();
        String mode = "{\"ndcg@10\": %s, \"mrr@10\": 0.5, \"recall@100\": 0.75, \"latency_ms\": {\"p50\": 3, "
                + "\"p95\": 4}, \"params\": {\"hybrid.mode\": \"rrf\"}}";
        Files.writeString(
                multi.resolve("results.json"),
                "{\"label\": \"both\", \"k\": 100, \"collections\": {"
                        + "\"scifact\": {\"collection\": \"scifact\", \"split\": \"test\", \"modes\": {\"rrf\": "
                        + String.format(mode, "0.7") + "}},"
                        + "\"cisi\": {\"collection\": \"cisi\", \"split\": \"all\", \"modes\": {\"rrf\": "
                        + String.format(mode, "0.4") + "}}},"
                        + "\"gains\": {\"scifact\": {}, \"cisi\": {}}}");
        EvalComparison cmp = EvalComparison.read(null, List.of(multi));
        assertEquals(
                List.of("both/scifact", "both/cisi"),
                cmp.rows().stream().map(EvalComparison.Row::run).toList());
        assertEquals(0.4, cmp.rows().get(1).metrics().get("ndcg@10"), 0);
        assertEquals(List.of("collection", "split"), cmp.differing());

        Files.writeString(multi.resolve("results.json"), "{\"collections\": {\"cisi\": {\"split\": \"all\"}}}");
        EvalComparison.UnreadableRun e =
                assertThrows(EvalComparison.UnreadableRun.class, () -> EvalComparison.read(null, List.of(multi)));
        assertTrue(e.getMessage(), e.getMessage().contains("collection cisi has no \"modes\""));
    }
}
