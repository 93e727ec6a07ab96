package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/eval over several collections in one run, against two real Solrs (each a bin/demo on the light embedder and
 * the overlap oracle): {@code claims} (claims-mini) on one, {@code copies} (claims-mini with verbatim copies of the
 * claims, see {@link DemoFixtures#claimsWithVerbatimCopies}) on the other. One results.json, report.html and table
 * for both, gains per collection, gates naming a collection, and a collection that is unreachable or a dataset that
 * is invalid stopping the run (exit 2, named) before any query.
 */
public class EvaluateCollectionsTest {
    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Map<String, String> properties;
    private static DemoFixtures.Started claimsDemo;
    private static DemoFixtures.Started copiesDemo;
    private static Path claims;
    private static Path copies;

    @BeforeClass
    public static void startTwoSolrs() throws Exception {
        properties = DemoFixtures.saveProperties();
        Path root = tmp.getRoot().toPath();
        Path jar = DemoFixtures.emptyJar(root);
        claims = DemoFixtures.claimsMini(root.resolve("claims"), 50);
        copies = DemoFixtures.claimsWithVerbatimCopies(root.resolve("copies"));
        claimsDemo = DemoFixtures.start(
                DemoFixtures.options(claims, "claims", root.resolve("home-a"), jar, DemoFixtures.freePort()));
        assertNotNull(claimsDemo.out(), claimsDemo.running());
        copiesDemo = DemoFixtures.start(
                DemoFixtures.options(copies, "copies", root.resolve("home-b"), jar, DemoFixtures.freePort()));
        assertNotNull(copiesDemo.out(), copiesDemo.running());
    }

    @AfterClass
    public static void stopSolrs() {
        try {
            if (claimsDemo != null && claimsDemo.running() != null)
                claimsDemo.running().close();
        } finally {
            if (copiesDemo != null && copiesDemo.running() != null)
                copiesDemo.running().close();
            DemoFixtures.restoreProperties(properties);
        }
    }

    private static String claimsUrl() {
        return claimsDemo.running().solrUrl();
    }

    private static String copiesUrl() {
        return copiesDemo.running().solrUrl();
    }

    private static CliTest.Result eval(String... args) {
        return CliTest.run(new Evaluate(), args);
    }

    /** The suite of both collections: claims on --solr with the default split, copies on its own Solr, verbatim. */
    private static Path suite() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("suite.txt");
        Files.writeString(
                file,
                "# collection  dataset (relative to this file)  [solr]  [split]\n"
                        + "claims  claims\n"
                        + "copies  copies  " + copiesUrl() + "  verbatim   # its own Solr\n");
        return file;
    }

    @Test
    public void everyModeOfEveryCollectionInOneRunWithTheGainOfTheRerankPerCollection() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("eval-both");
        CliTest.Result r = eval(
                "--solr",
                claimsUrl(),
                "--suite",
                suite().toString(),
                "--modes",
                "lexical,rrf,rrf+ce",
                "--label",
                "both",
                "--out",
                out.toString(),
                "--expect-gain",
                "copies/rrf+ce:rrf:0",
                "--expect-gain",
                "copies/rrf+ce:rrf:mrr@10:0.01");
        assertEquals(r.err(), 0, r.code());

        JsonNode root = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(List.of("label", "set", "k", "collections", "gains"), names(root));
        assertEquals("both", root.get("label").asText());
        assertEquals(List.of("claims", "copies"), names(root.get("collections")));
        JsonNode a = root.get("collections").get("claims");
        JsonNode b = root.get("collections").get("copies");
        assertEquals(claimsUrl(), a.get("solr").asText());
        assertEquals(copiesUrl(), b.get("solr").asText());
        assertEquals("claims", a.get("collection").asText());
        assertEquals("test", a.get("split").asText());
        assertEquals("verbatim", b.get("split").asText());
        assertEquals(8, a.get("queries").asInt());
        assertEquals(12, b.get("queries").asInt());
        for (JsonNode c : List.of(a, b)) assertEquals(List.of("lexical", "rrf", "rrf+ce"), names(c.get("modes")));
        // every first stage ranks claims-mini's judged abstracts first: nothing for a rerank to gain there
        assertEquals(1.0, a.get("modes").get("rrf").get("ndcg@10").asDouble(), 0);
        for (String name : List.of("claims", "copies")) {
            JsonNode modes = root.get("collections").get(name).get("modes");
            JsonNode gain = root.get("gains").get(name).get("rrf+ce-rrf");
            assertEquals(List.of("rrf+ce-rrf"), names(root.get("gains").get(name)));
            for (String metric : List.of("ndcg@10", "mrr@10", "recall@100")) {
                double expected = modes.get("rrf+ce").get(metric).asDouble()
                        - modes.get("rrf").get(metric).asDouble();
                assertEquals(name + " " + metric, expected, gain.get(metric).asDouble(), 1.5e-4);
            }
            assertEquals(
                    "each collection's object holds its own gains too",
                    gain,
                    root.get("collections").get(name).get("gains").get("rrf+ce-rrf"));
        }
        double copiesGain =
                root.get("gains").get("copies").get("rrf+ce-rrf").get("mrr@10").asDouble();
        assertTrue("the oracle lifts some verbatim copies: " + copiesGain, copiesGain > 0.01);

        for (String name : List.of("claims", "copies")) {
            for (String mode : List.of("lexical", "rrf", "rrf+ce")) {
                Path run = out.resolve(name).resolve("run." + mode + ".txt");
                assertTrue(run.toString(), Files.isRegularFile(run));
                assertTrue(Files.readString(run).endsWith(" " + mode + "\n"));
            }
        }
        assertFalse("no run files beside results.json", Files.exists(out.resolve("run.rrf.txt")));

        String table = r.out();
        assertTrue(table, table.contains("claims: claims, split test, 8 queries, K=100, " + claimsUrl() + "\n"));
        assertTrue(table, table.contains("copies: copies, split verbatim, 12 queries, K=100, " + copiesUrl() + "\n"));
        for (String name : List.of("claims", "copies")) {
            for (String mode : List.of("lexical", "rrf", "rrf+ce")) {
                assertTrue(
                        name + " " + mode + ":\n" + table,
                        Pattern.compile("(?m)^" + name + " +" + Pattern.quote(mode) + " +[01]\\.\\d{4} ")
                                .matcher(table)
                                .find());
            }
            assertTrue(
                    table,
                    Pattern.compile("(?m)^" + name + " +rrf\\+ce-rrf +[+-]\\d\\.\\d{4} ")
                            .matcher(table)
                            .find());
        }
        assertTrue(
                table,
                Pattern.compile("gate copies/gain rrf\\+ce-rrf ndcg@10 >= \\+0\\.0000: \\+0\\.\\d{4} PASS")
                        .matcher(table)
                        .find());
        assertTrue(
                table,
                Pattern.compile("gate copies/gain rrf\\+ce-rrf mrr@10 >= \\+0\\.0100: \\+0\\.\\d{4} PASS")
                        .matcher(table)
                        .find());
        assertTrue(table, table.contains("gate copies/rrf+ce rerank.status=ok on every query: 0 of 12 not ok PASS"));
        // no gate names claims, where the first stage is perfect already and the rerank has little to change
        assertFalse("claims is not gated: " + table, table.contains("gate claims/"));

        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<h2 id=\"collection-claims\">Collection claims</h2>"));
        assertTrue(html.contains("<h2 id=\"collection-copies\">Collection copies</h2>"));
        assertTrue(html.contains("<h2>Gain of the rerank over its first stage</h2>"));
        assertTrue(html.contains("<td>copies</td><td>rrf+ce − rrf</td>"));
        assertTrue(html, html.contains(", Solr " + copiesUrl() + "; TREC runs in copies/."));
        // each demo's compare page serves its own collection: each section links its queries to its own page
        assertEquals(2, html.split("<h3>Per query</h3>", -1).length - 1);
        assertTrue(html.contains("href=\"" + claimsDemo.running().compareUrl() + "?q="));
        assertTrue(html.contains("href=\"" + copiesDemo.running().compareUrl() + "?q="));

        // --compare reads the run as one run per collection
        CliTest.Result compared =
                eval("--compare", out.toString(), "--out", tmp.newFolder().toString());
        assertEquals(compared.err(), 0, compared.code());
        assertTrue(compared.out(), compared.out().contains("both/claims rrf+ce "));
        assertTrue(compared.out(), compared.out().contains("both/copies rrf+ce "));
    }

    @Test
    public void repeatedDatasetFlagsNameEachCollectionAndItsSolr() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("eval-flags");
        CliTest.Result r = eval(
                "--solr",
                claimsUrl(),
                "--dataset",
                "claims=" + claims,
                "--dataset",
                "copies=" + copies + "@" + copiesUrl() + "/",
                "--modes",
                "rrf,rrf+ce",
                "--queries",
                "3",
                "--out",
                out.toString(),
                "--expect-gain",
                "copies/rrf+ce:rrf:0.5");
        assertEquals("the gain gate fails: " + r.out() + r.err(), 1, r.code());
        assertTrue(
                r.out(),
                Pattern.compile("gate copies/gain rrf\\+ce-rrf ndcg@10 >= \\+0\\.5000: [+-]0\\.\\d{4} FAIL")
                        .matcher(r.out())
                        .find());
        JsonNode root = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals(
                copiesUrl(), root.get("collections").get("copies").get("solr").asText());
        assertEquals(3, root.get("collections").get("copies").get("queries").asInt());
        assertTrue(Files.isRegularFile(out.resolve("copies").resolve("run.rrf.txt")));
    }

    /** --context-tokens with several collections: context recall per collection and mode, never pooled. */
    @Test
    public void contextRecallIsMeasuredPerCollection() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("eval-context");
        CliTest.Result r = eval(
                "--solr",
                claimsUrl(),
                "--dataset",
                "claims=" + claims,
                "--dataset",
                "copies=" + copies + "@" + copiesUrl(),
                "--modes",
                "rrf,rrf+ce",
                "--queries",
                "3",
                "--context-tokens",
                "2000,40",
                "--out",
                out.toString());
        assertEquals(r.out() + r.err(), 0, r.code());
        JsonNode root = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        for (String name : List.of("claims", "copies")) {
            JsonNode collection = root.get("collections").get(name);
            assertEquals(name, "[40,2000]", collection.get("context_tokens").toString());
            for (String mode : List.of("rrf", "rrf+ce")) {
                JsonNode recall = collection.get("modes").get(mode).get("context_recall");
                assertNotNull(name + "/" + mode + ": " + collection, recall);
                double small = recall.get("40").get("recall").asDouble();
                double large = recall.get("2000").get("recall").asDouble();
                assertTrue(name + "/" + mode + ": " + recall, small >= 0 && small <= large && large <= 1);
                assertTrue(
                        name + "/" + mode + ": " + recall,
                        recall.get("2000").get("passages").asDouble() > 0);
            }
        }
        // claims-mini is solved by every first stage: a relevant passage is in every 2000-token context
        assertEquals(
                1.0,
                root.at("/collections/claims/modes/rrf/context_recall/2000/recall")
                        .asDouble(),
                0);
        assertTrue(r.out(), r.out().contains("claims context recall"));
        assertTrue(r.out(), r.out().contains("copies context recall"));
        String html = Files.readString(out.resolve("report.html"));
        assertEquals(html, 2, html.split("<h3>Context recall</h3>", -1).length - 1);
    }

    @Test
    public void aSingleDatasetKeepsTheSingleCollectionLayout() throws Exception {
        for (List<String> form : List.of(
                List.of("--dataset", copies.toString(), "--collection", "copies"),
                List.of("--dataset", "copies=" + copies))) {
            Path out = tmp.newFolder().toPath();
            List<String> args = new ArrayList<>(form);
            args.addAll(List.of(
                    "--solr",
                    copiesUrl(),
                    "--split",
                    "verbatim",
                    "--modes",
                    "rrf,rrf+ce",
                    "--out",
                    out.toString(),
                    "--fail-below",
                    "copies/rrf:ndcg@10:0.5",
                    "--expect-gain",
                    "rrf+ce:rrf:0"));
            CliTest.Result r = eval(args.toArray(String[]::new));
            assertEquals(form + ": " + r.err(), 0, r.code());
            JsonNode root =
                    new ObjectMapper().readTree(out.resolve("results.json").toFile());
            assertEquals(
                    List.of(
                            "label",
                            "collection",
                            "dataset",
                            "format",
                            "split",
                            "queries",
                            "k",
                            "set",
                            "modes",
                            "gains"),
                    names(root));
            assertEquals("copies", root.get("collection").asText());
            JsonNode modes = root.get("modes");
            assertEquals(
                    modes.get("rrf+ce").get("ndcg@10").asDouble()
                            - modes.get("rrf").get("ndcg@10").asDouble(),
                    root.get("gains").get("rrf+ce-rrf").get("ndcg@10").asDouble(),
                    1.5e-4);
            assertTrue(Files.isRegularFile(out.resolve("run.rrf+ce.txt")));
            String printed = r.out();
            assertTrue(printed, printed.startsWith("copies (verbatim, 12 queries, K=100)\n"));
            assertTrue(
                    printed,
                    Pattern.compile("(?m)^gain rrf\\+ce-rrf: nDCG@10 \\+0\\.\\d{4}, MRR@10 \\+0\\.\\d{4}, "
                                    + "Recall@100 [+-]0\\.\\d{4}$")
                            .matcher(printed)
                            .find());
            // a single-collection run's verdicts carry no collection, as before
            assertTrue(
                    printed,
                    Pattern.compile("(?m)^gate rrf ndcg@10 >= 0\\.5000: 0\\.\\d{4} PASS$")
                            .matcher(printed)
                            .find());
            assertTrue(printed, printed.contains("gate gain rrf+ce-rrf ndcg@10 >= +0.0000: +0."));
            assertTrue(printed, printed.contains("gate rrf+ce rerank.status=ok on every query: 0 of 12 not ok PASS"));
        }
    }

    @Test
    public void aCollectionThatCannotBeReachedStopsTheRunBeforeAnyQueryNamingIt() throws Exception {
        long before = hybridRequests(claimsUrl(), "claims");
        Path out = tmp.getRoot().toPath().resolve("eval-unreached");
        CliTest.Result missing = eval(
                "--solr",
                claimsUrl(),
                "--dataset",
                "claims=" + claims,
                "--dataset",
                "nope=" + copies,
                "--out",
                out.toString());
        assertEquals(
                List.of("--dataset nope: no collection nope at " + claimsUrl() + " (--collection, --solr)"),
                missing.errLines().stream().filter(l -> !l.isBlank()).toList());
        assertEquals(2, missing.code());

        String down = stoppedSolr();
        CliTest.Result unreachable = eval(
                "--solr",
                claimsUrl(),
                "--dataset",
                "claims=" + claims,
                "--dataset",
                "copies=" + copies + "@" + down,
                "--out",
                out.toString());
        assertEquals(2, unreachable.code());
        assertEquals(
                List.of("--dataset copies: cannot reach Solr at " + down + " (is it running? --solr)"),
                unreachable.errLines().stream().filter(l -> !l.isBlank()).toList());
        assertFalse("nothing written", Files.exists(out));
        assertEquals("claims, listed first, got no query", before, hybridRequests(claimsUrl(), "claims"));
    }

    @Test
    public void anInvalidDatasetStopsTheRunBeforeAnySolrIsAskedNamingIt() throws Exception {
        Path noQrels = tmp.newFolder("no-qrels").toPath();
        Files.copy(claims.resolve("corpus.jsonl"), noQrels.resolve("corpus.jsonl"));
        Files.copy(claims.resolve("queries.jsonl"), noQrels.resolve("queries.jsonl"));
        String down = stoppedSolr(); // a dataset problem is told first: no Solr is asked anything
        CliTest.Result r =
                eval("--solr", down, "--dataset", "claims=" + claims, "--dataset", "bad=" + noQrels, "--modes", "rrf");
        assertEquals(r.err(), 2, r.code());
        assertTrue(r.err(), r.err().startsWith("--dataset bad: no qrels for split 'test' in " + noQrels));
        assertFalse(r.err(), r.err().contains("cannot reach"));
    }

    @Test
    public void aGateNamingACollectionNotEvaluatedIsRefusedBeforeAnyQuery() {
        CliTest.Result r = eval(
                "--solr",
                stoppedSolrUnchecked(),
                "--dataset",
                "claims=" + claims,
                "--dataset",
                "copies=" + copies,
                "--expect",
                "cisi/rrf+ce:ndcg@10:0.45:0.03");
        assertEquals(r.err(), 2, r.code());
        assertEquals(
                List.of("a gate names collection cisi, which is not evaluated (the run evaluates claims, copies)"
                        + " (see bin/eval --help)"),
                r.errLines());
    }

    /** How many requests /hybrid of the collection has answered. */
    private static long hybridRequests(String solrUrl, String collection) throws Exception {
        String url = solrUrl + "/admin/metrics?wt=json&key=solr.core." + collection + ":QUERY./hybrid.requests";
        HttpResponse<String> rsp = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode metrics = new ObjectMapper().readTree(rsp.body()).path("metrics");
        JsonNode count = metrics.path("solr.core." + collection + ":QUERY./hybrid.requests");
        assertTrue(rsp.body(), count.isNumber());
        return count.asLong();
    }

    private static String stoppedSolr() throws Exception {
        return "http://127.0.0.1:" + DemoFixtures.freePort() + "/solr";
    }

    private static String stoppedSolrUnchecked() {
        try {
            return stoppedSolr();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}
