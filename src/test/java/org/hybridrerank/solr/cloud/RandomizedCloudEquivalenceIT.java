package org.hybridrerank.solr.cloud;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.hybridrerank.solr.rerank.Coverage;
import org.hybridrerank.solr.rerank.RerankClock;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCloudTestCase;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * One node and SolrCloud agree on random requests: each round draws a corpus (a random slice of SciFact with a
 * random number per doc), a shard count, and requests with random text, mode, filters, K, list lengths, RRF
 * k and weights, reRankTimeAllowed (on the virtual clock), start and rows, and half of them a context section
 * (random budget, sometimes a minimum confidence); the 1-shard and the N-shard collection must answer with the same
 * ids, order, scores, [hybrid] fields (ce_confidence included: the oracle is calibrated), rerank.status,
 * rerank.modelTrusted, rerank.coverage and context section. Every message carries the round's seed; the test
 * framework's seed (-Dtests.seed) replays the whole run.
 */
public class RandomizedCloudEquivalenceIT extends ExampleCloudTestCase {
    private static final int ROUNDS = 3;
    private static final int REQUESTS_PER_ROUND = 12;
    private static List<Dataset.Doc> pool;

    /** The virtual clock of reRankTimeAllowed for every node (they run in this JVM): 100 ms per chunk of 8. */
    private static final long CHUNK_MILLIS = 100;

    private static int recovered;
    private static int partials;

    @BeforeClass
    public static void setUpCluster() throws Exception {
        System.setProperty(RerankClock.VIRTUAL_PROPERTY, "0," + CHUNK_MILLIS);
        // calibrated (confidence = sigmoid(4·score − 2)), so ce_confidence and context confidences are compared too
        startExampleCluster(2, OverlapOracle.calibratedCopy(createTempDir("calibrated-oracle"), 4, -2));
        pool = new ArrayList<>(Beir.corpus(SharedData.scifact(), 1500).values());
    }

    @Test
    public void randomRequestsGiveTheOneNodeAnswer() throws Exception {
        int contexts = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long seed = random().nextLong();
            Random r = new Random(seed);
            String tag = "round " + round + " (seed " + Long.toHexString(seed) + ")";
            int shards = 2 + r.nextInt(2);
            List<Dataset.Doc> corpus = new ArrayList<>();
            for (Dataset.Doc d : pool) if (r.nextInt(100) < 8) corpus.add(d);
            int[] numbers = new int[corpus.size()];
            for (int i = 0; i < numbers.length; i++) numbers[i] = r.nextInt(100);
            String one = "rnd" + round + "one";
            String many = "rnd" + round + "many";
            createCollection(cluster, one, 1, 1);
            createCollection(cluster, many, shards, 1);
            List<String> ids = corpus.stream().map(Dataset.Doc::id).toList();
            for (String collection : List.of(one, many)) {
                Beir.index(
                        cluster.getSolrClient(collection),
                        corpus,
                        n -> {},
                        (d, doc) -> doc.addField("n_i", numbers[ids.indexOf(d.id())]));
            }
            for (int i = 0; i < REQUESTS_PER_ROUND; i++) {
                String[] params = randomRequest(r, corpus);
                String what = tag + ", " + shards + " shards, " + corpus.size() + " docs, request " + i + ": "
                        + String.join(" ", params);
                QueryResponse b = hybrid(many, params);
                QueryResponse a = oneAtSameCoverage(what, hybrid(one, params), b, params, p -> hybrid(one, p));
                CloudEquivalenceIT.assertSameAnswer(what, a, b);
                if (a.getResponse().get("context") instanceof org.apache.solr.common.util.NamedList<?> c
                        && !((List<?>) c.get("passages")).isEmpty()) contexts++;
            }
            CollectionAdminRequest.deleteCollection(one).process(cluster.getSolrClient());
            CollectionAdminRequest.deleteCollection(many).process(cluster.getSolrClient());
        }
        System.out.println("hybrid requests with a non-empty context section compared: " + contexts);
        assertTrue("the context section was exercised", contexts > 0);
    }

    @AfterClass
    public static void realClock() {
        System.clearProperty(RerankClock.VIRTUAL_PROPERTY);
        System.out.println("reRankTimeAllowed: " + partials + " partial answers; " + recovered + " requests where the"
                + " shards covered more than one node in the same budget, compared at the same coverage");
    }

    /** How many window docs a response's rerank ranked: K for ok, N of partial's N/K, 0 for a timeout. */
    private static int covered(QueryResponse rsp) {
        Object status = rsp.getHeader().get("rerank.status");
        if ("timeout".equals(status)) return 0;
        Object coverage = rsp.getHeader().get("rerank.coverage");
        return coverage == null
                ? Integer.MAX_VALUE
                : Integer.parseInt(coverage.toString().split("/")[0]);
    }

    /**
     * The one-node answer at the coverage the sharded collection reached. On the virtual clock a shard pays only for
     * the chunks that hold docs of its own, so where a shard holds none of an early chunk the shards may cover a
     * chunk more than one node in the same budget (never less). Equivalence is for the same coverage: one node is
     * then asked again with the budget that covers as much.
     */
    private static QueryResponse oneAtSameCoverage(
            String what, QueryResponse one, QueryResponse many, String[] params, Ask ask) throws Exception {
        if ("partial".equals(many.getHeader().get("rerank.status"))) partials++;
        int a = covered(one);
        int b = covered(many);
        if (a == b) return one;
        assertTrue(what + ": the shards covered less than one node: " + a + " then " + b, b > a);
        long budget = b == Integer.MAX_VALUE ? 86_400_000L : CHUNK_MILLIS * (b / Coverage.CHUNK_DOCS);
        String[] again = params.clone();
        for (int i = 0; i < again.length; i += 2) {
            if (again[i].equals("rq"))
                again[i + 1] = again[i + 1].replaceAll("reRankTimeAllowed=\\d+", "reRankTimeAllowed=" + budget);
        }
        recovered++;
        return ask.request(again);
    }

    interface Ask {
        QueryResponse request(String[] params) throws Exception;
    }

    private static QueryResponse hybrid(String collection, String[] params) throws Exception {
        SolrQuery q = new SolrQuery();
        q.setFields("id", "score", "[hybrid]");
        for (int i = 0; i < params.length; i += 2) q.add(params[i], params[i + 1]);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        return request.process(cluster.getSolrClient(collection));
    }

    /** Parameter name, value, name, value, ... */
    private static String[] randomRequest(Random r, List<Dataset.Doc> corpus) {
        List<String> p = new ArrayList<>();
        Dataset.Doc source = corpus.get(r.nextInt(corpus.size()));
        String[] words = (source.title() + " " + source.text()).split("\\W+");
        StringBuilder text = new StringBuilder();
        for (int w = 0, n = 2 + r.nextInt(5); w < n; w++)
            text.append(w == 0 ? "" : " ").append(words[r.nextInt(words.length)]);
        add(p, "q", text.toString().isBlank() ? "protein" : text.toString().toLowerCase(Locale.ROOT));
        String mode = List.of("lexical", "vector", "rrf", "linear", "rrf+ce", "linear+ce")
                .get(r.nextInt(6));
        add(p, "hybrid.mode", mode.replace("+ce", ""));
        add(p, "hybrid.normalization", List.of("minmax", "l2", "zscore").get(r.nextInt(3)));
        String window =
                switch (r.nextInt(4)) {
                    case 0 -> "";
                    case 1 -> " fusion=rrf rrfK=" + (1 + r.nextInt(100)) + " modelWeight=" + r.nextInt(4) / 2.0;
                    case 2 ->
                        " fusion=linear normalization="
                                + List.of("minmax", "l2", "zscore").get(r.nextInt(3)) + " modelWeight="
                                + r.nextInt(4) / 2.0;
                    default ->
                        " reRankOperator=" + List.of("add", "multiply").get(r.nextInt(2)) + " reRankScale=0-1"
                                + (r.nextBoolean() ? " reRankMainScale=0-1" : "");
                };
        // the oracle's scores are fractions in [0, 1]: these minimum gaps trust it on some queries and not on others
        String trust = r.nextInt(3) == 0
                ? ""
                : " trustGap=" + List.of("0.2", "0.4", "0.6", "0.8").get(r.nextInt(4));
        String budget = budget(r);
        add(
                p,
                "rq",
                mode.endsWith("+ce")
                        ? "{!crossencoder reRankDocs=" + (1 + r.nextInt(40)) + window + trust + budget + "}"
                        : "{!crossencoder enabled=false}");
        add(p, "hybrid.lexical.topN", Integer.toString(5 + r.nextInt(60)));
        add(p, "hybrid.vector.topN", Integer.toString(5 + r.nextInt(60)));
        add(p, "hybrid.rrf.k", Integer.toString(1 + r.nextInt(100)));
        add(p, "hybrid.weights", "lexical:" + (1 + r.nextInt(4)) / 2.0 + ",vector:" + (1 + r.nextInt(4)) / 2.0);
        add(p, "start", Integer.toString(r.nextInt(3) == 0 ? r.nextInt(25) : 0));
        add(p, "rows", Integer.toString(1 + r.nextInt(15)));
        int a = r.nextInt(100);
        int b = Math.min(99, a + 20 + r.nextInt(60));
        switch (r.nextInt(6)) {
            case 0 -> {}
            case 1 -> add(p, "fq", "n_i:[" + a + " TO " + b + "]");
            case 2 -> add(p, "fq", "-n_i:[" + a + " TO " + b + "]");
            case 3 -> {
                List<String> some = new ArrayList<>();
                for (Dataset.Doc d : corpus) if (r.nextInt(3) == 0) some.add(d.id());
                add(p, "fq", "{!terms f=id}" + String.join(",", some));
            }
            case 4 -> {
                add(p, "fq", "{!tag=t" + a + "}n_i:[" + a + " TO " + b + "]");
                add(p, "fq", "-n_i:" + r.nextInt(100));
            }
            default -> add(p, "fq", "{!frange l=" + a + " u=" + b + " cache=false cost=150}n_i");
        }
        if (r.nextBoolean()) {
            // the context section: budgets from under one passage to the whole page
            add(p, "context", "true");
            add(
                    p,
                    "context.tokens",
                    Integer.toString(List.of(1, 40, 150, 600, 5000).get(r.nextInt(5))));
            if (mode.endsWith("+ce") && r.nextInt(3) == 0)
                add(p, "context.minConfidence", Double.toString(r.nextInt(10) / 10.0));
        }
        return p.toArray(new String[0]);
    }

    /** No budget, or one of one, two or three chunks of 8 on the virtual clock. */
    private static String budget(Random r) {
        return r.nextInt(3) == 0 ? "" : " reRankTimeAllowed=" + (CHUNK_MILLIS / 2 + CHUNK_MILLIS * r.nextInt(3));
    }

    private static void add(List<String> params, String name, String value) {
        params.add(name);
        params.add(value);
    }

    /**
     * Issue 19: plain {@code {!crossencoder}} requests (no hybrid stage) to /select, with random text, K, window
     * fusion or blend, filters, start and rows, give the one-node answer (ids, order, scores, rerank.status).
     */
    @Test
    public void randomPlainRerankRequestsGiveTheOneNodeAnswer() throws Exception {
        long seed = random().nextLong();
        Random r = new Random(seed);
        int shards = 2 + r.nextInt(2);
        List<Dataset.Doc> corpus = new ArrayList<>();
        for (Dataset.Doc d : pool) if (r.nextInt(100) < 8) corpus.add(d);
        int[] numbers = new int[corpus.size()];
        for (int i = 0; i < numbers.length; i++) numbers[i] = r.nextInt(100);
        List<String> ids = corpus.stream().map(Dataset.Doc::id).toList();
        createCollection(cluster, "plainone", 1, 1);
        createCollection(cluster, "plainmany", shards, 1);
        for (String collection : List.of("plainone", "plainmany")) {
            Beir.index(
                    cluster.getSolrClient(collection),
                    corpus,
                    n -> {},
                    (d, doc) -> doc.addField("n_i", numbers[ids.indexOf(d.id())]));
        }
        int equal = 0;
        int refused = 0;
        int requests = 3 * REQUESTS_PER_ROUND;
        for (int i = 0; i < requests; i++) {
            String[] params = randomRequest(r, corpus);
            List<String> plain = new ArrayList<>();
            for (int j = 0; j < params.length; j += 2) {
                if (params[j].startsWith("hybrid.")) continue;
                plain.add(params[j]);
                plain.add(
                        params[j].equals("rq") && params[j + 1].contains("enabled=false")
                                ? "{!crossencoder reRankDocs=" + (1 + r.nextInt(40)) + budget(r) + "}"
                                : params[j + 1]);
            }
            String[] p = plain.toArray(new String[0]);
            String what = "plain (seed " + Long.toHexString(seed) + "), " + shards + " shards, request " + i + ": "
                    + String.join(" ", p);
            QueryResponse many;
            try {
                many = select("plainmany", p);
            } catch (org.apache.solr.common.SolrException e) {
                // the documented refusal: a first-pass tie at the window's edge, which one node cuts by docid
                assertEquals(what + ": " + e.getMessage(), 400, e.code());
                assertTrue(what + ": " + e.getMessage(), e.getMessage().contains("ties at the window's edge"));
                refused++;
                continue;
            }
            QueryResponse one = oneAtSameCoverage(what, select("plainone", p), many, p, q -> select("plainone", q));
            CloudEquivalenceIT.assertSamePlainAnswer(what, one, many);
            equal++;
        }
        System.out.println("plain {!crossencoder} on SolrCloud: " + equal + " of " + requests
                + " random requests equal to one node, " + refused + " refused (edge tie) (" + shards + " shards)");
        assertTrue("most requests are answered", equal >= requests / 2);
        CollectionAdminRequest.deleteCollection("plainone").process(cluster.getSolrClient());
        CollectionAdminRequest.deleteCollection("plainmany").process(cluster.getSolrClient());
    }

    private static QueryResponse select(String collection, String[] params) throws Exception {
        SolrQuery q = new SolrQuery();
        q.setFields("id", "score");
        for (int i = 0; i < params.length; i += 2) q.add(params[i], params[i + 1]);
        QueryRequest request = new QueryRequest(q);
        request.setPath("/select");
        return request.process(cluster.getSolrClient(collection));
    }
}
