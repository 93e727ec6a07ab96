package org.hybridrerank.solr.rerank;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.NamedList;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.testutil.CoreMetrics;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.RerankCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code [hybrid]}'s ce_passage on a real core with the overlap oracle and a 32-token model (28 tokens of
 * passage room for a one-token query). The doc's model text is one word per token, so the offsets of the
 * window each longDocs mode reads follow from the text's layout: truncate reads tokens 0–27; best reads the
 * candidate window (starts every 32 tokens, plus the one ending at the end) holding the query term, tokens
 * 32–59; window pools several windows and reports no passage. The same passage comes back from the score
 * cache and from a queryResultCache hit.
 */
public class PassageSpanTest extends RerankCoreTestCase {
    private static final int ROOM = 28;
    /** The model text's words: title "long passage", then the text, the query term at word 40. */
    private static final List<String> WORDS = new ArrayList<>();

    static {
        WORDS.add("long");
        WORDS.add("passage");
        WORDS.addAll(Collections.nCopies(38, "cat"));
        WORDS.add("zebra");
        WORDS.addAll(Collections.nCopies(40, "cat"));
    }

    /** fields=title,text joined by the default separator, a space. */
    private static final String MODEL_TEXT = String.join(" ", WORDS);

    @BeforeClass
    public static void beforeClass() throws Exception {
        initRerankCore("solrconfig.xml", "schema.xml");
        try (OverlapOracle oracle = new OverlapOracle()) {
            // the layout's premise: each word is one word-piece, so token k is word k
            assertEquals(WORDS.size(), oracle.tokenCount(MODEL_TEXT));
            assertEquals(1, oracle.tokenCount("zebra"));
        }
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField("id", "long");
        doc.addField("title", "long passage");
        doc.addField("text", String.join(" ", WORDS.subList(2, WORDS.size())));
        doc.addField("first_pass", 1f);
        solr.add(doc);
        solr.commit();
    }

    /** Character offset where word {@code k} starts in the model text. */
    private static int start(int k) {
        int at = 0;
        for (int i = 0; i < k; i++) at += WORDS.get(i).length() + 1;
        return at;
    }

    private static int end(int k) {
        return start(k) + WORDS.get(k).length();
    }

    private static SolrQuery request(String rq, String... more) {
        SolrQuery q = new SolrQuery("id:long");
        q.set("rq", rq);
        for (int i = 0; i < more.length; i += 2) q.add(more[i], more[i + 1]);
        q.setFields("id", "score", "[hybrid]");
        return q;
    }

    private static NamedList<?> hybrid(QueryResponse rsp) {
        assertEquals("ok", rsp.getHeader().get(RequestContext.STATUS_HEADER));
        SolrDocument doc = rsp.getResults().get(0);
        return (NamedList<?>) doc.getFieldValue("[hybrid]");
    }

    private static List<?> passage(QueryResponse rsp) {
        return (List<?>) hybrid(rsp).get("ce_passage");
    }

    private static String rq(String longDocs, boolean scoreCache) {
        return "{!crossencoder model=oracle-short reRankText=zebra longDocs=" + longDocs + " scoreCache=" + scoreCache
                + "}";
    }

    @Test
    public void eachModeReportsTheCharactersItRead() throws Exception {
        assertEquals(ROOM, 32 - 3 - 1); // maxLength - [CLS] [SEP] [SEP] - one query token

        QueryResponse best = solr.query(request(rq("best", false)));
        List<Integer> bestSpan = List.of(start(32), end(32 + ROOM - 1));
        assertEquals(bestSpan, passage(best));
        assertTrue(MODEL_TEXT.substring(bestSpan.get(0), bestSpan.get(1)).contains("zebra"));
        assertEquals(1f, (Float) hybrid(best).get("ce_score"), 1e-6f);

        QueryResponse truncate = solr.query(request(rq("truncate", false)));
        List<Integer> truncateSpan = List.of(0, end(ROOM - 1));
        assertEquals(truncateSpan, passage(truncate));
        assertFalse(
                MODEL_TEXT.substring(truncateSpan.get(0), truncateSpan.get(1)).contains("zebra"));
        assertEquals(0f, (Float) hybrid(truncate).get("ce_score"), 1e-6f);

        QueryResponse window = solr.query(request(rq("window", false)));
        assertNotNull(hybrid(window).get("ce_score"));
        assertNull("a pooled score read no single passage", hybrid(window).get("ce_passage"));

        // not reranked: no model score, no passage
        SolrQuery off = request("{!crossencoder enabled=false}");
        NamedList<?> none = (NamedList<?>) solr.query(off).getResults().get(0).getFieldValue("[hybrid]");
        assertNull(none.get("ce_score"));
        assertNull(none.get("ce_passage"));
    }

    @Test
    public void passageTextIsTheSpanOfTheModelText() throws Exception {
        SolrQuery q = request(rq("best", true));
        q.setFields("id", "[hybrid passageText=true]");
        NamedList<?> info = (NamedList<?>) solr.query(q).getResults().get(0).getFieldValue("[hybrid]");
        assertEquals(MODEL_TEXT.substring(start(32), end(32 + ROOM - 1)), info.get("ce_passage_text"));

        q.setFields("id", "[hybrid passageText=yes]");
        SolrException e = expectThrows(SolrException.class, () -> solr.query(q));
        assertEquals(400, e.code());
        assertTrue(e.getMessage(), e.getMessage().contains("passageText must be true or false"));
    }

    @Test
    public void cachedAnswersReportTheSamePassage() throws Exception {
        List<Integer> expected = List.of(start(32), end(32 + ROOM - 1));
        long reranks = CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.reranks");

        // score cache off: the first answer is computed, the repeat is a queryResultCache hit read back by the model
        SolrQuery noScoreCache = request(rq("best", false), "fq", "first_pass:[0 TO 5]");
        assertEquals("computed", expected, passage(solr.query(noScoreCache)));
        long resultHits = CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits");
        assertEquals("queryResultCache hit read back by the model", expected, passage(solr.query(noScoreCache)));
        assertEquals(resultHits + 1, CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits"));
        assertEquals("one rerank ran", reranks + 1, CoreMetrics.count(h.getCore(), "QUERYPARSER.crossencoder.reranks"));

        // score cache on: filled by one rerank, read by another (other filter), then by a queryResultCache hit
        solr.query(request(rq("best", true), "fq", "title:long"));
        long scoreHits = CoreMetrics.cacheStat(h.getCore(), "crossencoderScores", "hits");
        SolrQuery other = request(rq("best", true), "fq", "title:passage");
        assertEquals("score cache hit", expected, passage(solr.query(other)));
        assertEquals(scoreHits + 1, CoreMetrics.cacheStat(h.getCore(), "crossencoderScores", "hits"));
        resultHits = CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits");
        assertEquals("queryResultCache hit read back from the score cache", expected, passage(solr.query(other)));
        assertEquals(resultHits + 1, CoreMetrics.cacheStat(h.getCore(), "queryResultCache", "hits"));
        assertEquals(scoreHits + 2, CoreMetrics.cacheStat(h.getCore(), "crossencoderScores", "hits"));
    }
}
