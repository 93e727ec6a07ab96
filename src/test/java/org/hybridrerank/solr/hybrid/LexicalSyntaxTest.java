package org.hybridrerank.solr.hybrid;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * hybrid.lexical.syntax on the example configset: under {@code text} the query is words, whatever they look
 * like; under {@code edismax} it is edismax syntax. The words-only oracle is plain edismax over the same
 * fields with every word escaped by SolrJ's own {@link ClientUtils#escapeQueryChars}.
 */
public class LexicalSyntaxTest extends ExampleCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
        HybridSearchTest.indexTitlesAndTexts(solr);
    }

    /** The lexical list of the hybrid component: "id score" per hit, in order. */
    private static List<String> lexical(String q, String syntax) throws Exception {
        SolrQuery query = new SolrQuery(q);
        query.set("hybrid", true);
        query.set("hybrid.mode", "lexical");
        if (syntax != null) query.set("hybrid.lexical.syntax", syntax);
        query.setFields("id", "score");
        query.setRows(50);
        return hits(query);
    }

    /** Plain edismax (no hybrid component) over the component's qf with each word escaped by SolrJ. */
    private static List<String> escapedWordsOracle(String q) throws Exception {
        String escaped = Arrays.stream(q.trim().split("\\s+"))
                .map(ClientUtils::escapeQueryChars)
                .collect(Collectors.joining(" "));
        SolrQuery query = new SolrQuery(escaped);
        query.set("defType", "edismax");
        query.set("qf", "title_text");
        query.setFields("id", "score");
        query.setRows(50);
        return hits(query);
    }

    private static List<String> hits(SolrQuery query) throws Exception {
        List<String> hits = new ArrayList<>();
        for (SolrDocument d : solr.query(query).getResults())
            hits.add(d.getFieldValue("id") + " " + d.getFieldValue("score"));
        return hits;
    }

    private static List<String> ids(List<String> hits) {
        return hits.stream().map(h -> h.substring(0, h.indexOf(' '))).toList();
    }

    @Test
    public void plainLowerCaseQueriesScoreTheSameUnderBothSyntaxes() throws Exception {
        for (String q : List.of(HybridSearchTest.QUERY, "interest rates", "bone density after menopause")) {
            List<String> text = lexical(q, "text");
            assertTrue(q + ": " + text, text.size() >= 2);
            assertEquals(q, lexical(q, "edismax"), text);
            assertEquals(q + ": text is the default", text, lexical(q, null));
        }
    }

    @Test
    public void upperCaseOperatorWordsAreWordsUnderText() throws Exception {
        // AND between words no doc holds together: edismax requires both and finds nothing
        String and = "VITAMIN AND FOOTBALL";
        assertEquals(List.of(), lexical(and, "edismax"));
        List<String> asWords = lexical(and, "text");
        assertEquals(and, List.of("1", "2", "4", "6", "8"), sorted(ids(asWords)));
        assertEquals(and + ": text is the default", asWords, lexical(and, null));
        assertEquals(and, lexical(and.toLowerCase(java.util.Locale.ROOT), "text"), asWords);
        assertEquals(and, lexical(and.toLowerCase(java.util.Locale.ROOT), "edismax"), asWords);

        // NOT excludes under edismax; under text it is a (stop) word like its lower-case form
        String not = "BONE NOT VITAMIN";
        List<String> excluded = ids(lexical(not, "edismax"));
        assertFalse(not + ": " + excluded, excluded.isEmpty());
        assertFalse(not + ": " + excluded, excluded.contains("1"));
        List<String> notAsWords = lexical(not, "text");
        assertTrue(not + ": " + notAsWords, ids(notAsWords).containsAll(List.of("1", "2", "7", "10")));
        assertEquals(not, lexical("bone not vitamin", "text"), notAsWords);

        // OR and the symbol operators too
        assertEquals(lexical("bone or vitamin", "text"), lexical("BONE OR VITAMIN", "text"));
        assertEquals(lexical("bone vitamin", "text"), lexical("bone && vitamin", "text"));
        assertNotEquals(lexical("bone vitamin", "edismax"), lexical("bone && vitamin", "edismax"));
    }

    @Test
    public void querySyntaxIsWordsUnderText() throws Exception {
        String q =
                "\"bone health\" title:fracture vitamin* density^3 -calcium (sunlight: 100% [a TO z] {!lucene}x ~2 ?";
        List<String> text = lexical(q, "text");
        assertSameHits(q, escapedWordsOracle(q), text);
        assertTrue(q + ": " + text, ids(text).containsAll(List.of("1", "2", "4", "7", "10")));
        assertNotEquals(lexical(q, "edismax"), text);

        // one feature at a time: what edismax does with it, and that text does not
        assertEquals(List.of("1"), ids(lexical("\"bone health\"", "edismax")));
        assertEquals(lexical("bone health", "text"), lexical("\"bone health\"", "text"));

        assertEquals(List.of("3"), ids(lexical("title:fracture", "edismax")));
        assertFalse(ids(lexical("title:fracture", "text")).contains("3")); // one token "title:fractur", as analyzed

        assertFalse(lexical("vitam*", "edismax").isEmpty());
        assertEquals(List.of(), lexical("vitam*", "text"));

        assertNotEquals(lexical("bone density 3", "edismax"), lexical("bone density^3", "edismax"));
        assertEquals(lexical("bone density 3", "text"), lexical("bone density^3", "text"));

        assertFalse(ids(lexical("vitamin -calcium", "edismax")).contains("2"));
        assertTrue(ids(lexical("vitamin -calcium", "text")).contains("2"));

        for (String odd : List.of("(", ":", "%", "-", "\"", "\\", "AND", "*:*", "title:", "^3")) {
            assertSameHits(odd, escapedWordsOracle(odd), lexical(odd, "text"));
        }
    }

    /** Same ids in the same order, scores equal up to float summation order (another search path). */
    private static void assertSameHits(String what, List<String> expected, List<String> actual) {
        assertEquals(what, ids(expected), ids(actual));
        for (int i = 0; i < expected.size(); i++) {
            float e = Float.parseFloat(expected.get(i).substring(expected.get(i).indexOf(' ') + 1));
            float a = Float.parseFloat(actual.get(i).substring(actual.get(i).indexOf(' ') + 1));
            assertEquals(what + " at " + (i + 1), e, a, 1e-6f * Math.abs(e));
        }
    }

    private static List<String> sorted(List<String> ids) {
        List<String> copy = new ArrayList<>(ids);
        copy.sort(java.util.Comparator.comparingInt(Integer::parseInt));
        return copy;
    }
}
