package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/** bin/eval --set and --label: parsing, what reaches each request, what results.json and report.html record. */
public class EvaluateOptionsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static Evaluate parsed(String... args) {
        Evaluate eval = new Evaluate();
        new CommandLine(eval).parseArgs(args);
        return eval;
    }

    /** Exit code and stderr of a run that must stop before contacting Solr. */
    static String[] execute(String... args) {
        StringWriter err = new StringWriter();
        StringWriter out = new StringWriter();
        CommandLine cmd = new CommandLine(new Evaluate());
        cmd.setErr(new PrintWriter(err));
        cmd.setOut(new PrintWriter(out));
        int code = cmd.execute(args);
        return new String[] {String.valueOf(code), err.toString(), out.toString()};
    }

    @Test
    public void setSplitsAtTheFirstEqualsSign() {
        Evaluate eval = parsed(
                "--dataset",
                "d",
                "--set",
                "hybrid.rrf.k=20",
                "--set",
                "rq={!crossencoder reRankDocs=30}",
                "--set",
                "empty=");
        assertEquals(
                List.of(
                        new RequestOverrides.Setting("hybrid.rrf.k", "20"),
                        new RequestOverrides.Setting("rq", "{!crossencoder reRankDocs=30}"),
                        new RequestOverrides.Setting("empty", "")),
                eval.settings);
    }

    @Test
    public void setParametersReachEveryModesRequestAndReplaceTheModesOwnValue() {
        RequestOverrides overrides = new RequestOverrides(parsed(
                        "--dataset",
                        "d",
                        "--set",
                        "hybrid.rrf.k=20",
                        "--set",
                        "rq={!crossencoder reRankDocs=30}",
                        "--set",
                        "fq=year:2020",
                        "--set",
                        "fq=lang:en")
                .settings);
        for (EvalMode mode : EvalMode.values()) {
            SolrQuery q = mode.request("tidal power", 100, overrides);
            assertEquals(mode.label(), "20", q.get("hybrid.rrf.k"));
            // the mode's own rq (reRankDocs=100 or enabled=false) is replaced, not sent beside the user's
            assertArrayEquals(mode.label(), new String[] {"{!crossencoder reRankDocs=30}"}, q.getParams("rq"));
            assertArrayEquals(mode.label(), new String[] {"year:2020", "lang:en"}, q.getParams("fq"));
            assertEquals("tidal power", q.getQuery());
            assertEquals(
                    "the mode still chooses its own first stage",
                    mode.request("x", 100).get("hybrid.mode"),
                    q.get("hybrid.mode"));
        }
        SolrQuery plain = EvalMode.RRF_CE.request("tidal power", 100, new RequestOverrides(List.of()));
        assertNull(plain.get("hybrid.rrf.k"));
        assertEquals("{!crossencoder reRankDocs=100 scoreCache=false}", plain.get("rq"));
    }

    @Test
    public void theRequestEvalSendsCarriesTheSetParameters() {
        Evaluate eval = parsed(
                "--dataset",
                "d",
                "--handler",
                "/other",
                "--k",
                "30",
                "--set",
                "hybrid.rrf.k=20",
                "--set",
                "fq=lang:en");
        QueryRequest request = eval.request(EvalMode.RRF_CE, "tidal power", new RequestOverrides(eval.settings));
        assertEquals("/other", request.getPath());
        assertEquals("20", request.getParams().get("hybrid.rrf.k"));
        assertEquals("lang:en", request.getParams().get("fq"));
        assertEquals(
                "{!crossencoder reRankDocs=30 scoreCache=false}",
                request.getParams().get("rq"));
        assertEquals("tidal power", request.getParams().get("q"));
    }

    @Test
    public void aSetWithoutEqualsSignOrNameExitsTwoNamingTheOption() {
        for (String bad : new String[] {"hybrid.rrf.k", "=20"}) {
            String[] r = execute("--dataset", "d", "--set", bad);
            assertEquals(r[1], "2", r[0]);
            assertTrue(r[1], r[1].contains("--set"));
            assertTrue(r[1], r[1].contains("NAME=VALUE"));
        }
    }

    @Test
    public void settingWhatEachModeMustSetItselfIsRefusedNamingTheConflict() {
        String[] r = execute("--dataset", "d", "--set", "hybrid.mode=vector");
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("--set"));
        assertTrue(r[1], r[1].contains("hybrid.mode cannot be set"));
        assertTrue(r[1], r[1].contains("--modes"));
        for (String reserved : new String[] {"q=x", "fl=id"}) {
            r = execute("--dataset", "d", "--set", reserved);
            assertEquals(r[1], "2", r[0]);
            assertTrue(r[1], r[1].contains(reserved.substring(0, reserved.indexOf('=')) + " cannot be set"));
        }
    }

    @Test
    public void withoutDatasetOrCompareExitsTwoNamingDataset() {
        String[] r = execute("--modes", "rrf");
        assertEquals(r[1], "2", r[0]);
        assertTrue(r[1], r[1].contains("--dataset"));
    }

    @Test
    public void resultsJsonRecordsTheLabelTheSetParametersAndEachModesRequest() throws Exception {
        RequestOverrides overrides =
                new RequestOverrides(parsed("--dataset", "d", "--set", "hybrid.rrf.k=20").settings);
        Map<EvalMode, ModeResults> results = new LinkedHashMap<>();
        for (EvalMode mode : List.of(EvalMode.LEXICAL, EvalMode.RRF_CE)) {
            ModeResults r = new ModeResults(mode);
            r.add(
                    "101",
                    "tidal power",
                    List.of("1"),
                    List.of(1f),
                    Map.of("1", 1),
                    3,
                    Map.of(),
                    ModeResults.RerankHeader.NONE);
            results.put(mode, r);
        }
        Path dataset = Path.of(getClass().getResource("/datasets/trec-nested").toURI());
        EvalReport report = new EvalReport("rrf-k20", overrides, "mini", Dataset.open(dataset), "test", 50, 1, results);
        Map<String, Object> summary = report.summary();
        assertEquals("rrf-k20", summary.get("label"));
        assertEquals(Map.of("hybrid.rrf.k", "20"), summary.get("set"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> modes = (Map<String, Map<String, Object>>) summary.get("modes");
        @SuppressWarnings("unchecked")
        Map<String, Object> ce = (Map<String, Object>) modes.get("rrf+ce").get("params");
        assertEquals("20", ce.get("hybrid.rrf.k"));
        assertEquals("rrf", ce.get("hybrid.mode"));
        assertEquals("{!crossencoder reRankDocs=50 scoreCache=false}", ce.get("rq"));
        assertTrue("the query text varies per query and is not a run parameter", !ce.containsKey("q"));
        @SuppressWarnings("unchecked")
        Map<String, Object> lexical = (Map<String, Object>) modes.get("lexical").get("params");
        assertEquals("lexical", lexical.get("hybrid.mode"));
        assertEquals("20", lexical.get("hybrid.rrf.k"));

        Path html = tmp.getRoot().toPath().resolve("report.html");
        report.writeHtml(html);
        assertTrue(Files.readString(html).contains("<title>rrf-k20 — solr-hybrid-rerank evaluation</title>"));
    }

    @Test
    public void resultsJsonGivesP50P95AndP99OfEachModesLatencyAndEachStage() throws Exception {
        ModeResults r = new ModeResults(EvalMode.RRF);
        r.add(
                "101",
                "tidal power",
                List.of("1"),
                List.of(1f),
                Map.of("1", 1),
                3,
                Map.of("fuse", 0.123456),
                ModeResults.RerankHeader.NONE);
        r.add(
                "102",
                "wave power",
                List.of("2"),
                List.of(1f),
                Map.of("2", 1),
                2,
                Map.of(),
                ModeResults.RerankHeader.NONE);
        Path dataset = Path.of(getClass().getResource("/datasets/trec-nested").toURI());
        EvalReport report = new EvalReport(
                "run",
                new RequestOverrides(List.of()),
                "mini",
                Dataset.open(dataset),
                "test",
                50,
                2,
                Map.of(EvalMode.RRF, r));
        @SuppressWarnings("unchecked")
        Map<String, Object> rrf =
                ((Map<String, Map<String, Object>>) report.summary().get("modes")).get("rrf");
        assertEquals(Map.of("p50", 2.0, "p95", 3.0, "p99", 3.0), rrf.get("latency_ms"));
        assertEquals(
                "a stage only some queries report, rounded to 4 decimals",
                Map.of("fuse", Map.of("p50", 0.1235, "p95", 0.1235, "p99", 0.1235)),
                rrf.get("stage_latency_ms"));
    }
}
