package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.Deadline;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ScoringOptions;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The whole pipeline of the example configset's /hybrid handler on a 300-doc SciFact slice: embeddings at
 * index time, BM25 + kNN fused with RRF, the trained cross-encoder on the fused top 30, compared with the same
 * request with the stage off and with the model's own scores computed without Solr.
 *
 * <p>The first stage runs on the light embedder (all-MiniLM-L6-v2): what is under test is the rerank of a fixed
 * fused list, and with the default embedder the fusion already ranks the judged abstract first on 4 of these 6
 * claims, which leaves a single claim to show a lift on.
 *
 * <p>Shared suite (profile shared-suites): needs the trained model and SciFact under ../shared, and fails
 * without them (SharedData.require).
 */
public class HybridPipelineSharedIT extends ExampleCoreTestCase {
    static final List<String[]> CLAIMS = new ArrayList<>(); // {claim, judged doc id}
    static final Map<String, Dataset.Doc> DOCS = new HashMap<>();

    @BeforeClass
    public static void beforeClass() throws Exception {
        SharedData.require();
        String lightEmbedder = SharedData.lightEmbedderDir().toString();
        initExampleCore(
                (file, text) -> text.replace("${hybrid.embedder.dir:models/bge-small-en-v15-q}", lightEmbedder),
                SharedData.model(SharedData.CROSS_ENCODER));
        var scifact = SharedData.scifact();
        Map<String, String> queries = Beir.queries(scifact);
        Set<String> judged = new HashSet<>();
        for (var q : Beir.qrels(scifact, "test").entrySet()) {
            if (CLAIMS.size() == 6) break;
            CLAIMS.add(new String[] {queries.get(q.getKey()), q.getValue().get(0)});
            judged.add(q.getValue().get(0));
        }
        List<Dataset.Doc> docs = new ArrayList<>(Beir.docsById(scifact, judged).values());
        for (Dataset.Doc d : Beir.corpus(scifact, 300).values()) {
            if (docs.size() >= 300) break;
            if (!judged.contains(d.id())) docs.add(d);
        }
        for (Dataset.Doc d : docs) DOCS.put(d.id(), d);
        Beir.index(solr, docs, added -> {});
    }

    @AfterClass
    public static void afterClass() {
        CLAIMS.clear();
        DOCS.clear();
    }

    private static QueryResponse hybrid(String claim, String rq, int rows) throws Exception {
        SolrQuery q = new SolrQuery(claim);
        q.set("rq", rq);
        q.setRows(rows);
        q.setFields("id", "score", "[hybrid]");
        QueryRequest request = new QueryRequest(q);
        request.setPath("/hybrid");
        return request.process(solr);
    }

    private static List<String> ids(QueryResponse rsp) {
        List<String> ids = new ArrayList<>();
        for (SolrDocument d : rsp.getResults()) ids.add((String) d.getFieldValue("id"));
        return ids;
    }

    /**
     * Against the same request with the stage switched off: the rerank must reorder the fused top 30 of every
     * claim, and lift the judged abstract on most claims where the fused list has it below rank 1 (the fusion
     * already ranks it first on some claims of this slice), and on average. A constant or first-stage model score
     * leaves the order as it was; a random one moves the judged abstracts down more often than up.
     */
    @Test
    public void theCrossEncoderReordersTheFusedListAndLiftsTheJudgedAbstract() throws Exception {
        int candidates = 0;
        int liftable = 0;
        int lifted = 0;
        int dropped = 0;
        double rankBefore = 0;
        double rankAfter = 0;
        StringBuilder report = new StringBuilder();
        int[] verdicts = new int[2]; // trusted, not trusted under the shipped trustGap
        for (String[] claim : CLAIMS) {
            QueryResponse off = hybrid(claim[0], "{!crossencoder enabled=false}", 30);
            // what the model itself does: always trusted (the shipped trustGap is checked below)
            QueryResponse on = hybrid(claim[0], "{!crossencoder reRankDocs=30 trustGap=0}", 30);
            assertEquals("skipped", off.getHeader().get("rerank.status"));
            assertEquals("ok", on.getHeader().get("rerank.status"));
            List<String> fused = ids(off);
            List<String> reranked = ids(on);
            // the shipped trustGap (2.25 logits): the model's order where it is trusted, the fused order where not
            QueryResponse shipped = hybrid(claim[0], "{!crossencoder reRankDocs=30}", 30);
            Object trusted = shipped.getHeader().get("rerank.modelTrusted");
            assertNotNull("the shipped configuration judges every query", trusted);
            if (Boolean.TRUE.equals(trusted)) verdicts[0]++;
            else verdicts[1]++;
            assertEquals(
                    "shipped trustGap, trusted=" + trusted + ", '" + claim[0] + "'",
                    Boolean.TRUE.equals(trusted) ? reranked : fused,
                    ids(shipped));
            assertEquals("the same 30 candidates, reordered", new HashSet<>(fused), new HashSet<>(reranked));
            assertNotEquals("top 10 reordered for '" + claim[0] + "'", fused.subList(0, 10), reranked.subList(0, 10));
            int before = fused.indexOf(claim[1]) + 1;
            int after = reranked.indexOf(claim[1]) + 1;
            report.append(before).append(" -> ").append(after).append('\n');
            if (before == 0) continue; // not among the fused top 30: nothing to lift
            candidates++;
            if (before > 1) liftable++;
            rankBefore += before;
            rankAfter += after;
            if (after < before) lifted++;
            if (after > before) dropped++;
        }
        assertTrue(
                "judged abstract among the fused top 30 for " + candidates + " of 6 claims\n" + report,
                candidates >= 4);
        assertTrue(
                "lifted " + lifted + " of " + liftable + " below rank 1, dropped " + dropped + "\n" + report,
                lifted >= 1 && lifted * 2 > liftable && lifted > dropped);
        assertTrue(
                "mean rank " + rankBefore / candidates + " -> " + rankAfter / candidates + "\n" + report,
                rankAfter < rankBefore);
        // these claims are the model's own domain: it is trusted on most of them
        assertTrue("trusted on " + verdicts[0] + " of " + CLAIMS.size(), verdicts[0] > verdicts[1]);
    }

    /**
     * ce_score is the model's score of (claim, title + " " + text): the example configset reranks
     * {@code fields=title,text} joined by the default separator, a single space, skipping empty values. Scored
     * here straight through the model classes with the configset's maxLength (128), without Solr.
     */
    @Test
    public void ceScoreIsTheModelsScoreOfTitleAndText() throws Exception {
        ModelDirectory dir = ModelDirectory.open(SharedData.model("scifact-minilm-l6-ce"));
        try (CrossEncoder model = CrossEncoder.load(
                dir, CrossEncoderSettings.defaultsFor(dir).maxLength(128).build())) {
            for (String[] claim : CLAIMS.subList(0, 3)) {
                QueryResponse rsp = hybrid(claim[0], "{!crossencoder reRankDocs=10}", 10);
                assertEquals("ok", rsp.getHeader().get("rerank.status"));
                List<String> texts = new ArrayList<>();
                for (String id : ids(rsp)) {
                    Dataset.Doc doc = DOCS.get(id);
                    texts.add(Stream.of(doc.title(), doc.text())
                            .filter(t -> t != null && !t.isEmpty())
                            .collect(Collectors.joining(" ")));
                }
                float[] expected = model.score(claim[0], texts, ScoringOptions.DEFAULT, Deadline.none())
                        .scores();
                for (int i = 0; i < expected.length; i++) {
                    SolrDocument d = rsp.getResults().get(i);
                    float ce = (Float) HybridSearchTest.info(d, "ce_score");
                    assertEquals(
                            "ce_score of " + d.getFieldValue("id") + " for '" + claim[0] + "'", expected[i], ce, 1e-4f);
                }
            }
        }
    }

    @Test
    public void hybridPlusCrossEncoderFindsTheJudgedAbstracts() throws Exception {
        int found = 0;
        for (String[] claim : CLAIMS) {
            SolrQuery q = new SolrQuery(claim[0]);
            q.set("rq", "{!crossencoder reRankDocs=30 fusion=replace trustGap=0}");
            q.setFields("id", "score", "[hybrid]");
            QueryRequest request = new QueryRequest(q);
            request.setPath("/hybrid");
            QueryResponse rsp = request.process(solr);
            assertEquals("ok", rsp.getHeader().get("rerank.status"));
            List<String> ids = new ArrayList<>();
            float previous = Float.POSITIVE_INFINITY;
            for (SolrDocument d : rsp.getResults()) {
                ids.add((String) d.getFieldValue("id"));
                float ce = (Float) HybridSearchTest.info(d, "ce_score");
                assertEquals("score is the cross-encoder score (replace)", ce, (Float) d.getFieldValue("score"), 1e-6f);
                assertTrue("sorted by ce_score", ce <= previous);
                previous = ce;
                assertNotNull(HybridSearchTest.info(d, "fused_score"));
            }
            assertEquals(10, ids.size());
            if (ids.contains(claim[1])) found++;
        }
        assertTrue("judged abstract in the top 10 for " + found + " of 6 claims", found >= 4);
    }

    @Test
    public void ceScoresAreShownForARepeatedRequestToo() throws Exception {
        for (int i = 0; i < 2; i++) {
            SolrQuery q = new SolrQuery(CLAIMS.get(0)[0]);
            q.set("rq", "{!crossencoder reRankDocs=10}");
            q.setFields("id", "[hybrid]");
            q.setRows(3);
            QueryRequest request = new QueryRequest(q);
            request.setPath("/hybrid");
            SolrDocument top = request.process(solr).getResults().get(0);
            assertNotNull("request " + (i + 1) + ": " + top, HybridSearchTest.info(top, "ce_score"));
        }
    }
}
