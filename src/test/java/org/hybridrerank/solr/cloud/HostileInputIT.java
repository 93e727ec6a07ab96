package org.hybridrerank.solr.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCloudTestCase;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Malformed and hostile requests to the example configset's /hybrid handler over HTTP, on a one-shard and a
 * two-shard collection. Each case says what it must get: a 400 whose message names the parameter, or a
 * correct answer (with what "correct" means for it). None may be a 500, and none may hang.
 */
public class HostileInputIT extends ExampleCloudTestCase {
    private static final List<String> COLLECTIONS = List.of("single", "sharded");

    @BeforeClass
    public static void setUpCluster() throws Exception {
        startExampleCluster(1, OverlapOracle.dir());
        createCollection(cluster, "single", 1, 1);
        createCollection(cluster, "sharded", 2, 1);
        var docs = Beir.corpus(SharedData.scifact(), 40).values();
        for (String collection : COLLECTIONS) Beir.index(cluster.getSolrClient(collection), docs, n -> {});
    }

    private record Case(
            String name, Map<String, String> params, Pattern badParam, Predicate<QueryResponse> answer, String why) {}

    private static final List<Case> CASES = new ArrayList<>();

    /**
     * Must be a 400 whose message names {@code param} in quotes, as the plugin's messages and Solr's own
     * ("'rows' parameter cannot be negative") do. A bare contains(name) would be met by "q" or "rows" in almost any
     * message.
     */
    private static void bad(String name, String param, String... keyValues) {
        CASES.add(new Case(
                name,
                requestParams(keyValues),
                Pattern.compile(Pattern.quote("'" + param + "'")),
                null,
                "400 naming '" + param + "'"));
    }

    /** Must be a 400 whose message names {@code param} unquoted, as a whole word (not inside another name). */
    private static void badUnquoted(String name, String param, String... keyValues) {
        CASES.add(new Case(
                name,
                requestParams(keyValues),
                Pattern.compile("(?<![\\w.'])" + Pattern.quote(param) + "(?![\\w.'])"),
                null,
                "400 naming " + param));
    }

    /** Must be answered (200) and satisfy {@code answer}, described by {@code why}. */
    private static void ok(String name, String why, Predicate<QueryResponse> answer, String... keyValues) {
        CASES.add(new Case(name, requestParams(keyValues), null, answer, why));
    }

    private static Map<String, String> requestParams(String... keyValues) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("q", "vitamin d deficiency");
        for (int i = 0; i < keyValues.length; i += 2) {
            if (keyValues[i + 1] == null) m.remove(keyValues[i]);
            else m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static String rq(String localParams) {
        return "{!crossencoder " + localParams + "}";
    }

    private static String vector(int dimension, String value) {
        return "[" + String.join(",", java.util.Collections.nCopies(dimension, value)) + "]";
    }

    private static Predicate<QueryResponse> status(String status) {
        return rsp -> status.equals(rsp.getHeader().get("rerank.status"));
    }

    private static final Predicate<QueryResponse> HITS = rsp -> rsp.getResults().getNumFound() > 0;
    private static final Predicate<QueryResponse> RERANKED_HITS = HITS.and(status("ok"));

    static {
        String big = "vitamin ".repeat(131_072); // 1 MB
        // {!crossencoder} local params
        bad("negative reRankDocs", "reRankDocs", "rq", rq("reRankDocs=-1"));
        bad("zero reRankDocs", "reRankDocs", "rq", rq("reRankDocs=0"));
        bad("reRankDocs above maxReRankDocs", "reRankDocs", "rq", rq("reRankDocs=1001"));
        bad("huge reRankDocs", "reRankDocs", "rq", rq("reRankDocs=99999999999999999999999"));
        bad("non-numeric reRankDocs", "reRankDocs", "rq", rq("reRankDocs=ten"));
        bad("fractional reRankDocs", "reRankDocs", "rq", rq("reRankDocs=1.5"));
        bad("NaN reRankDocs", "reRankDocs", "rq", rq("reRankDocs=NaN"));
        bad("NaN threshold", "threshold", "rq", rq("threshold=NaN"));
        bad("infinite threshold", "threshold", "rq", rq("threshold=Infinity"));
        bad("non-numeric threshold", "threshold", "rq", rq("threshold=high"));
        bad("threshold beyond float", "threshold", "rq", rq("threshold=1e309"));
        bad("unknown model", "model", "rq", rq("model=gpt"));
        bad("empty model", "model", "rq", rq("model=''"));
        bad("unknown field", "fields", "rq", rq("fields=nope"));
        bad("fields of commas only", "fields", "rq", rq("fields=,,"));
        bad("empty reRankText", "reRankText", "rq", rq("reRankText=''"));
        bad("blank reRankText", "reRankText", "rq", rq("reRankText='   '"));
        bad("unknown score transform", "score", "rq", rq("score=probability"));
        bad("negative timeout", "timeout", "rq", rq("timeout=-5"));
        bad("timeout above a day", "timeout", "rq", rq("timeout=99999999999"));
        bad("negative reRankTimeAllowed", "reRankTimeAllowed", "rq", rq("reRankTimeAllowed=-5"));
        bad("reRankTimeAllowed above a day", "reRankTimeAllowed", "rq", rq("reRankTimeAllowed=99999999999"));
        bad("unknown reRankOperator", "reRankOperator", "rq", rq("reRankOperator=divide"));
        bad("NaN reRankWeight", "reRankWeight", "rq", rq("reRankWeight=NaN"));
        bad("non-numeric reRankWeight", "reRankWeight", "rq", rq("reRankWeight=heavy"));
        bad("reversed reRankScale", "reRankScale", "rq", rq("reRankScale=1-0"));
        bad("malformed reRankScale", "reRankScale", "rq", rq("reRankScale=abc"));
        bad("negative reRankMainScale", "reRankMainScale", "rq", rq("reRankMainScale=-1-2"));
        bad("unknown longDocs", "longDocs", "rq", rq("longDocs=split"));
        bad("unknown windowPooling", "windowPooling", "rq", rq("windowPooling=median"));
        bad("non-boolean enabled", "enabled", "rq", rq("enabled=maybe"));
        bad("non-boolean scoreCache", "scoreCache", "rq", rq("scoreCache=perhaps"));
        bad("unbalanced rq", "rq", "rq", "{!crossencoder reRankDocs=5");
        badUnquoted(
                "rq that is not a rank query", "rq", "rq", "title:vitamin"); // Solr: "rq parameter must be a RankQuery"
        // hybrid.* request params
        bad("unknown mode", "hybrid.mode", "hybrid.mode", "fusion");
        bad("zero rrf.k", "hybrid.rrf.k", "hybrid.rrf.k", "0");
        bad("negative rrf.k", "hybrid.rrf.k", "hybrid.rrf.k", "-1");
        bad("non-numeric rrf.k", "hybrid.rrf.k", "hybrid.rrf.k", "sixty");
        bad("zero lexical topN", "hybrid.lexical.topN", "hybrid.lexical.topN", "0");
        bad("lexical topN above the cap", "hybrid.lexical.topN", "hybrid.lexical.topN", "100001");
        bad("negative vector topN", "hybrid.vector.topN", "hybrid.vector.topN", "-3");
        bad("vector topN in exponent notation", "hybrid.vector.topN", "hybrid.vector.topN", "1e3");
        bad("negative weight", "hybrid.weights", "hybrid.weights", "lexical:-1");
        bad("both weights zero", "hybrid.weights", "hybrid.weights", "lexical:0,vector:0");
        bad("unknown list in weights", "hybrid.weights", "hybrid.weights", "bm25:1");
        bad("weight without value", "hybrid.weights", "hybrid.weights", "lexical");
        bad("NaN weight", "hybrid.weights", "hybrid.weights", "lexical:NaN");
        bad("vector of the wrong dimension", "hybrid.vector", "hybrid.vector", "[0.1,0.2,0.3]");
        bad("vector that is not JSON", "hybrid.vector", "hybrid.vector", "0.1 0.2");
        bad("vector that is an object", "hybrid.vector", "hybrid.vector", "{\"a\":1}");
        bad("vector of strings", "hybrid.vector", "hybrid.vector", vector(384, "\"x\""));
        bad("vector with NaN", "hybrid.vector", "hybrid.vector", vector(384, "NaN"));
        bad("vector beyond float", "hybrid.vector", "hybrid.vector", vector(384, "1e39"));
        bad("all-zero vector on a cosine field", "hybrid.vector", "hybrid.vector", vector(384, "0"));
        bad("vector field that is a text field", "hybrid.vector.field", "hybrid.vector.field", "title");
        bad("vector field that does not exist", "hybrid.vector.field", "hybrid.vector.field", "nope");
        bad("non-boolean hybrid", "hybrid", "hybrid", "maybe");
        bad("empty hybrid.qf", "hybrid.qf", "hybrid.qf", "");
        bad("empty q", "q", "q", "");
        bad("no q", "q", "q", null);
        bad("forged shard candidates", "hybrid.shard.candidates", "hybrid.shard.candidates", "[1,2");
        // Solr's own params next to rq
        // the parser's messages say "cannot be combined with group=true" and "... with cursorMark"
        badUnquoted("rq with group=true", "group", "group", "true", "group.field", "id");
        badUnquoted("rq with cursorMark", "cursorMark", "cursorMark", "*", "sort", "score desc,id asc");
        bad("rq with a field sort", "sort", "sort", "id asc");
        bad("negative start", "start", "start", "-1");
        bad("negative rows", "rows", "rows", "-1");
        bad("non-numeric rows", "rows", "rows", "ten");
        bad("malformed fq", "fq", "fq", "title:(unbalanced");
        // correct answers
        ok("unknown local param", "ignored, as Solr's own parsers do: reranked", status("ok"), "rq", rq("reRankDcs=5"));
        ok("score sort with a tie-break", "reranked", status("ok"), "sort", "score desc, id asc");
        ok(
                "grouping with the rerank off",
                "grouped, not reranked",
                rsp -> rsp.getGroupResponse() != null,
                "rq",
                rq("enabled=false"),
                "group",
                "true",
                "group.field",
                "id");
        ok(
                "1 MB q",
                "reranked; the model sees the first 64 query tokens",
                status("ok"),
                "q",
                big,
                "rq",
                rq("reRankDocs=5"));
        ok(
                "1 MB reRankText",
                "reranked; the query side is capped at 64 tokens",
                status("ok"),
                "rq",
                rq("reRankDocs=5 reRankText=$rt"),
                "rt",
                big);
        ok("control characters in q", "answered, reranked", status("ok"), "q", "vitamin\u0000\u0007\u001b d\u0008");
        ok("unicode in q", "answered, reranked", status("ok"), "q", "vitamin D 💊 维生素 فيتامين \u0301\u202e");
        ok("only punctuation in q", "answered from the vector list, reranked", RERANKED_HITS, "q", "?!?");
        ok("huge rows", "all candidates, the top K reranked", RERANKED_HITS, "rows", "1000000");
        ok(
                "start past the end",
                "no docs, numFound kept",
                rsp -> rsp.getResults().isEmpty() && rsp.getResults().getNumFound() > 0,
                "start",
                "100000");
        ok(
                "rows=0",
                "counted, nothing reranked",
                rsp -> rsp.getResults().isEmpty()
                        && "skipped".equals(rsp.getHeader().get("rerank.status")),
                "rows",
                "0");
        ok(
                "timeAllowed=1",
                "answered and flagged: rerank.status (reranked, or first-stage order on timeout), or Solr's "
                        + "partialResults when the limit runs out before the stages",
                rsp -> rsp.getHeader().get("rerank.status") != null
                        || Boolean.TRUE.equals(rsp.getHeader().get("partialResults")),
                "timeAllowed",
                "1");
        ok(
                "tiny timeout",
                "answered; reranked or first-stage order with status timeout",
                rsp -> List.of("ok", "timeout").contains(rsp.getHeader().get("rerank.status")),
                "rq",
                rq("timeout=1"));
        ok(
                "tiny reRankTimeAllowed",
                "answered; reranked, partly reranked, or first-stage order with status timeout",
                rsp -> List.of("ok", "partial", "timeout")
                        .contains(rsp.getHeader().get("rerank.status")),
                "rq",
                rq("reRankTimeAllowed=1"));
        ok("reRankDocs from a param reference", "reranked", status("ok"), "rq", rq("reRankDocs=$k"), "k", "5");
        ok(
                "explicit vector in lexical mode",
                "vector ignored, reranked",
                RERANKED_HITS,
                "hybrid.mode",
                "lexical",
                "hybrid.vector",
                "[1]");
        ok("valid explicit vector", "reranked", RERANKED_HITS, "hybrid.vector", vector(384, "0.05"));
        bad("vector whose norm overflows a float", "hybrid.vector", "hybrid.vector", vector(384, "3e38"));
        ok(
                "large vector with a finite norm",
                "reranked (cosine normalises)",
                RERANKED_HITS,
                "hybrid.vector",
                vector(384, "1e17"));
        ok(
                "debug=true",
                "reranked, with the debug.hybrid and debug.rerank sections and an explain per doc",
                RERANKED_HITS.and(rsp -> rsp.getDebugMap() != null
                        && rsp.getDebugMap().get("hybrid") != null
                        && rsp.getDebugMap().get("rerank") != null
                        && rsp.getExplainMap() != null
                        && rsp.getExplainMap().size() == rsp.getResults().size()),
                "debug",
                "true");
        ok(
                "debug=timing",
                "reranked, with the stage timers in debug.hybrid and debug.rerank",
                RERANKED_HITS.and(rsp -> rsp.getDebugMap() != null
                        && rsp.getDebugMap().get("hybrid") != null
                        && rsp.getDebugMap().get("rerank") != null),
                "debug",
                "timing");
        ok(
                "threshold above every score",
                "reranked, no docs left",
                status("ok").and(rsp -> rsp.getResults().getNumFound() == 0),
                "rq",
                rq("threshold=2"));
    }

    @Test
    public void everyHostileRequestGetsA400NamingTheParameterOrACorrectAnswer() throws Exception {
        assertEquals("the cases the README counts", 90, CASES.size());
        List<String> failures = new ArrayList<>();
        for (String collection : COLLECTIONS) {
            for (Case c : CASES) {
                String failure = run(collection, c);
                if (failure != null)
                    failures.add(collection + " / " + c.name() + " (expected " + c.why() + "): " + failure);
            }
        }
        assertTrue(
                failures.size() + " of " + 2 * CASES.size() + " failed:\n" + String.join("\n", failures),
                failures.isEmpty());
    }

    /** A page holds min(rows, numFound - start) docs (rows defaults to the handler's 10); grouped answers have none. */
    private static String wrongPageSize(Case c, QueryResponse rsp) {
        if (rsp.getResults() == null) return rsp.getGroupResponse() != null ? null : "no results";
        long rows = Long.parseLong(c.params().getOrDefault("rows", "10"));
        long start = Long.parseLong(c.params().getOrDefault("start", "0"));
        long expected = Math.max(0, Math.min(rows, rsp.getResults().getNumFound() - start));
        return rsp.getResults().size() == expected
                ? null
                : rsp.getResults().size() + " docs for rows=" + rows + ", start=" + start + ", numFound="
                        + rsp.getResults().getNumFound();
    }

    private static String run(String collection, Case c) {
        ModifiableSolrParams params = new ModifiableSolrParams();
        c.params().forEach(params::set);
        QueryRequest request = new QueryRequest(params, SolrRequest.METHOD.POST);
        request.setPath("/hybrid");
        try {
            QueryResponse rsp = request.process(http, collection);
            if (c.badParam() != null) return "answered 200 instead";
            String wrongPage = wrongPageSize(c, rsp);
            if (wrongPage != null) return wrongPage;
            return c.answer().test(rsp)
                    ? null
                    : "wrong answer: header " + rsp.getHeader() + ", numFound "
                            + (rsp.getResults() == null
                                    ? null
                                    : rsp.getResults().getNumFound());
        } catch (SolrException e) {
            if (c.badParam() == null) return "HTTP " + e.code() + ": " + e.getMessage();
            if (e.code() != 400) return "HTTP " + e.code() + " instead of 400: " + e.getMessage();
            return c.badParam().matcher(e.getMessage()).find()
                    ? null
                    : "400 without " + c.why() + ": " + e.getMessage();
        } catch (Exception e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
