package org.hybridrerank.solr.cloud;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.util.NamedList;
import org.hybridrerank.solr.rerank.RerankClock;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCloudTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * SolrCloud gives the one-node answer: the same ~500 SciFact docs in a 1-shard collection and in a
 * 2-shard × 2-replica one answer 20 claims identically (ids, order, scores within 1e-5, the [hybrid]
 * explanation, each reranked doc's ce_passage offsets exactly) in every mode — lexical, vector, rrf and rrf+ce — with
 * and without filters of every kind and under both lexical syntaxes, and K=50 reranking scores 50 pairs in all, not 50
 * per shard.
 */
public class CloudEquivalenceIT extends ExampleCloudTestCase {
    private static final String ONE = "one";
    private static final String TWO = "two";
    private static final List<String> CLAIMS = new ArrayList<>();

    @BeforeClass
    public static void setUpCluster() throws Exception {
        // the demo's default cross-encoder: dynamically quantized, so the equivalence also shows that a pair's score
        // does not depend on which shard, window or batch-mates it was scored with
        startExampleCluster(2, SharedData.model(SharedData.CROSS_ENCODER_INT8));
        createCollection(cluster, ONE, 1, 1);
        createCollection(cluster, TWO, 2, 2);

        var scifact = SharedData.scifact();
        Map<String, String> queries = Beir.queries(scifact);
        Set<String> judged = new HashSet<>();
        for (Map.Entry<String, List<String>> q : Beir.qrels(scifact, "test").entrySet()) {
            if (CLAIMS.size() == 20) break;
            CLAIMS.add(queries.get(q.getKey()));
            judged.addAll(q.getValue());
        }
        List<Dataset.Doc> docs = new ArrayList<>(Beir.docsById(scifact, judged).values());
        for (Dataset.Doc d : Beir.corpus(scifact, 520).values()) {
            if (docs.size() >= 500) break;
            if (!judged.contains(d.id())) docs.add(d);
        }
        for (int i = 0; i < docs.size(); i += 7) EVERY_7TH.add(docs.get(i).id());
        Beir.index(cluster.getSolrClient(ONE), docs, n -> {}, (d, doc) -> doc.addField("n_i", bucket(d.id())));
        Beir.index(cluster.getSolrClient(TWO), docs, n -> {}, (d, doc) -> doc.addField("n_i", bucket(d.id())));
    }

    private static final List<String> EVERY_7TH = new ArrayList<>();

    /** A number in 0..99 per doc, for range filters. */
    private static int bucket(String id) {
        return Math.floorMod(id.hashCode() * 31 + 7, 100);
    }

    private static QueryResponse hybrid(
            String collection, String claim, String mode, String rq, int start, String... more) throws Exception {
        SolrQuery q = new SolrQuery(claim);
        for (int i = 0; i < more.length; i += 2) q.add(more[i], more[i + 1]);
        q.set("hybrid.mode", mode);
        q.set("rq", rq);
        q.setFields("id", "score", "[hybrid]");
        q.setStart(start);
        q.setRows(20);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        return request.process(cluster.getSolrClient(collection));
    }

    static void assertSameAnswer(String what, QueryResponse one, QueryResponse two) {
        SolrDocumentList a = one.getResults();
        SolrDocumentList b = two.getResults();
        assertEquals(what + ": numFound", a.getNumFound(), b.getNumFound());
        assertEquals(what + ": ids in order", ids(a), ids(b));
        for (int i = 0; i < a.size(); i++) {
            String at = what + " at " + (i + 1) + " (" + a.get(i).get("id") + ")";
            assertEquals(
                    at + ": score",
                    (Float) a.get(i).get("score"),
                    (Float) b.get(i).get("score"),
                    1e-5f);
            NamedList<?> ha = (NamedList<?>) a.get(i).get("[hybrid]");
            NamedList<?> hb = (NamedList<?>) b.get(i).get("[hybrid]");
            assertEquals(at + ": [hybrid] keys", keys(ha), keys(hb));
            for (Map.Entry<String, ?> e : ha) {
                if (e.getValue() instanceof Number x) {
                    Number y = (Number) hb.get(e.getKey());
                    assertEquals(at + ": [hybrid] " + e.getKey(), x.doubleValue(), y.doubleValue(), 1e-5);
                } else {
                    // ce_passage: character offsets, exact
                    assertEquals(at + ": [hybrid] " + e.getKey(), e.getValue(), hb.get(e.getKey()));
                }
            }
        }
        assertSameRerankHeaders(what, one, two);
    }

    /** The same rerank.status, rerank.modelTrusted and rerank.coverage. */
    private static void assertSameRerankHeaders(String what, QueryResponse one, QueryResponse two) {
        for (String header : List.of("rerank.status", "rerank.modelTrusted", "rerank.coverage")) {
            assertEquals(
                    what + ": " + header,
                    one.getHeader().get(header),
                    two.getHeader().get(header));
        }
        assertSameContext(what, one, two);
    }

    /** The context section (context=true): ids, spans, texts, token counts, confidences and the ending, exactly. */
    static void assertSameContext(String what, QueryResponse one, QueryResponse two) {
        assertEquals(
                what + ": context",
                String.valueOf(one.getResponse().get("context")),
                String.valueOf(two.getResponse().get("context")));
    }

    private static List<Object> ids(SolrDocumentList docs) {
        return docs.stream().map(d -> d.get("id")).toList();
    }

    private static List<String> keys(NamedList<?> list) {
        List<String> keys = new ArrayList<>();
        list.forEach(e -> keys.add(e.getKey()));
        return keys;
    }

    @Test
    public void firstStageModesGiveTheOneShardAnswer() throws Exception {
        for (String mode : List.of("lexical", "vector", "rrf")) {
            for (String claim : CLAIMS) {
                String what = mode + " '" + claim + "'";
                QueryResponse one = hybrid(ONE, claim, mode, "{!crossencoder enabled=false}", 0);
                QueryResponse two = hybrid(TWO, claim, mode, "{!crossencoder enabled=false}", 0);
                assertFalse(what + ": no hits", one.getResults().isEmpty());
                assertSameAnswer(what, one, two);
                assertEquals("skipped", two.getHeader().get("rerank.status"));
            }
        }
    }

    @Test
    public void rerankedHybridGivesTheOneShardAnswerWithKPairsInAll() throws Exception {
        // longDocs named, not left to the configset default: window mode reports no ce_passage to compare
        String rq = "{!crossencoder reRankDocs=50 scoreCache=false longDocs=best}";
        for (String claim : CLAIMS) {
            long before = counterSum(cluster, TWO, "QUERYPARSER.crossencoder.pairsScored");
            QueryResponse two = hybrid(TWO, claim, "rrf", rq, 0);
            long scored = counterSum(cluster, TWO, "QUERYPARSER.crossencoder.pairsScored") - before;
            assertEquals("pairs scored across both shards for '" + claim + "'", 50, scored);
            QueryResponse one = hybrid(ONE, claim, "rrf", rq, 0);
            assertEquals("ok", two.getHeader().get("rerank.status"));
            assertSameAnswer("rrf+ce '" + claim + "'", one, two);
        }
        // a page across the K boundary: reranked docs first, then first-stage order, on both
        String claim = CLAIMS.get(0);
        QueryResponse sharded = hybrid(TWO, claim, "rrf", rq, 40);
        assertSameAnswer("rrf+ce page 3", hybrid(ONE, claim, "rrf", rq, 40), sharded);
        for (int i = 0; i < sharded.getResults().size(); i++) {
            NamedList<?> info = (NamedList<?>) sharded.getResults().get(i).get("[hybrid]");
            assertEquals("place " + (41 + i) + " reranked iff within K=50", 40 + i < 50, info.get("ce_score") != null);
            assertEquals(
                    "place " + (41 + i) + " has a passage iff reranked", 40 + i < 50, info.get("ce_passage") != null);
        }
    }

    /**
     * An upper-case topic with AND/OR/NOT: under either hybrid.lexical.syntax the shards' lists and the term
     * statistics read it as the one node does; under text it is the lower-case words, under edismax it is not.
     */
    @Test
    public void lexicalSyntaxesGiveTheOneShardAnswer() throws Exception {
        String off = "{!crossencoder enabled=false}";
        String topic = "VITAMIN D AND BONE DENSITY OR CANCER RISK NOT IN CHILDREN";
        for (String mode : List.of("lexical", "rrf")) {
            for (String syntax : List.of("text", "edismax")) {
                String what = mode + " syntax=" + syntax + " '" + topic + "'";
                assertSameAnswer(
                        what,
                        hybrid(ONE, topic, mode, off, 0, "hybrid.lexical.syntax", syntax),
                        hybrid(TWO, topic, mode, off, 0, "hybrid.lexical.syntax", syntax));
            }
            QueryResponse words = hybrid(TWO, topic, mode, off, 0, "hybrid.lexical.syntax", "text");
            assertFalse(mode + ": no hits", words.getResults().isEmpty());
            assertEquals(
                    mode + ": text reads the topic as its lower-case words",
                    ids(hybrid(
                                    TWO,
                                    topic.toLowerCase(java.util.Locale.ROOT),
                                    mode,
                                    off,
                                    0,
                                    "hybrid.lexical.syntax",
                                    "text")
                            .getResults()),
                    ids(words.getResults()));
            assertNotEquals(
                    mode + ": edismax reads AND/OR/NOT as operators",
                    ids(words.getResults()),
                    ids(hybrid(TWO, topic, mode, off, 0, "hybrid.lexical.syntax", "edismax")
                            .getResults()));
        }
    }

    /** Filters of every kind: the lists of each shard are computed inside them, as on one node. */
    private static Map<String, String[]> filters() {
        Map<String, String[]> filters = new java.util.LinkedHashMap<>();
        filters.put("every 7th id", new String[] {"fq", "{!terms f=id}" + String.join(",", EVERY_7TH)});
        filters.put("range", new String[] {"fq", "n_i:[10 TO 40]"});
        filters.put("negative", new String[] {"fq", "-n_i:[0 TO 59]"});
        filters.put("tagged + range", new String[] {"fq", "{!tag=t1}n_i:[25 TO 90]", "fq", "-n_i:[30 TO 35]"});
        filters.put("post filter", new String[] {"fq", "{!frange l=20 u=70 cache=false cost=200}n_i"});
        return filters;
    }

    @Test
    public void filteredRequestsGiveTheOneShardAnswerInEveryMode() throws Exception {
        String off = "{!crossencoder enabled=false}";
        String ce = "{!crossencoder reRankDocs=20 scoreCache=false}";
        for (Map.Entry<String, String[]> filter : filters().entrySet()) {
            for (String claim : CLAIMS.subList(0, 5)) {
                List<Object> unfiltered = ids(hybrid(ONE, claim, "rrf", off, 0).getResults());
                for (String mode : List.of("lexical", "vector", "rrf", "rrf+ce")) {
                    String what = mode + " with fq " + filter.getKey() + " '" + claim + "'";
                    String fusion = mode.equals("rrf+ce") ? "rrf" : mode;
                    String rq = mode.equals("rrf+ce") ? ce : off;
                    QueryResponse one = hybrid(ONE, claim, fusion, rq, 0, filter.getValue());
                    QueryResponse two = hybrid(TWO, claim, fusion, rq, 0, filter.getValue());
                    assertFalse(what + ": no hits", one.getResults().isEmpty());
                    assertSameAnswer(what, one, two);
                    if (mode.equals("rrf")) {
                        assertNotEquals(what + ": the filter changes the top 20", unfiltered, ids(one.getResults()));
                    }
                    if (mode.equals("rrf+ce"))
                        assertEquals(what, "ok", two.getHeader().get("rerank.status"));
                    if (filter.getKey().equals("every 7th id")) {
                        for (var doc : two.getResults())
                            assertTrue(what + ": " + doc.get("id"), EVERY_7TH.contains(doc.get("id")));
                    }
                }
            }
        }
        // a filtered page across the K boundary
        String[] range = filters().get("range");
        assertSameAnswer(
                "rrf+ce with fq, page 2",
                hybrid(ONE, CLAIMS.get(1), "rrf", ce, 15, range),
                hybrid(TWO, CLAIMS.get(1), "rrf", ce, 15, range));
    }

    @Test
    public void collapsingFilterIsRefusedNamingFq() throws Exception {
        for (String collection : List.of(ONE, TWO)) {
            var e = expectThrows(
                    org.apache.solr.common.SolrException.class,
                    () -> hybrid(
                            collection,
                            CLAIMS.get(0),
                            "rrf",
                            "{!crossencoder enabled=false}",
                            0,
                            "fq",
                            "{!collapse field=n_i}"));
            assertEquals(collection, 400, e.code());
            assertTrue(collection + ": " + e.getMessage(), e.getMessage().contains("'fq'"));
            assertTrue(collection + ": " + e.getMessage(), e.getMessage().contains("collapse"));
        }
    }

    @Test
    public void everyFusionMethodGivesTheOneShardAnswer() throws Exception {
        String off = "{!crossencoder enabled=false}";
        Map<String, String[]> variants = new java.util.LinkedHashMap<>();
        for (String norm : List.of("minmax", "l2", "zscore")) {
            variants.put("linear first stage, " + norm, new String[] {"linear", off, "hybrid.normalization", norm});
        }
        variants.put(
                "window rrf", new String[] {"rrf", "{!crossencoder reRankDocs=30 fusion=rrf rrfK=20 modelWeight=2}"});
        variants.put(
                "window rrf, trusted on some claims only",
                new String[] {"rrf", "{!crossencoder reRankDocs=30 fusion=rrf trustGap=" + splittingTrustGap() + "}"});
        variants.put("window linear zscore", new String[] {
            "rrf", "{!crossencoder reRankDocs=30 fusion=linear normalization=zscore modelWeight=0.5}"
        });
        variants.put(
                "linear first stage + window linear l2",
                new String[] {"linear", "{!crossencoder reRankDocs=30 fusion=linear normalization=l2}"});
        variants.put("blend scaled over the window", new String[] {
            "rrf",
            "{!crossencoder reRankDocs=30 reRankOperator=add reRankScale=0-1 reRankMainScale=0-1 reRankWeight=0.5}"
        });
        java.util.Set<Object> trustVerdicts = new java.util.HashSet<>();
        for (Map.Entry<String, String[]> variant : variants.entrySet()) {
            String[] v = variant.getValue();
            String[] more = java.util.Arrays.copyOfRange(v, 2, v.length);
            for (String claim : CLAIMS.subList(0, 5)) {
                for (int start : new int[] {0, 10}) {
                    String what = variant.getKey() + " '" + claim + "' start=" + start;
                    QueryResponse one = hybrid(ONE, claim, v[0], v[1], start, more);
                    QueryResponse two = hybrid(TWO, claim, v[0], v[1], start, more);
                    assertFalse(what + ": no hits", one.getResults().isEmpty());
                    assertSameAnswer(what, one, two);
                    if (v[1].contains("trustGap"))
                        trustVerdicts.add(two.getHeader().get("rerank.modelTrusted"));
                }
            }
        }
        // the trustGap variant must have seen both verdicts, or it tested only one branch
        assertEquals(java.util.Set.of(true, false), trustVerdicts);
    }

    /**
     * A {@code trustGap} (in logits: this cluster runs the demo's SciFact model) under which the one-shard
     * collection trusts the model on some of the first five claims and not on others, so that both branches are
     * compared: the smallest of 0.25, 0.50, ..., 15 that splits them.
     */
    private static String splittingTrustGap() throws Exception {
        for (int step = 1; step <= 60; step++) {
            String gap = Double.toString(step / 4.0);
            java.util.Set<Object> verdicts = new java.util.HashSet<>();
            for (String claim : CLAIMS.subList(0, 5)) {
                QueryResponse rsp =
                        hybrid(ONE, claim, "rrf", "{!crossencoder reRankDocs=30 fusion=rrf trustGap=" + gap + "}", 0);
                verdicts.add(rsp.getHeader().get("rerank.modelTrusted"));
            }
            if (verdicts.equals(java.util.Set.of(true, false))) return gap;
        }
        throw new AssertionError("no trustGap in 0.25..15 splits the first five claims; pick other claims");
    }

    /** A plain request to /select: the main query (edismax over title_text) reranked by rq, no hybrid stage. */
    static QueryResponse plain(String collection, String text, String rq, int start, int rows, String... more)
            throws Exception {
        SolrQuery q = new SolrQuery(text);
        for (int i = 0; i < more.length; i += 2) q.add(more[i], more[i + 1]);
        q.set("rq", rq);
        q.setFields("id", "score");
        q.setStart(start);
        q.setRows(rows);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/select");
        return request.process(cluster.getSolrClient(collection));
    }

    private static void assertEdgeTieRefusal(org.apache.solr.common.SolrException e) {
        assertEquals(e.getMessage(), 400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("ties at the window's edge"));
    }

    /** The one-node answer on both, or the documented edge-tie refusal on the sharded one. */
    private static void samePlainOrEdgeTie(String what, String claim, String rq, int start, int rows, String... more)
            throws Exception {
        QueryResponse one = plain(ONE, claim, rq, start, rows, more);
        try {
            assertSamePlainAnswer(what, one, plain(TWO, claim, rq, start, rows, more));
        } catch (org.apache.solr.common.SolrException e) {
            assertEdgeTieRefusal(e);
        }
    }

    /** Same numFound, ids in order, scores (1e-5) and rerank.status. */
    static void assertSamePlainAnswer(String what, QueryResponse one, QueryResponse two) {
        SolrDocumentList a = one.getResults();
        SolrDocumentList b = two.getResults();
        assertEquals(what + ": numFound", a.getNumFound(), b.getNumFound());
        assertEquals(what + ": ids in order", ids(a), ids(b));
        for (int i = 0; i < a.size(); i++) {
            assertEquals(
                    what + " at " + (i + 1) + " (" + a.get(i).get("id") + "): score",
                    (Float) a.get(i).get("score"),
                    (Float) b.get(i).get("score"),
                    1e-5f);
        }
        assertSameRerankHeaders(what, one, two);
        assertSameContext(what, one, two);
    }

    /**
     * Issue 19: plain {@code {!crossencoder}} (no hybrid=true) reranks one global window of K, K pairs in all, and
     * pages across K exactly as one node does, with and without filters.
     */
    @Test
    public void plainRerankGivesTheOneShardAnswerWithKPairsInAll() throws Exception {
        String rq = "{!crossencoder reRankDocs=30 scoreCache=false fusion=replace}";
        int refused = 0;
        for (String claim : CLAIMS) {
            long before = counterSum(cluster, TWO, "QUERYPARSER.crossencoder.pairsScored");
            QueryResponse two;
            try {
                two = plain(TWO, claim, rq, 0, 10);
            } catch (org.apache.solr.common.SolrException e) {
                // the documented refusal: the one-node first pass really ties at places 30 and 31
                assertEdgeTieRefusal(e);
                SolrDocumentList firstPass = plain(ONE, claim, "{!crossencoder enabled=false}", 0, 31)
                        .getResults();
                assertEquals(
                        claim, firstPass.get(29).get("score"), firstPass.get(30).get("score"));
                refused++;
                continue;
            }
            long scored = counterSum(cluster, TWO, "QUERYPARSER.crossencoder.pairsScored") - before;
            assertEquals("pairs scored across both shards for '" + claim + "'", 30, scored);
            assertEquals("ok", two.getHeader().get("rerank.status"));
            assertSamePlainAnswer("plain '" + claim + "'", plain(ONE, claim, rq, 0, 10), two);
        }
        assertTrue("refused " + refused + " of " + CLAIMS.size(), refused <= CLAIMS.size() / 4);
        System.out.println("plain {!crossencoder} K=30: " + (CLAIMS.size() - refused) + " of " + CLAIMS.size()
                + " claims equal to one node, " + refused + " refused (edge tie)");
        for (String local : List.of("fusion=rrf", "fusion=linear", "reRankOperator=add reRankScale=0-1")) {
            String variant = "{!crossencoder reRankDocs=30 " + local + "}";
            for (String claim : CLAIMS.subList(0, 5)) {
                for (int start : new int[] {0, 25, 40}) {
                    String what = "plain " + local + " '" + claim + "' start=" + start;
                    samePlainOrEdgeTie(what, claim, variant, start, 10);
                }
                samePlainOrEdgeTie("plain " + local + " with fq", claim, variant, 20, 15, "fq", "n_i:[10 TO 60]");
            }
        }
    }

    /**
     * {@code reRankTimeAllowed} on the virtual clock, set for every node of the cluster (they run in this JVM): each
     * chunk of 8 docs a node's model scores costs 100 virtual ms, so a budget of 200 ms lets one node score the
     * first 16 of K=30 and each shard its own docs among the global window's first 16. Both layouts answer
     * {@code partial} with coverage 16/30 and the same page: the covered 16 ranked as a window of 16 (every window
     * method), the rest in first-stage order under them, {@code ce_score} only on the covered docs, 16 pairs in all;
     * hybrid and plain flows alike. A budget spent before the first chunk is a timeout with the first stage's order
     * on both.
     */
    @Test
    public void partialCoverageGivesTheOneShardAnswer() throws Exception {
        System.setProperty(RerankClock.VIRTUAL_PROPERTY, "0,100");
        try {
            for (String local : List.of("", " fusion=replace", " fusion=linear normalization=zscore")) {
                String rq = "{!crossencoder reRankDocs=30 scoreCache=false longDocs=best reRankTimeAllowed=200" + local
                        + "}";
                for (String claim : CLAIMS.subList(0, 5)) {
                    long before = counterSum(cluster, TWO, "QUERYPARSER.crossencoder.pairsScored");
                    QueryResponse two = hybrid(TWO, claim, "rrf", rq, 0);
                    long scored = counterSum(cluster, TWO, "QUERYPARSER.crossencoder.pairsScored") - before;
                    String what = "partial" + local + " '" + claim + "'";
                    assertEquals(what + ": pairs scored across both shards", 16, scored);
                    assertEquals(what, "partial", two.getHeader().get("rerank.status"));
                    assertEquals(what, "16/30", two.getHeader().get("rerank.coverage"));
                    assertSameAnswer(what, hybrid(ONE, claim, "rrf", rq, 0), two);
                    // a page across the coverage's edge: the last scored docs, then the first unscored ones
                    assertSameAnswer(
                            what + " start=10", hybrid(ONE, claim, "rrf", rq, 10), hybrid(TWO, claim, "rrf", rq, 10));
                    int reranked = 0;
                    for (var doc : two.getResults()) {
                        if (((NamedList<?>) doc.get("[hybrid]")).get("ce_score") != null) reranked++;
                    }
                    assertEquals(what + ": ce_score on the covered docs only", 16, reranked);
                }
            }
            String plainRq = "{!crossencoder reRankDocs=30 scoreCache=false fusion=replace reRankTimeAllowed=200}";
            for (String claim : CLAIMS.subList(0, 5)) {
                for (int start : new int[] {0, 10}) {
                    QueryResponse one = plain(ONE, claim, plainRq, start, 10);
                    assertEquals(
                            "plain '" + claim + "'", "partial", one.getHeader().get("rerank.status"));
                    samePlainOrEdgeTie("plain partial '" + claim + "' start=" + start, claim, plainRq, start, 10);
                }
            }
            System.setProperty(RerankClock.VIRTUAL_PROPERTY, "300,100");
            String rq = "{!crossencoder reRankDocs=30 scoreCache=false longDocs=best reRankTimeAllowed=200}";
            for (String claim : CLAIMS.subList(0, 3)) {
                QueryResponse two = hybrid(TWO, claim, "rrf", rq, 0);
                assertEquals(
                        "no chunk '" + claim + "'", "timeout", two.getHeader().get("rerank.status"));
                assertSameAnswer("no chunk '" + claim + "'", hybrid(ONE, claim, "rrf", rq, 0), two);
                SolrDocumentList firstStage = hybrid(TWO, claim, "rrf", "{!crossencoder enabled=false}", 0)
                        .getResults();
                assertEquals("no chunk: first-stage order '" + claim + "'", ids(firstStage), ids(two.getResults()));
                for (int i = 0; i < firstStage.size(); i++) {
                    assertEquals(
                            (Float) firstStage.get(i).get("score"),
                            (Float) two.getResults().get(i).get("score"),
                            0f);
                }
            }
        } finally {
            System.clearProperty(RerankClock.VIRTUAL_PROPERTY);
        }
    }

    /**
     * A shard that scores past the global coverage: 24 docs routed (compositeId) so that shard A holds all of the
     * window's first chunk and shard B none of it. On the virtual clock (100 ms per chunk, budget 200) one node and
     * shard A stop after two chunks, but B pays for one chunk less and also scores its docs of the third. The
     * coordinator keeps the longest prefix every shard scored, down to a chunk's edge: 16/24 as on one node, and
     * B's scored docs past it are not reranked (first-stage scores, no ce_score). The first-stage order is made
     * with the term's frequency (hybrid, lexical mode) or a numeric field (plain).
     */
    @Test
    public void aShardThatScoredPastTheCoverageIsCutBackToIt() throws Exception {
        String one = "routedone";
        String two = "routedtwo";
        createCollection(cluster, one, 1, 1);
        createCollection(cluster, two, 2, 1);
        var collection = cluster.getZkStateReader().getClusterState().getCollection(two);
        String a = null;
        String b = null;
        for (int p = 0; b == null; p++) {
            String prefix = "r" + p + "!";
            String slice = collection
                    .getRouter()
                    .getTargetSlice(prefix + "x", null, null, null, collection)
                    .getName();
            if (a == null) a = prefix;
            else if (!slice.equals(collection
                    .getRouter()
                    .getTargetSlice(a + "x", null, null, null, collection)
                    .getName())) b = prefix;
        }
        // places 1-12 and 18, 20, 22, 24 on shard A; 13-17, 19, 21, 23 on shard B
        List<org.apache.solr.common.SolrInputDocument> docs = new ArrayList<>();
        for (int j = 0; j < 24; j++) {
            boolean onA = j < 12 || (j >= 16 && j % 2 == 1);
            var doc = new org.apache.solr.common.SolrInputDocument();
            doc.addField("id", (onA ? a : b) + String.format(java.util.Locale.ROOT, "d%02d", j));
            doc.addField("title", "Note " + j);
            doc.addField("text", "alpha ".repeat(24 - j) + "omega ".repeat(j));
            doc.addField("n_i", 100 - j);
            docs.add(doc);
        }
        for (String c : List.of(one, two)) {
            cluster.getSolrClient(c).add(docs);
            cluster.getSolrClient(c).commit();
        }
        System.setProperty(RerankClock.VIRTUAL_PROPERTY, "0,100");
        try {
            String rq = "{!crossencoder reRankDocs=24 scoreCache=false longDocs=best reRankTimeAllowed=200}";
            long before = counterSum(cluster, two, "QUERYPARSER.crossencoder.pairsScored");
            QueryResponse sharded = hybrid(two, "alpha", "lexical", rq, 0);
            assertEquals(
                    "A scored places 1-12, B 13-16 and its 4 of 17-24",
                    20,
                    counterSum(cluster, two, "QUERYPARSER.crossencoder.pairsScored") - before);
            assertEquals("partial", sharded.getHeader().get("rerank.status"));
            assertEquals("16/24", sharded.getHeader().get("rerank.coverage"));
            assertSameAnswer("hybrid, a shard past the coverage", hybrid(one, "alpha", "lexical", rq, 0), sharded);
            assertSameAnswer(
                    "hybrid, a shard past the coverage, start=10",
                    hybrid(one, "alpha", "lexical", rq, 10),
                    hybrid(two, "alpha", "lexical", rq, 10));
            String plainRq = "{!crossencoder reRankDocs=24 scoreCache=false fusion=replace reRankTimeAllowed=200"
                    + " reRankText=alpha}";
            QueryResponse plainSharded = plain(two, "n_i", plainRq, 0, 24, "defType", "func");
            assertEquals(
                    String.valueOf(plainSharded.getHeader()),
                    "16/24",
                    plainSharded.getHeader().get("rerank.coverage"));
            assertSamePlainAnswer(
                    "plain, a shard past the coverage",
                    plain(one, "n_i", plainRq, 0, 24, "defType", "func"),
                    plainSharded);
        } finally {
            System.clearProperty(RerankClock.VIRTUAL_PROPERTY);
            CollectionAdminRequest.deleteCollection(one).process(cluster.getSolrClient());
            CollectionAdminRequest.deleteCollection(two).process(cluster.getSolrClient());
        }
    }

    /** Elevation (QueryElevationComponent, elevateIds): elevated docs lead on one node and on SolrCloud alike. */
    @Test
    public void elevatedDocsLeadPlainRerankOnEveryLayout() throws Exception {
        String rq = "{!crossencoder reRankDocs=20}";
        for (String claim : CLAIMS.subList(0, 5)) {
            String first = EVERY_7TH.get(3);
            String second = EVERY_7TH.get(11);
            for (String force : List.of("false", "true")) {
                String[] elevate = {"elevateIds", first + "," + second, "forceElevation", force};
                for (int start : new int[] {0, 15}) {
                    QueryResponse one = plain(ONE, claim, rq, start, 10, elevate);
                    QueryResponse two = plain(TWO, claim, rq, start, 10, elevate);
                    assertSamePlainAnswer("elevated '" + claim + "' start=" + start, one, two);
                    if (start == 0) {
                        assertEquals(
                                List.of(first, second), ids(two.getResults()).subList(0, 2));
                    }
                }
            }
            // hybrid=true cannot keep them on top: refused on both
            for (String collection : List.of(ONE, TWO)) {
                var e = expectThrows(
                        org.apache.solr.common.SolrException.class,
                        () -> hybrid(collection, claim, "rrf", rq, 0, "elevateIds", first));
                assertEquals(400, e.code());
                assertTrue(e.getMessage(), e.getMessage().contains("elevation"));
            }
        }
    }
}
