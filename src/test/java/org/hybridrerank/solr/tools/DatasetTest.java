package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * Both dataset layouts bin/demo and bin/eval read, as distributed (nested folders, .gz files), and the checks
 * that stop both tools before Solr when a dataset yields nothing. Fixtures: src/test/resources/datasets/.
 */
public class DatasetTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void readsTrecFilesRecognisedByContent() throws Exception {
        Path dir = tmp.newFolder("robust").toPath();
        Files.writeString(
                dir.resolve("docs.sgml"),
                "<DOC>\n<DOCNO> FT911-1 </DOCNO>\n<TITLE>Vitamin news</TITLE>\n<TEXT>\nVitamin D  and "
                        + "bones.\n</TEXT>\n</DOC>\n<DOC><DOCNO>FT911-2</DOCNO><TEXT>Stock markets.</TEXT></DOC>\n");
        Files.writeString(
                dir.resolve("topics.txt"),
                "<top>\n<num> Number: 301\n<title> vitamin d bones\n<desc> Description:\nAnything.\n</top>\n"
                        + "<top>\n<num> Number: 302\n<title> markets\n</top>\n");
        Files.writeString(dir.resolve("qrels.txt"), "301 0 FT911-1 1\n301 0 FT911-2 0\n302 0 FT911-2 2\n");
        Dataset ds = Dataset.open(dir);
        assertEquals("trec", ds.format());
        List<Dataset.Doc> docs = new ArrayList<>();
        ds.documents(docs::add);
        assertEquals(
                List.of(
                        new Dataset.Doc("FT911-1", "Vitamin news", "Vitamin D and bones."),
                        new Dataset.Doc("FT911-2", "", "Stock markets.")),
                docs);
        assertEquals(Map.of("301", "vitamin d bones", "302", "markets"), ds.queries());
        assertEquals(Map.of("301", Map.of("FT911-1", 1, "FT911-2", 0), "302", Map.of("FT911-2", 2)), ds.qrels("test"));
    }

    /**
     * The synthetic claims-mini fixture (SciFact's layout; its README.txt gives the counts). SciFact itself is read
     * in DatasetSharedIT.
     */
    @Test
    public void readsBeir() throws Exception {
        Dataset ds = Dataset.open(fixture("claims-mini"));
        assertEquals("beir", ds.format());
        assertEquals(8, ds.qrels("test").size());
        assertEquals(Map.of("c005", 1, "c006", 1), ds.qrels("test").get("3"));
        assertEquals(Map.of("9", Map.of("c017", 1), "10", Map.of("c019", 1)), ds.qrels("train"));
        assertEquals(12, ds.queries().size());
        assertEquals(
                "Vitamin D changes bone density in older adults.", ds.queries().get("1"));
        List<Dataset.Doc> docs = documents(ds);
        assertEquals(50, docs.size());
        assertEquals("c001", docs.get(0).id());
        assertEquals("Vitamin D and bone density in older adults", docs.get(0).title());
        assertThrows(IllegalArgumentException.class, () -> ds.qrels("dev"));
    }

    private static Path fixture(String name) throws URISyntaxException {
        return Path.of(DatasetTest.class.getResource("/datasets/" + name).toURI());
    }

    private static List<Dataset.Doc> documents(Dataset ds) throws Exception {
        List<Dataset.Doc> docs = new ArrayList<>();
        ds.documents(docs::add);
        return docs;
    }

    @Test
    public void readsATrecCollectionAsDistributedWithGzippedDocumentsInASubFolder() throws Exception {
        Dataset ds = Dataset.open(fixture("trec-nested"));
        assertEquals("trec", ds.format());
        assertEquals(
                List.of(
                        new Dataset.Doc(
                                "1",
                                "Tidal power",
                                "Harnessing tidal currents for electricity with underwater turbines."),
                        new Dataset.Doc("2", "", "FAST FOURIER TRANSFORMS AND THEIR USE IN SIGNAL PROCESSING"),
                        new Dataset.Doc("3", "", "Cold storage of apples OR pears in controlled atmospheres.")),
                documents(ds));
        assertEquals(
                Map.of("101", Map.of("1", 2, "3", 0), "102", Map.of("2", 1), "103", Map.of("3", 1)),
                ds.qrels("ignored-for-trec"));
        assertEquals(
                List.of(
                        "README.txt: not recognised",
                        "corpus/doc-text.trec.gz: TREC documents",
                        "qrels: TREC qrels",
                        "query-text.trec: TREC topics"),
                ds.filesLookedAt());
    }

    @Test
    public void followsLinkedFolders() throws Exception {
        Path root = tmp.newFolder("linked").toPath();
        Files.createSymbolicLink(root.resolve("collection"), fixture("trec-nested"));
        Dataset viaLinkedChild = Dataset.open(root);
        Dataset viaLinkedRoot = Dataset.open(root.resolve("collection"));
        assertEquals(3, DatasetCheck.documents(viaLinkedChild));
        assertEquals(3, DatasetCheck.documents(viaLinkedRoot));
    }

    @Test
    public void topicFieldChoosesTitleDescriptionOrBothAndKeepsUpperCaseOperatorWordsAsText() throws Exception {
        Dataset ds = Dataset.open(fixture("trec-nested"));
        Map<String, String> titles = new LinkedHashMap<>();
        titles.put("101", "TIDAL AND WAVE POWER");
        titles.put("102", "SIGNALS NOT NOISE OR ECHOES");
        titles.put("103", "FRUIT STORAGE");
        assertEquals(titles, ds.queries());
        assertEquals(titles, ds.queries(TopicField.TITLE));
        // topic 103 has no <desc>: left out rather than sent as an empty query
        assertEquals(
                Map.of(
                        "101",
                        "Find documents on generating electricity from tides or waves.",
                        "102",
                        "How are fast transforms used to separate signal from noise?"),
                ds.queries(TopicField.DESC));
        assertEquals(
                Map.of(
                        "101",
                        "TIDAL AND WAVE POWER Find documents on generating electricity from tides or waves.",
                        "102",
                        "SIGNALS NOT NOISE OR ECHOES How are fast transforms used to separate signal from noise?",
                        "103",
                        "FRUIT STORAGE"),
                ds.queries(TopicField.TITLE_DESC));
    }

    @Test
    public void topicFieldNamesTheOptionAndItsValuesWhenInvalid() {
        assertEquals(TopicField.TITLE_DESC, TopicField.parse("title+desc"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TopicField.parse("narr"));
        assertEquals("--topic-field must be one of title, desc, title+desc; got 'narr'", e.getMessage());
    }

    @Test
    public void readsANestedBeirFolderWithGzippedCorpusAndQrelsWithOrWithoutHeader() throws Exception {
        Dataset ds = Dataset.open(fixture("beir-nested"));
        assertEquals("beir", ds.format());
        assertEquals("beir-nested", ds.name());
        assertEquals(
                List.of(
                        new Dataset.Doc("d1", "Coffee and sleep", "Caffeine late in the day delays sleep onset."),
                        new Dataset.Doc("d2", "", "Green tea holds less caffeine than coffee."),
                        new Dataset.Doc("d3", "Sugar", "Added sugar AND sweet drinks raise energy intake.")),
                documents(ds));
        assertEquals(Map.of("q1", "does coffee delay sleep", "q2", "COFFEE OR TEA AND NOT SUGAR"), ds.queries());
        // test.tsv opens with BEIR's header line, dev.tsv has none: its first line is a judgment
        assertEquals(Map.of("q1", Map.of("d1", 1), "q2", Map.of("d2", 2)), ds.qrels("test"));
        assertEquals(Map.of("q2", Map.of("d3", 0, "d2", 1)), ds.qrels("dev"));
        DatasetProblem missing = assertThrows(DatasetProblem.class, () -> ds.qrels("train"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("no qrels for split 'train'"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("mini/qrels/test.tsv: BEIR qrels"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("qrels/train.tsv"));
    }

    @Test
    public void anEmptyFolderIsAProblemNamingTheFolderAndWhatWasExpected() throws Exception {
        Path empty = tmp.newFolder("empty").toPath();
        DatasetProblem e = assertThrows(DatasetProblem.class, () -> DatasetCheck.documents(Dataset.open(empty)));
        assertTrue(
                e.getMessage(),
                e.getMessage()
                        .startsWith("no documents in " + empty.toAbsolutePath().normalize()));
        assertTrue(e.getMessage(), e.getMessage().contains("looked at no files"));
        assertTrue(e.getMessage(), e.getMessage().contains("expected: a BEIR corpus.jsonl or corpus.jsonl.gz"));
        assertTrue(e.getMessage(), e.getMessage().contains("<DOC>"));
    }

    @Test
    public void aFolderWithoutDocumentsNamesEveryFileItLookedAt() throws Exception {
        Path dir = tmp.newFolder("topics-only").toPath();
        Files.createDirectories(dir.resolve("judgments"));
        Files.copy(fixture("trec-nested").resolve("query-text.trec"), dir.resolve("query-text.trec"));
        Files.copy(
                fixture("trec-nested").resolve("qrels"),
                dir.resolve("judgments").resolve("qrels.txt"));
        DatasetProblem e = assertThrows(DatasetProblem.class, () -> DatasetCheck.documents(Dataset.open(dir)));
        assertTrue(e.getMessage(), e.getMessage().contains("looked at 2 files"));
        assertTrue(e.getMessage(), e.getMessage().contains("judgments/qrels.txt: TREC qrels"));
        assertTrue(e.getMessage(), e.getMessage().contains("query-text.trec: TREC topics"));
    }

    @Test
    public void judgedQueriesAreThoseWithTextAndAGradeAboveZero() throws Exception {
        Dataset ds = Dataset.open(fixture("trec-nested"));
        DatasetCheck.JudgedQueries title = DatasetCheck.judgedQueries(ds, "test", TopicField.TITLE);
        assertEquals(List.of("101", "102", "103"), title.ids());
        assertEquals(List.of(), title.withoutText());
        DatasetCheck.JudgedQueries desc = DatasetCheck.judgedQueries(ds, "test", TopicField.DESC);
        assertEquals(List.of("101", "102"), desc.ids());
        assertEquals(List.of("103"), desc.withoutText());
    }

    @Test
    public void evalStopsBeforeSolrWhenTheDatasetHasNoTopics() throws Exception {
        Path dir = tmp.newFolder("docs-and-qrels").toPath();
        Files.copy(fixture("trec-nested").resolve("corpus/doc-text.trec.gz"), dir.resolve("doc-text.trec.gz"));
        Files.copy(fixture("trec-nested").resolve("qrels"), dir.resolve("qrels"));
        StringWriter err = new StringWriter();
        // nothing listens on port 1: reaching Solr would fail with a connection error, not this message
        int code = new CommandLine(new Evaluate())
                .setErr(new PrintWriter(err))
                .execute(
                        "--solr",
                        "http://127.0.0.1:1/solr",
                        "--dataset",
                        dir.toString(),
                        "--out",
                        tmp.newFolder("out").toString());
        assertEquals(err.toString(), 2, code);
        assertTrue(
                err.toString(),
                err.toString().startsWith("no topics in " + dir.toAbsolutePath().normalize()));
        assertTrue(err.toString(), err.toString().contains("doc-text.trec.gz: TREC documents"));
        assertTrue(err.toString(), err.toString().contains("qrels: TREC qrels"));
        assertTrue(err.toString(), err.toString().contains("expected: a TREC topics file"));
    }

    @Test
    public void evalRefusesAnUnknownTopicFieldNamingTheOptionAndTheAllowedValues() throws Exception {
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Evaluate())
                .setErr(new PrintWriter(err))
                .execute("--dataset", fixture("trec-nested").toString(), "--topic-field", "narr");
        assertEquals(err.toString(), 2, code);
        assertTrue(
                err.toString(),
                err.toString()
                        .contains(
                                "Invalid value for option '--topic-field': expected one of title, desc, title+desc but "
                                        + "was 'narr'"));
    }

    @Test
    public void demoStopsBeforeStartingSolrWhenTheDatasetHasNoDocuments() throws Exception {
        Path empty = tmp.newFolder("no-docs").toPath();
        Path home = tmp.getRoot().toPath().resolve("solr-home");
        StringWriter err = new StringWriter();
        int code = new CommandLine(new Demo())
                .setErr(new PrintWriter(err))
                .execute(
                        "--dataset",
                        empty.toString(),
                        "--home",
                        home.toString(),
                        "--port",
                        "1",
                        // were the dataset checked after the other preconditions, this missing jar would be the
                        // complaint
                        "--jar",
                        tmp.getRoot().toPath().resolve("absent.jar").toString());
        assertEquals(err.toString(), 2, code);
        assertTrue(
                err.toString(),
                err.toString()
                        .startsWith("no documents in " + empty.toAbsolutePath().normalize()));
        assertTrue(err.toString(), err.toString().contains("looked at no files"));
        assertFalse("a Solr home was prepared for an empty dataset", Files.exists(home));
    }

    @Test
    public void evalNamesTheJudgedQueriesThatReturnedNothing() throws Exception {
        ModeResults lexical = new ModeResults(EvalMode.LEXICAL);
        lexical.add(
                "101",
                "TIDAL AND WAVE POWER",
                List.of("1"),
                List.of(1f),
                Map.of("1", 2),
                3,
                Map.of(),
                ModeResults.RerankHeader.NONE);
        lexical.add(
                "102",
                "SIGNALS NOT NOISE OR ECHOES",
                List.of(),
                List.of(),
                Map.of("2", 1),
                2,
                Map.of(),
                ModeResults.RerankHeader.NONE);
        ModeResults rrf = new ModeResults(EvalMode.RRF);
        rrf.add(
                "101",
                "TIDAL AND WAVE POWER",
                List.of("1"),
                List.of(1f),
                Map.of("1", 2),
                3,
                Map.of(),
                ModeResults.RerankHeader.NONE);
        rrf.add(
                "102",
                "SIGNALS NOT NOISE OR ECHOES",
                List.of("2"),
                List.of(1f),
                Map.of("2", 1),
                2,
                Map.of(),
                ModeResults.RerankHeader.NONE);
        Map<EvalMode, ModeResults> results = new LinkedHashMap<>();
        results.put(EvalMode.LEXICAL, lexical);
        results.put(EvalMode.RRF, rrf);
        EvalReport report = new EvalReport(
                "mini",
                new RequestOverrides(List.of()),
                "mini",
                Dataset.open(fixture("trec-nested")),
                "test",
                100,
                2,
                results);
        assertEquals(
                "lexical: 1 of 2 judged queries returned no results: 102" + System.lineSeparator(),
                report.noResultsSummary());
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> modes =
                (Map<String, Map<String, Object>>) report.summary().get("modes");
        assertEquals(
                Map.of("queries", 1, "ids", List.of("102")),
                modes.get("lexical").get("no_results"));
        assertEquals(Map.of("queries", 0, "ids", List.of()), modes.get("rrf").get("no_results"));
    }
}
