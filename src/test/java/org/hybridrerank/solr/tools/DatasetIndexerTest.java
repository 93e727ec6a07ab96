package org.hybridrerank.solr.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.SolrQuery;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * bin/demo's indexing through the example configset: every document read is accounted for, the refused ones by id and
 * reason.
 */
public class DatasetIndexerTest extends ExampleCoreTestCase {
    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
    }

    @Test
    public void indexesEveryDocumentOfANestedGzippedTrecCollection() throws Exception {
        Dataset ds = Dataset.open(Path.of(
                DatasetIndexerTest.class.getResource("/datasets/trec-nested").toURI()));
        List<Long> steps = new ArrayList<>();
        DatasetIndexer.Report report = new DatasetIndexer(solr, steps::add).index(ds);
        assertEquals(new DatasetIndexer.Report(3, 3, 0, List.of(), 3), report);
        assertEquals(List.of(3L), steps);
        assertEquals("indexed 3 of 3 documents read", report.summary());
        assertEquals(
                "1",
                solr.query(new SolrQuery("title:tidal")).getResults().get(0).get("id"));
    }

    @Test
    public void aRefusedDocumentIsNamedAndTheRestOfItsBatchIsKept() throws Exception {
        Path dir = createTempDir("refused");
        Files.writeString(
                dir.resolve("docs.trec"),
                "<DOC>\n<DOCNO>A</DOCNO>\nfirst\n</DOC>\n"
                        + "<DOC>\nno document number here\n</DOC>\n"
                        + "<DOC>\n<DOCNO>B</DOCNO>\nthird\n</DOC>\n"
                        + "<DOC>\n<DOCNO>A</DOCNO>\nA again\n</DOC>\n");
        DatasetIndexer.Report report = new DatasetIndexer(solr, n -> {}).index(Dataset.open(dir));
        assertEquals(4, report.read());
        assertEquals(3, report.accepted());
        assertEquals(1, report.rejected());
        assertEquals(2, report.held());
        DatasetIndexer.Rejection refused = report.firstRejections().get(0);
        assertNull(refused.id());
        assertEquals(2, refused.position());
        assertTrue(refused.reason(), refused.reason().contains("uniqueKey"));
        assertTrue(refused.toString(), refused.toString().startsWith("(no id) (document #2 read): "));
        assertEquals(
                "indexed 3 of 4 documents read; 1 rejected; the index holds 2 (documents sharing an id replace each "
                        + "other)",
                report.summary());
        assertEquals(
                "A again", solr.query(new SolrQuery("id:A")).getResults().get(0).get("text"));
    }
}
