package org.hybridrerank.solr.context;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.NamedList;
import org.hybridrerank.solr.model.Calibration;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Calibrated confidences and context packing on a core of the example configset, with the overlap oracle as the
 * cross-encoder: its score is the fraction of the query's word-pieces found in the passage read, so every score,
 * confidence, span and token count below is worked out from the docs' words. The default model ("minilm") is a
 * copy of the oracle whose config.json carries a calibration a=4, b=−2 (confidence = sigmoid(4·score − 2)); model
 * "raw" is the oracle without one. Both read 40 tokens: with the two-token query "zebra lion", 35 of passage.
 */
public class ContextRequestTest extends ExampleCoreTestCase {
    private static final double A = 4;
    private static final double B = -2;
    private static final int ROOM = 40 - 3 - 2;
    private static final String QUERY = "zebra lion";
    private static OverlapOracle oracle;

    /** id, first-pass score (n_i), title, text. Every word is one word-piece of the oracle's vocabulary. */
    private static final String[][] DOCS = {
        {"d1", "60", "alpha", "zebra lion walks home"},
        {"d2", "50", "beta", "zebra only here today"},
        {"d3", "40", "gamma", "nothing to see here at all"},
        {"d4", "30", "delta", words(34) + " zebra lion"},
        {"d5", "20", "epsilon", "lion sleeps tonight"},
        {"d6", "10", "zeta", "the end"},
    };

    /** n words of filler, each one word-piece. */
    private static String words(int n) {
        List<String> w = new ArrayList<>();
        for (int i = 0; i < n; i++) w.add("cat");
        return String.join(" ", w);
    }

    private static String modelText(String[] doc) {
        return doc[2] + " " + doc[3];
    }

    @BeforeClass
    public static void beforeClass() throws Exception {
        Path calibrated = OverlapOracle.calibratedCopy(createTempDir("calibrated-oracle"), A, B);
        String raw = OverlapOracle.dir().toString();
        String window = "<int name=\"maxLength\">40</int><int name=\"maxQueryLength\">8</int>";
        initExampleCore(
                (name, text) -> !name.equals("solrconfig.xml")
                        ? text
                        : text.replace(
                                        "${hybrid.crossencoder.maxLength:128}</int>",
                                        "40</int><int name=\"maxQueryLength\">8</int>")
                                .replace(
                                        "<lst name=\"minilm\">",
                                        "<lst name=\"raw\"><str name=\"path\">" + raw
                                                + "</str>" + window + "</lst>\n"
                                                + "      <lst name=\"minilm\">"),
                calibrated);
        oracle = new OverlapOracle();
        for (String[] d : DOCS) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", d[0]);
            doc.addField("n_i", Integer.parseInt(d[1]));
            doc.addField("title", d[2]);
            doc.addField("text", d[3]);
            solr.add(doc);
            // the premise of every expectation: one word, one word-piece
            assertEquals(modelText(d).split(" ").length, oracle.tokenCount(modelText(d)));
        }
        solr.commit();
    }

    @AfterClass
    public static void closeOracle() {
        if (oracle != null) oracle.close();
        oracle = null;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double confidence(double score) {
        return new Calibration(A, B, null).confidence(score);
    }

    /** First pass by n_i (d1..d6), K=3 reranked by the oracle alone (fusion=replace), "zebra lion". */
    private static SolrQuery request(String rqExtra, String... more) {
        SolrQuery q = new SolrQuery("{!func}field(n_i)");
        q.set("defType", "lucene"); // the handler's edismax would not read the local params
        q.set("rq", "{!crossencoder reRankDocs=3 fusion=replace reRankText='" + QUERY + "'" + rqExtra + "}");
        q.setFields("id", "score", "[hybrid]");
        q.setRows(6);
        for (int i = 0; i < more.length; i += 2) q.add(more[i], more[i + 1]);
        return q;
    }

    private static List<Object> ids(QueryResponse rsp) {
        return rsp.getResults().stream().map(d -> d.get("id")).toList();
    }

    private static NamedList<?> context(QueryResponse rsp) {
        return (NamedList<?>) rsp.getResponse().get("context");
    }

    private static List<NamedList<?>> passages(QueryResponse rsp) {
        List<NamedList<?>> out = new ArrayList<>();
        for (Object p : (List<?>) context(rsp).get("passages")) out.add((NamedList<?>) p);
        return out;
    }

    private static String[] doc(String id) {
        for (String[] d : DOCS) if (d[0].equals(id)) return d;
        throw new AssertionError(id);
    }

    /** The passage each doc contributes: the whole model text, but d4's head, its first 35 words. */
    private static String expectedText(String id) {
        String text = modelText(doc(id));
        String[] w = text.split(" ");
        return w.length <= ROOM ? text : String.join(" ", java.util.Arrays.copyOf(w, ROOM));
    }

    private static int tokens(String id) {
        return oracle.tokenCount(expectedText(id));
    }

    @Test
    public void ceConfidenceIsTheCalibratedScoreAndAbsentWithoutCalibration() throws Exception {
        QueryResponse rsp = solr.query(request(""));
        // oracle scores: d1 both words (1.0), d2 "zebra" (0.5), d3 none (0.0); below the window d4..d6
        assertEquals(List.of("d1", "d2", "d3", "d4", "d5", "d6"), ids(rsp));
        double[] scores = {1.0, 0.5, 0.0};
        for (int i = 0; i < 3; i++) {
            NamedList<?> info = (NamedList<?>) rsp.getResults().get(i).get("[hybrid]");
            assertEquals(scores[i], ((Number) info.get("ce_score")).doubleValue(), 1e-6);
            assertEquals(
                    "confidence = sigmoid(4·score − 2)",
                    sigmoid(A * scores[i] + B),
                    ((Number) info.get("ce_confidence")).doubleValue(),
                    1e-6);
        }
        NamedList<?> below = (NamedList<?>) rsp.getResults().get(3).get("[hybrid]");
        assertNull("not reranked: no confidence", below.get("ce_confidence"));

        QueryResponse plain = solr.query(request(" model=raw"));
        for (SolrDocument d : plain.getResults()) {
            NamedList<?> info = (NamedList<?>) d.get("[hybrid]");
            assertNull("model without calibration: never invented", info.get("ce_confidence"));
        }
        assertNotNull(((NamedList<?>) plain.getResults().get(0).get("[hybrid]")).get("ce_score"));

        // score=sigmoid: ce_score is sigmoid(logit), the confidence still reads the logit
        QueryResponse sig = solr.query(request(" score=sigmoid"));
        NamedList<?> first = (NamedList<?>) sig.getResults().get(0).get("[hybrid]");
        assertEquals(sigmoid(1.0), ((Number) first.get("ce_score")).doubleValue(), 1e-6);
        assertEquals(sigmoid(A + B), ((Number) first.get("ce_confidence")).doubleValue(), 1e-6);
    }

    @Test
    public void minConfidenceKeepsTheReRankedDocsThatReachIt() throws Exception {
        // confidences 0.881, 0.5, 0.119: 0.5 keeps d1 and d2 (equal passes), numFound counts them
        QueryResponse rsp = solr.query(request(" minConfidence=0.5"));
        assertEquals(List.of("d1", "d2"), ids(rsp));
        assertEquals(2, rsp.getResults().getNumFound());
        assertEquals(List.of("d1"), ids(solr.query(request(" minConfidence=0.51"))));
        assertEquals(3, solr.query(request(" minConfidence=0")).getResults().getNumFound());
        // threshold keeps its meaning on the raw score, and both apply
        assertEquals(List.of("d1", "d2"), ids(solr.query(request(" threshold=0.5"))));
        assertEquals(List.of("d1"), ids(solr.query(request(" threshold=0.5 minConfidence=0.6"))));
    }

    @Test
    public void badMinConfidenceIsA400NamingIt() {
        for (String bad : List.of("1.5", "-0.1", "abc", "NaN")) {
            SolrException e = expectThrows(SolrException.class, () -> solr.query(request(" minConfidence=" + bad)));
            assertEquals(bad, 400, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("'minConfidence'"));
        }
        SolrException e = expectThrows(SolrException.class, () -> solr.query(request(" model=raw minConfidence=0.5")));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("'minConfidence' needs a calibrated model"));
        assertTrue(e.getMessage(), e.getMessage().contains("'raw' has no calibration"));
    }

    @Test
    public void theContextSectionPacksThePageInFinalOrder() throws Exception {
        int budget = 10_000;
        QueryResponse rsp = solr.query(request("", "context", "true", "context.tokens", Integer.toString(budget)));
        NamedList<?> context = context(rsp);
        assertEquals("minilm", context.get("tokenizer"));
        assertEquals(budget, context.get("budget"));
        assertEquals("candidates", context.get("stoppedBy"));
        List<NamedList<?>> passages = passages(rsp);
        assertEquals(ids(rsp), passages.stream().map(p -> p.get("id")).toList());
        int used = 0;
        double[] scores = {1.0, 0.5, 0.0};
        for (int i = 0; i < passages.size(); i++) {
            NamedList<?> p = passages.get(i);
            String id = (String) p.get("id");
            String text = expectedText(id);
            assertEquals(id, text, p.get("text"));
            assertEquals(id + " span", List.of(0, text.length()), p.get("span"));
            assertEquals(id + " tokens", tokens(id), p.get("tokens"));
            used += tokens(id);
            boolean reranked = i < 3;
            assertEquals(id, reranked, p.get("reranked"));
            if (reranked) {
                assertEquals(id, confidence(scores[i]), ((Number) p.get("confidence")).doubleValue(), 1e-12);
                // the span is the one [hybrid] reports as ce_passage
                NamedList<?> info = (NamedList<?>) rsp.getResults().get(i).get("[hybrid]");
                assertEquals(id, info.get("ce_passage"), p.get("span"));
            } else {
                assertNull(id + ": a head has no confidence", p.get("confidence"));
            }
        }
        assertEquals(ROOM, tokens("d4")); // d4's head: the 35 tokens the model would read beside the query
        assertEquals(used, context.get("tokensUsed"));
    }

    @Test
    public void budgetEdges() throws Exception {
        int twoFirst = tokens("d1") + tokens("d2");
        QueryResponse exact = solr.query(request("", "context", "true", "context.tokens", Integer.toString(twoFirst)));
        assertEquals(
                List.of("d1", "d2"),
                passages(exact).stream().map(p -> p.get("id")).toList());
        assertEquals(twoFirst, context(exact).get("tokensUsed"));
        assertEquals("budget", context(exact).get("stoppedBy"));

        QueryResponse over =
                solr.query(request("", "context", "true", "context.tokens", Integer.toString(twoFirst - 1)));
        assertEquals(
                List.of("d1"), passages(over).stream().map(p -> p.get("id")).toList());
        assertEquals("budget", context(over).get("stoppedBy"));

        // d4's head (35) does not fit what d1..d3 leave of budget; d5 and d6 would, and are not packed
        int firstThree = tokens("d1") + tokens("d2") + tokens("d3");
        int budget = firstThree + tokens("d5") + tokens("d6") + 1;
        assertTrue(budget - firstThree < tokens("d4"));
        QueryResponse stop = solr.query(request("", "context", "true", "context.tokens", Integer.toString(budget)));
        assertEquals(
                List.of("d1", "d2", "d3"),
                passages(stop).stream().map(p -> p.get("id")).toList());
        assertEquals("budget", context(stop).get("stoppedBy"));
    }

    @Test
    public void minConfidenceStopsTheContext() throws Exception {
        QueryResponse rsp =
                solr.query(request("", "context", "true", "context.tokens", "10000", "context.minConfidence", "0.5"));
        assertEquals(
                List.of("d1", "d2"),
                passages(rsp).stream().map(p -> p.get("id")).toList());
        assertEquals("threshold", context(rsp).get("stoppedBy"));
        assertEquals(0.5, context(rsp).get("minConfidence"));
        // a minimum every reranked doc passes stops at the first head, which has no confidence
        QueryResponse low =
                solr.query(request("", "context", "true", "context.tokens", "10000", "context.minConfidence", "0.01"));
        assertEquals(
                List.of("d1", "d2", "d3"),
                passages(low).stream().map(p -> p.get("id")).toList());
        assertEquals("threshold", context(low).get("stoppedBy"));
    }

    @Test
    public void withoutTheRerankEveryPassageIsAHead() throws Exception {
        SolrQuery q = request("", "context", "true", "context.tokens", "10000");
        q.set("rq", "{!crossencoder enabled=false reRankText='" + QUERY + "'}");
        QueryResponse rsp = solr.query(q);
        List<NamedList<?>> passages = passages(rsp);
        assertEquals(
                List.of("d1", "d2", "d3", "d4", "d5", "d6"),
                passages.stream().map(p -> p.get("id")).toList());
        for (NamedList<?> p : passages) {
            assertEquals(false, p.get("reranked"));
            assertNull(p.get("confidence"));
            assertEquals(expectedText((String) p.get("id")), p.get("text"));
        }
    }

    @Test
    public void aRepeatedRequestServedFromTheCacheHasTheSameContext() throws Exception {
        SolrQuery q = request("", "context", "true", "context.tokens", "30", "fq", "n_i:[0 TO 100]");
        QueryResponse first = solr.query(q);
        long hits = CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits");
        QueryResponse again = solr.query(q);
        assertEquals(
                "a queryResultCache hit", hits + 1, CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits"));
        assertEquals(context(first).toString(), context(again).toString());
        // d1..d3 take 5 + 5 + 7 tokens, d4's head 35 more
        assertEquals(
                List.of("d1", "d2", "d3"),
                passages(again).stream().map(p -> p.get("id")).toList());
        assertEquals(true, passages(again).get(0).get("reranked"));
        assertEquals("budget", context(again).get("stoppedBy"));
    }

    @Test
    public void anotherConfiguredTokenizerIsNamed() throws Exception {
        QueryResponse rsp =
                solr.query(request("", "context", "true", "context.tokens", "10000", "context.tokenizer", "raw"));
        assertEquals("raw", context(rsp).get("tokenizer"));
        // the same vocabulary: the same counts
        assertEquals(tokens("d1"), passages(rsp).get(0).get("tokens"));
    }

    @Test
    public void noContextWithoutTheParameter() throws Exception {
        assertNull(solr.query(request("")).getResponse().get("context"));
        assertNull(solr.query(request("", "context", "false", "context.tokens", "5"))
                .getResponse()
                .get("context"));
    }

    @Test
    public void badContextParametersAre400sNamingThem() {
        String[][] cases = {
            {"context.tokens", null, "'context.tokens' is required"},
            {"context.tokens", "0", "'context.tokens' must be an integer in [1, 1000000]"},
            {"context.tokens", "-5", "'context.tokens' must be an integer in [1, 1000000]"},
            {"context.tokens", "abc", "'context.tokens' must be an integer in [1, 1000000]"},
            {"context.tokens", "1000001", "'context.tokens' must be an integer in [1, 1000000]"},
            {"context.minConfidence", "1.5", "'context.minConfidence' must be a number in [0, 1]"},
            {"context.minConfidence", "x", "'context.minConfidence' must be a finite number"},
            {"context.tokenizer", "nope", "'context.tokenizer' names no configured model: 'nope'"},
        };
        for (String[] c : cases) {
            SolrQuery q = request("", "context", "true");
            if (!c[0].equals("context.tokens")) q.set("context.tokens", 100);
            if (c[1] != null) q.set(c[0], c[1]);
            SolrException e = expectThrows(SolrException.class, () -> solr.query(q));
            assertEquals(c[0] + "=" + c[1], 400, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains(c[2]));
        }
        SolrQuery notBool = request("", "context", "maybe", "context.tokens", "5");
        SolrException e = expectThrows(SolrException.class, () -> solr.query(notBool));
        assertTrue(e.getMessage(), e.getMessage().contains("'context' must be true or false"));

        SolrQuery uncalibrated = request(" model=raw", "context", "true", "context.tokens", "5");
        uncalibrated.set("context.minConfidence", "0.5");
        e = expectThrows(SolrException.class, () -> solr.query(uncalibrated));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("'context.minConfidence' needs a calibrated model"));

        SolrQuery notReranked = request("", "context", "true", "context.tokens", "5", "context.minConfidence", "0.5");
        notReranked.set("rq", "{!crossencoder enabled=false}");
        e = expectThrows(SolrException.class, () -> solr.query(notReranked));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("'context.minConfidence' needs confidences"));

        for (String forged : List.of("nope", "{\"fields\": [\"nofield\"], \"separator\": \" \"}", "{}")) {
            SolrQuery q = request("", "context.shard.text", forged);
            e = expectThrows(SolrException.class, () -> solr.query(q));
            assertEquals(forged, 400, e.code());
            assertTrue(e.getMessage(), e.getMessage().contains("internal shard parameter 'context.shard.text'"));
        }

        SolrQuery window = request(" longDocs=window", "context", "true", "context.tokens", "5");
        e = expectThrows(SolrException.class, () -> solr.query(window));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("longDocs=window"));
    }
}
