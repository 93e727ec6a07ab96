package org.hybridrerank.solr.hybrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.hybridrerank.solr.model.EmbedderSettings;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.TextEmbedder;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The hybrid first stage on the example configset. Expected values come from running the two subqueries on
 * their own (plain edismax, plain {!knn} with a vector embedded here) and fusing by hand.
 */
public class HybridSearchTest extends ExampleCoreTestCase {
    public static final String[][] DOCS = {
        {
            "1",
            "Vitamin D and bone health",
            "Vitamin D deficiency raises the risk of bone fractures in older adults.",
            "a"
        },
        {"2", "Calcium intake", "Dietary calcium and vitamin D supplements for osteoporosis.", "a"},
        {"3", "Fracture healing", "Broken bones heal faster with adequate nutrition.", "b"},
        {"4", "Sunlight exposure", "Skin synthesis of vitamin D depends on sunlight and latitude.", "b"},
        {"5", "Stock markets", "Shares fell sharply as interest rates rose.", "c"},
        {"6", "Football results", "The home team won the final match of the season.", "c"},
        {"7", "Osteoporosis", "Low bone density makes fractures more likely after menopause.", "a"},
        {"8", "Deficiency diseases", "Rickets in children is caused by a lack of vitamin D.", "b"},
        {"9", "Interest rates", "Central banks raised rates to fight inflation.", "c"},
        {"10", "Bone strength training", "Resistance exercise increases bone mineral density.", "b"},
    };
    public static final String QUERY = "vitamin d deficiency and broken bones";
    static TextEmbedder embedder;

    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
        for (String[] d : DOCS) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", d[0]);
            doc.addField("title", d[1]);
            doc.addField("text", d[2]);
            doc.addField("category_s", d[3]);
            solr.add(doc);
        }
        SolrInputDocument empty = new SolrInputDocument();
        empty.addField("id", "empty");
        empty.addField("category_s", "z");
        solr.add(empty);
        solr.commit();
        ModelDirectory dir = ModelDirectory.open(SharedData.embedderDir());
        embedder = TextEmbedder.load(dir, EmbedderSettings.defaultsFor(dir));
    }

    @AfterClass
    public static void afterClass() {
        if (embedder != null) embedder.close();
        embedder = null;
    }

    /** {@link #DOCS} with id, title and text only (no category), committed. */
    public static void indexTitlesAndTexts(org.apache.solr.client.solrj.SolrClient solr) throws Exception {
        for (String[] d : DOCS) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", d[0]);
            doc.addField("title", d[1]);
            doc.addField("text", d[2]);
            solr.add(doc);
        }
        solr.commit();
    }

    static List<String> ids(QueryResponse rsp) {
        List<String> ids = new ArrayList<>();
        for (SolrDocument d : rsp.getResults()) ids.add((String) d.getFieldValue("id"));
        return ids;
    }

    /** The lexical list on its own: plain edismax over the configset's catch-all field. */
    static List<String> lexicalAlone(int topN, String fq) throws Exception {
        SolrQuery q = new SolrQuery(QUERY);
        q.set("defType", "edismax");
        q.set("qf", "title_text");
        if (fq != null) q.addFilterQuery(fq);
        q.setRows(topN);
        return ids(solr.query(q));
    }

    /** The vector list on its own: {!knn} with the query embedded by this test. */
    static List<String> vectorAlone(int topN, String fq) throws Exception {
        float[] v = embedder.embedQuery(QUERY);
        StringBuilder vec = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) vec.append(i == 0 ? "" : ",").append(v[i]);
        SolrQuery q = new SolrQuery("{!knn f=vector topK=" + topN + "}" + vec.append(']'));
        q.set("defType", "lucene");
        if (fq != null) q.addFilterQuery(fq);
        q.setRows(topN);
        return ids(solr.query(q));
    }

    static Map<String, Double> rrf(List<String> lexical, List<String> vector, int k, double wl, double wv) {
        Map<String, Double> fused = new LinkedHashMap<>();
        for (int r = 0; r < lexical.size(); r++) fused.merge(lexical.get(r), wl / (k + r + 1), Double::sum);
        for (int r = 0; r < vector.size(); r++) fused.merge(vector.get(r), wv / (k + r + 1), Double::sum);
        return fused;
    }

    /** A value of the doc's [hybrid] field. */
    static Object info(SolrDocument doc, String key) {
        Object info = doc.getFieldValue("[hybrid]");
        if (info instanceof org.apache.solr.common.util.NamedList<?> nl) return nl.get(key);
        return ((Map<?, ?>) info).get(key);
    }

    static SolrQuery hybrid(String... params) {
        SolrQuery q = new SolrQuery(QUERY);
        q.set("hybrid", true);
        q.setFields("id", "score", "[hybrid]");
        q.setRows(50);
        for (int i = 0; i < params.length; i += 2) q.set(params[i], params[i + 1]);
        return q;
    }

    @Test
    public void fusedScoresEqualAHandComputation() throws Exception {
        List<String> lexical = lexicalAlone(5, null);
        List<String> vector = vectorAlone(3, null);
        Map<String, Double> expected = rrf(lexical, vector, 10, 1.0, 0.5);
        assertTrue("some docs in one list only", !vector.containsAll(lexical) || !lexical.containsAll(vector));
        assertTrue("some docs in both lists", lexical.stream().anyMatch(vector::contains));

        QueryResponse rsp = solr.query(hybrid(
                "hybrid.lexical.topN",
                "5",
                "hybrid.vector.topN",
                "3",
                "hybrid.rrf.k",
                "10",
                "hybrid.weights",
                "lexical:1,vector:0.5"));
        assertEquals(expected.size(), rsp.getResults().getNumFound());
        Map<String, Double> got = new HashMap<>();
        for (SolrDocument d : rsp.getResults()) {
            String id = (String) d.getFieldValue("id");
            got.put(id, ((Float) d.getFieldValue("score")).doubleValue());
            assertEquals(id, expected.get(id), ((Float) info(d, "fused_score")).doubleValue(), 1e-6);
            int lexRank = lexical.indexOf(id) + 1;
            int vecRank = vector.indexOf(id) + 1;
            assertEquals(id, lexRank == 0 ? null : lexRank, info(d, "lexical_rank"));
            assertEquals(id, vecRank == 0 ? null : vecRank, info(d, "vector_rank"));
        }
        for (Map.Entry<String, Double> e : expected.entrySet())
            assertEquals(e.getKey(), e.getValue(), got.get(e.getKey()), 1e-6);
        List<Double> scores = ids(rsp).stream().map(got::get).toList();
        List<Double> sorted = new ArrayList<>(scores);
        sorted.sort(Comparator.reverseOrder());
        assertEquals(sorted, scores);
    }

    @Test
    public void filtersApplyToBothSubqueries() throws Exception {
        List<String> lexical = lexicalAlone(100, "category_s:b");
        List<String> vector = vectorAlone(3, "category_s:b");
        QueryResponse rsp = solr.query(hybrid("fq", "category_s:b", "hybrid.vector.topN", "3"));
        assertEquals(rrf(lexical, vector, 60, 1, 1).keySet(), new java.util.HashSet<>(ids(rsp)));
        for (SolrDocument d : rsp.getResults()) {
            String id = (String) d.getFieldValue("id");
            assertEquals("b", DOCS[Integer.parseInt(id) - 1][3]);
            if (info(d, "vector_rank") != null) {
                // ranked within the filter: the kNN was pre-filtered, not filtered after
                assertEquals(id, vector.indexOf(id) + 1, info(d, "vector_rank"));
            }
        }
        assertEquals(
                3,
                rsp.getResults().stream()
                        .filter(d -> info(d, "vector_rank") != null)
                        .count());
    }

    @Test
    public void eachStageAlone() throws Exception {
        assertEquals(lexicalAlone(100, null), ids(solr.query(hybrid("hybrid.mode", "lexical"))));
        assertEquals(vectorAlone(4, null), ids(solr.query(hybrid("hybrid.mode", "vector", "hybrid.vector.topN", "4"))));
    }

    @Test
    public void pagingFacetsAndHighlightingStillWork() throws Exception {
        List<String> all = ids(solr.query(hybrid()));
        List<String> paged = new ArrayList<>();
        for (int start = 0; start < all.size(); start += 3) {
            SolrQuery q = hybrid();
            q.setStart(start);
            q.setRows(3);
            paged.addAll(ids(solr.query(q)));
        }
        assertEquals(all, paged);

        SolrQuery faceted = hybrid("facet", "true", "facet.field", "category_s", "hl", "true", "hl.fl", "text");
        QueryResponse rsp = solr.query(faceted);
        long counted = rsp.getFacetField("category_s").getValues().stream()
                .mapToLong(c -> c.getCount())
                .sum();
        assertEquals("facets count the fused candidates", rsp.getResults().getNumFound(), counted);
        String highlighted = rsp.getHighlighting().get("1").get("text").get(0);
        assertTrue(highlighted, highlighted.contains("<em>"));
    }

    @Test
    public void theIndexedVectorIsThePassageVectorAndTheSearchedOneIsTheQueryVector() throws Exception {
        String docText = DOCS[0][1] + " " + DOCS[0][2];
        float[] passage = embedder.embedPassage(docText);
        assertTrue("cosine with the indexed vector", dot(passage, indexedVector("1")) >= 0.9999);

        // through the component, the doc's own text as the query: its score is the cosine of the query vector
        // (query prefix + text) with the passage vector, not ~1 as it would be without the prefix
        float[] query = embedder.embedQuery(docText);
        String queryPrefix = configuredQueryPrefix();
        if (!queryPrefix.isEmpty()) assertTrue("the prefix changes the vector", dot(query, passage) < 0.99);
        SolrQuery self = new SolrQuery(docText);
        self.set("hybrid", true);
        self.set("hybrid.mode", "vector");
        self.setFields("id", "[hybrid]");
        self.setRows(50);
        SolrDocument doc1 = solr.query(self).getResults().stream()
                .filter(d -> "1".equals(d.getFieldValue("id")))
                .findFirst()
                .orElseThrow();
        // Lucene's cosine similarity score is (1 + cos) / 2
        assertEquals(
                doc1.toString(),
                (1 + dot(query, passage)) / 2,
                ((Float) info(doc1, "vector_score")).doubleValue(),
                1e-4);

        // every doc's vector score against the test query: the query vector against its indexed vector
        SolrQuery q = hybrid("hybrid.mode", "vector");
        float[] v = embedder.embedQuery(QUERY);
        for (SolrDocument d : solr.query(q).getResults()) {
            String id = (String) d.getFieldValue("id");
            assertEquals(
                    id, (1 + dot(v, indexedVector(id))) / 2, ((Float) info(d, "vector_score")).doubleValue(), 1e-4);
        }
    }

    static float[] indexedVector(String id) throws Exception {
        SolrQuery q = new SolrQuery("id:" + id);
        q.setFields("vector");
        @SuppressWarnings("unchecked")
        List<Float> indexed = (List<Float>) solr.query(q).getResults().get(0).getFieldValue("vector");
        float[] v = new float[indexed.size()];
        for (int i = 0; i < v.length; i++) v[i] = indexed.get(i);
        return v;
    }

    static double dot(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double dot = 0;
        for (int i = 0; i < a.length; i++) dot += (double) a[i] * b[i];
        return dot;
    }

    /** The query prefix the default model's config.json declares, read here rather than from the plugin. */
    static String configuredQueryPrefix() throws Exception {
        JsonNode config = new ObjectMapper()
                .readTree(SharedData.embedderDir()
                        .resolve(ModelDirectory.CONFIG_FILE)
                        .toFile());
        return config.path("query_prefix").asText("");
    }

    @Test
    public void docsWithoutTextGetNoVector() throws Exception {
        SolrQuery q = new SolrQuery("id:empty");
        q.setFields("id", "vector");
        assertNull(solr.query(q).getResults().get(0).getFieldValue("vector"));
        SolrQuery all = new SolrQuery("*:*");
        all.setFields("id", "vector");
        all.setRows(100);
        long withVector = solr.query(all).getResults().stream()
                .filter(d -> d.getFieldValue("vector") != null)
                .count();
        assertEquals(DOCS.length, withVector);
    }

    @Test
    public void debugTimesEachStage() throws Exception {
        QueryResponse rsp = solr.query(hybrid("debug", "true"));
        org.apache.solr.common.util.NamedList<?> t =
                (org.apache.solr.common.util.NamedList<?>) rsp.getDebugMap().get("hybrid");
        for (String key : new String[] {"embedMs", "lexicalMs", "vectorMs", "fuseMs"}) {
            assertTrue(key + " in " + t, ((Number) t.get(key)).doubleValue() >= 0);
        }
        assertEquals("the prefix put before the embedded query", configuredQueryPrefix(), t.get("queryPrefix"));
        assertTrue(
                "the default model has a query prefix", !configuredQueryPrefix().isEmpty());
    }
}
