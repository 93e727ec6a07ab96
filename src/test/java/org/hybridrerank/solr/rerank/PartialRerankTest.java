package org.hybridrerank.solr.rerank;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.CoreContainer;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.RerankContract;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.After;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code reRankTimeAllowed}: the soft budget of the rerank stage. The budget runs on the virtual clock
 * ({@link RerankClock#VIRTUAL_PROPERTY}): each chunk of {@link Coverage#CHUNK_DOCS} docs the oracle scores costs 100
 * virtual ms, so a budget of 200 ms allows exactly two chunks, with no timing involved. Expected rankings and scores
 * are computed here from the oracle's formula and the fusion formulas, independently of the plugin: the scored
 * prefix (the first 16 of the first-pass top 20) ranked as a window, the rest in first-pass order under it.
 */
public class PartialRerankTest extends RerankCoreTestCase {
    static final String QUERY = CrossEncoderRerankTest.QUERY;
    private static final String[] QUERY_WORDS = QUERY.split(" ");
    /** How many of the query's words each doc holds, in first-pass order: the best docs sit at places 17-20. */
    private static final int[] WORDS = {2, 5, 1, 7, 3, 0, 4, 6, 2, 5, 3, 6, 1, 4, 7, 0, 8, 8, 8, 8, 6, 1, 4, 8};
    /** id → {title, text, first-pass score}; first-pass order is p01 > p02 > ... > p24. */
    static final Map<String, Object[]> DOCS = new LinkedHashMap<>();

    static {
        for (int i = 0; i < WORDS.length; i++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < WORDS[i]; w++)
                text.append(QUERY_WORDS[(i + w) % QUERY_WORDS.length]).append(' ');
            text.append("notes about stock markets with cooking recipes");
            DOCS.put(
                    String.format(java.util.Locale.ROOT, "p%02d", i + 1),
                    new Object[] {"Record", text.toString(), (float) (WORDS.length - i)});
        }
    }

    private static final List<String> FIRST_PASS = new ArrayList<>(DOCS.keySet());
    private static final int K = 20;
    /** Two chunks of 8: the first 16 of the window. */
    private static final int COVERED = 2 * Coverage.CHUNK_DOCS;

    private static final String PARTIALS = "QUERYPARSER.crossencoder.partials";
    private static final String RERANKS = "QUERYPARSER.crossencoder.reranks";
    private static final String TIMEOUTS = "QUERYPARSER.crossencoder.timeouts";
    private static final String PAIRS = "QUERYPARSER.crossencoder.pairsScored";
    private static final String HITS = "QUERYPARSER.crossencoder.scoreCacheHits";

    private static OverlapOracle oracle;

    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        indexDocs(DOCS);
        oracle = new OverlapOracle();
    }

    @AfterClass
    public static void afterClass() throws Exception {
        if (oracle != null) oracle.close();
        oracle = null;
        System.clearProperty(RerankClock.VIRTUAL_PROPERTY);
    }

    /** Every test starts on the virtual clock: nothing before the first chunk, 100 ms per chunk. */
    @Before
    public void virtualClock() {
        System.setProperty(RerankClock.VIRTUAL_PROPERTY, "0,100");
    }

    @After
    public void realClock() {
        System.clearProperty(RerankClock.VIRTUAL_PROPERTY);
    }

    private static float model(String id) {
        Object[] d = DOCS.get(id);
        return (float) oracle.score(QUERY, d[0] + " " + d[1]);
    }

    private static float firstPass(String id) {
        return (Float) DOCS.get(id)[2];
    }

    /** The request: the first pass is {@code first_pass}, every doc on one page, the score cache off. */
    static SolrQuery query(String local) {
        SolrQuery q = new SolrQuery("{!func}first_pass");
        q.set("rrq", QUERY);
        q.set("rq", "{!crossencoder reRankText=$rrq " + local + "}");
        q.setFields("id", "score");
        q.setRows(DOCS.size());
        return q;
    }

    private static QueryResponse rerank(String local) throws Exception {
        return solr.query(query("reRankDocs=" + K + " scoreCache=false " + local));
    }

    private static List<String> ids(QueryResponse rsp) {
        return CrossEncoderRerankTest.ids(rsp);
    }

    private static String status(QueryResponse rsp) {
        return CrossEncoderRerankTest.status(rsp);
    }

    private static long count(String metric) {
        return CoreMetrics.count(h.getCore(), metric);
    }

    /** 1-based ranks of {@code docs} by {@code score} descending, ties in first-pass order. */
    private static Map<String, Integer> ranks(List<String> docs, ToDoubleFunction<String> score) {
        List<String> sorted = new ArrayList<>(docs);
        sorted.sort(Comparator.comparingDouble((String id) -> -score.applyAsDouble(id)));
        Map<String, Integer> ranks = new LinkedHashMap<>();
        for (int r = 0; r < sorted.size(); r++) ranks.put(sorted.get(r), r + 1);
        return ranks;
    }

    /**
     * The page the rule gives: the first {@code covered} docs of the first pass by their expected final score
     * (ties in first-pass order) with exactly those scores, then every other doc in first-pass order, its
     * first-pass score lowered under the window (docs/rerank-contract.md).
     */
    private static void assertRanking(QueryResponse rsp, int covered, Map<String, Double> expectedFinal) {
        RerankContract.assertWindowThenRest(
                rsp.getResults(), FIRST_PASS, PartialRerankTest::firstPass, covered, expectedFinal);
    }

    private static void assertPartial(QueryResponse rsp, int covered) {
        assertEquals("partial", status(rsp));
        assertEquals(covered + "/" + K, rsp.getHeader().get(RequestContext.COVERAGE_HEADER));
        String detail = (String) rsp.getHeader().get(RequestContext.DETAIL_HEADER);
        assertTrue(detail, detail.contains("reRankTimeAllowed=") && detail.contains("first " + covered + " of " + K));
    }

    @Test
    public void theFixtureRanksDifferentlyInTheFirst16AndInAll20() {
        // the oracle's best docs sit at places 17-20: a partial ranking that read them would show it
        double bestOf16 = FIRST_PASS.subList(0, COVERED).stream()
                .mapToDouble(PartialRerankTest::model)
                .max()
                .orElseThrow();
        for (String id : FIRST_PASS.subList(COVERED, K)) assertTrue(id, model(id) > bestOf16);
    }

    @Test
    public void twoChunksOfBudgetRankTheFirst16ByTheModelAndTheRestInFirstPassOrder() throws Exception {
        long partials = count(PARTIALS);
        long reranks = count(RERANKS);
        long pairs = count(PAIRS);
        QueryResponse rsp = rerank("reRankTimeAllowed=200");
        assertPartial(rsp, COVERED);
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String id : FIRST_PASS.subList(0, COVERED)) expected.put(id, (double) model(id));
        assertRanking(rsp, COVERED, expected);
        assertEquals("a partial rerank is counted as one", partials + 1, count(PARTIALS));
        assertEquals("and not as a full one", reranks, count(RERANKS));
        assertEquals("two chunks of 8 pairs scored", pairs + COVERED, count(PAIRS));
    }

    @Test
    public void rrfFusesTheScoredPrefixAsAWindowOf16() throws Exception {
        QueryResponse rsp = rerank("reRankTimeAllowed=200 fusion=rrf rrfK=10 modelWeight=2");
        assertPartial(rsp, COVERED);
        List<String> window = FIRST_PASS.subList(0, COVERED);
        Map<String, Integer> modelRanks = ranks(window, PartialRerankTest::model);
        Map<String, Double> expected = new LinkedHashMap<>();
        for (int i = 0; i < window.size(); i++) {
            String id = window.get(i);
            // the first-pass list and the model list, both ranked over the 16 scored docs only
            expected.put(id, 1.0 / (10 + i + 1) + 2.0 / (10 + modelRanks.get(id)));
        }
        assertRanking(rsp, COVERED, expected);
    }

    @Test
    public void linearNormalizesOverTheScoredPrefixOnly() throws Exception {
        QueryResponse rsp = rerank("reRankTimeAllowed=200 fusion=linear normalization=minmax modelWeight=0.5");
        assertPartial(rsp, COVERED);
        List<String> window = FIRST_PASS.subList(0, COVERED);
        double fLo =
                window.stream().mapToDouble(PartialRerankTest::firstPass).min().orElseThrow();
        double fHi =
                window.stream().mapToDouble(PartialRerankTest::firstPass).max().orElseThrow();
        double mLo = window.stream().mapToDouble(PartialRerankTest::model).min().orElseThrow();
        double mHi = window.stream().mapToDouble(PartialRerankTest::model).max().orElseThrow();
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String id : window) {
            expected.put(id, (firstPass(id) - fLo) / (fHi - fLo) + 0.5 * (model(id) - mLo) / (mHi - mLo));
        }
        assertRanking(rsp, COVERED, expected);
    }

    @Test
    public void aPartialAnswerIsTheAnswerOfAWindowOfItsCoverage() throws Exception {
        for (String method : List.of("", "fusion=rrf", "fusion=linear", "reRankOperator=add reRankScale=0-1")) {
            QueryResponse partial = rerank("reRankTimeAllowed=200 " + method);
            QueryResponse sixteen = solr.query(query("reRankDocs=" + COVERED + " scoreCache=false " + method));
            assertPartial(partial, COVERED);
            assertEquals(method, "ok", status(sixteen));
            assertEquals(method, ids(sixteen), ids(partial));
            for (int i = 0; i < DOCS.size(); i++) {
                assertEquals(
                        method + " at " + (i + 1),
                        (Float) sixteen.getResults().get(i).getFieldValue("score"),
                        (Float) partial.getResults().get(i).getFieldValue("score"),
                        0f);
            }
        }
    }

    @Test
    public void theTrustRuleJudgesTheScoredDocsOnly() throws Exception {
        List<String> prefix = FIRST_PASS.subList(0, COVERED);
        List<String> window = FIRST_PASS.subList(0, K);
        double gapOf16 = gap(prefix);
        double gapOf20 = gap(window);
        assertTrue("the fixture's gaps must differ: " + gapOf16 + " vs " + gapOf20, gapOf16 > gapOf20 + 0.05);
        double trustGap = (gapOf16 + gapOf20) / 2;
        QueryResponse partial = rerank("reRankTimeAllowed=200 fusion=rrf trustGap=" + trustGap);
        QueryResponse full = rerank("fusion=rrf trustGap=" + trustGap);
        assertPartial(partial, COVERED);
        assertEquals(
                "the 16 scored docs single out their best",
                Boolean.TRUE,
                partial.getHeader().get("rerank.modelTrusted"));
        assertEquals("all 20 do not", Boolean.FALSE, full.getHeader().get("rerank.modelTrusted"));
    }

    /** Best minus 10th best oracle score of {@code docs}. */
    private static double gap(List<String> docs) {
        List<Double> scores = new ArrayList<>();
        for (String id : docs) scores.add((double) model(id));
        scores.sort(Comparator.reverseOrder());
        return scores.get(0) - scores.get(Math.min(ModelTrust.AT_RANK, scores.size()) - 1);
    }

    @Test
    public void debugAndExplainSayWhatWasScored() throws Exception {
        SolrQuery q = query("reRankDocs=" + K + " scoreCache=false reRankTimeAllowed=200");
        q.set("debugQuery", true);
        QueryResponse rsp = solr.query(q);
        assertPartial(rsp, COVERED);
        NamedList<?> debug = (NamedList<?>) rsp.getDebugMap().get("rerank");
        assertEquals("partial", debug.get("status"));
        assertEquals(COVERED + "/" + K, debug.get("coverage"));
        assertEquals(COVERED, debug.get("docs"));
        String unscored = String.valueOf(rsp.getExplainMap().get(FIRST_PASS.get(COVERED)));
        assertTrue(unscored, unscored.contains("reRankTimeAllowed=200") && unscored.contains("first " + COVERED));
        String scored = String.valueOf(rsp.getExplainMap().get(FIRST_PASS.get(0)));
        assertTrue(scored, scored.contains("model score"));
    }

    @Test
    public void aBudgetSpentBeforeTheFirstChunkIsATimeoutWithFirstPassOrder() throws Exception {
        System.setProperty(RerankClock.VIRTUAL_PROPERTY, "300,100");
        long timeouts = count(TIMEOUTS);
        long partials = count(PARTIALS);
        long pairs = count(PAIRS);
        QueryResponse rsp = rerank("reRankTimeAllowed=200");
        assertEquals("timeout", status(rsp));
        assertNull(rsp.getHeader().get(RequestContext.COVERAGE_HEADER));
        String detail = (String) rsp.getHeader().get(RequestContext.DETAIL_HEADER);
        assertTrue(detail, detail.contains("reRankTimeAllowed=200") && detail.contains("before the first chunk"));
        assertEquals(FIRST_PASS, ids(rsp));
        for (SolrDocument d : rsp.getResults()) {
            assertEquals(firstPass((String) d.getFieldValue("id")), (Float) d.getFieldValue("score"), 0f);
        }
        assertEquals(timeouts + 1, count(TIMEOUTS));
        assertEquals(partials, count(PARTIALS));
        assertEquals("nothing scored", pairs, count(PAIRS));
        // a budget one virtual ms larger than the setup allows one chunk
        QueryResponse one = rerank("reRankTimeAllowed=301");
        assertPartial(one, Coverage.CHUNK_DOCS);
    }

    @Test
    public void withoutABudgetOrWithAnAmpleOneTheWholeWindowIsRankedAsToday() throws Exception {
        QueryResponse none = rerank("");
        QueryResponse ample = rerank("reRankTimeAllowed=86400000");
        QueryResponse exact = rerank("reRankTimeAllowed=300"); // three chunks: 8 + 8 + 4 docs
        Map<String, Double> expected = new LinkedHashMap<>();
        for (String id : FIRST_PASS.subList(0, K)) expected.put(id, (double) model(id));
        for (QueryResponse rsp : List.of(none, ample, exact)) {
            assertEquals("ok", status(rsp));
            assertNull(rsp.getHeader().get(RequestContext.COVERAGE_HEADER));
            assertNull(rsp.getHeader().get(RequestContext.DETAIL_HEADER));
            assertRanking(rsp, K, expected);
        }
        // the same answer with the system clock
        System.clearProperty(RerankClock.VIRTUAL_PROPERTY);
        QueryResponse real = rerank("reRankTimeAllowed=86400000");
        assertEquals("ok", status(real));
        assertEquals(ids(none), ids(real));
    }

    @Test
    public void cachedScoresCostNothingSoARepeatedQueryCompletes() throws Exception {
        // a text of its own: no other test has cached its scores
        String local = "reRankDocs=" + K + " reRankTimeAllowed=200 reRankText='vitamin d deficiency in older adults'";
        long pairs = count(PAIRS);
        long hits = count(HITS);
        QueryResponse first = solr.query(query(local));
        assertEquals("partial", status(first));
        assertEquals(COVERED + "/" + K, first.getHeader().get(RequestContext.COVERAGE_HEADER));
        assertEquals(pairs + COVERED, count(PAIRS));

        QueryResponse again = solr.query(query(local));
        assertEquals("the 16 cached scores are free, the last chunk fits the budget", "ok", status(again));
        assertNull(again.getHeader().get(RequestContext.COVERAGE_HEADER));
        assertEquals("only the last 4 docs scored", pairs + K, count(PAIRS));
        assertEquals(hits + COVERED, count(HITS));

        // and the complete answer is the one without a budget
        QueryResponse unlimited =
                solr.query(query("reRankDocs=" + K + " reRankText='vitamin d deficiency in older" + " adults'"));
        assertEquals(ids(unlimited), ids(again));
    }

    @Test
    public void badBudgetsAre400sNamingTheParameterAndItsRange() throws Exception {
        for (String bad : new String[] {"-1", "abc", "1.5", "86400001", "''"}) {
            var e = expectThrows(SolrException.class, () -> rerank("reRankTimeAllowed=" + bad));
            assertEquals(bad, 400, e.code());
            assertTrue(bad + ": " + e.getMessage(), e.getMessage().contains("'reRankTimeAllowed'"));
            assertTrue(bad + ": " + e.getMessage(), e.getMessage().contains("[0, 86400000]"));
        }
    }

    @Test
    public void aParserDefaultInSolrconfigAppliesAndIsValidatedAtCoreLoad() throws Exception {
        CoreContainer cc = h.getCoreContainer();
        Path good = coreWithParserDefault("budget200", "<long name=\"reRankTimeAllowed\">200</long>");
        cc.create("budget200", good, Map.of(), false);
        try (EmbeddedSolrServer budgeted = new EmbeddedSolrServer(cc, "budget200")) {
            for (Map.Entry<String, Object[]> e : DOCS.entrySet()) {
                org.apache.solr.common.SolrInputDocument doc = new org.apache.solr.common.SolrInputDocument();
                doc.addField("id", e.getKey());
                doc.addField("title", e.getValue()[0]);
                doc.addField("text", e.getValue()[1]);
                doc.addField("first_pass", e.getValue()[2]);
                budgeted.add(doc);
            }
            budgeted.commit();
            QueryResponse byDefault = budgeted.query(query("reRankDocs=" + K + " scoreCache=false"));
            assertPartial(byDefault, COVERED);
            QueryResponse overridden =
                    budgeted.query(query("reRankDocs=" + K + " scoreCache=false reRankTimeAllowed=0"));
            assertEquals("0 turns the default budget off", "ok", status(overridden));
        } finally {
            cc.unload("budget200", true, true, true);
        }
        Path bad = coreWithParserDefault("budgetbad", "<long name=\"reRankTimeAllowed\">-5</long>");
        Exception e = expectThrows(Exception.class, () -> cc.create("budgetbad", bad, Map.of(), false));
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause())
            messages.append(t.getMessage()).append(" | ");
        assertTrue(messages.toString(), messages.toString().contains("'reRankTimeAllowed'"));
    }

    /** A core of the test configset whose {@code {!crossencoder}} parser has one more setting. */
    private static Path coreWithParserDefault(String name, String setting) throws Exception {
        Path instance = Path.of(System.getProperty("hybrid.test.models.dir")).resolve("core-" + name);
        Path conf = Files.createDirectories(instance.resolve("conf"));
        Path testConf = TEST_PATH().resolve("collection1").resolve("conf");
        try (var files = Files.list(testConf)) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                Files.copy(file, conf.resolve(file.getFileName().toString()));
            }
        }
        String config = Files.readString(testConf.resolve("solrconfig.xml"))
                .replace("<int name=\"maxReRankDocs\">100</int>", "<int name=\"maxReRankDocs\">100</int>" + setting);
        assertTrue("the test configset changed", config.contains(setting));
        Files.writeString(conf.resolve("solrconfig.xml"), config);
        return instance;
    }
}
