package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** How bin/eval reads the collections of a run from --dataset values and a --suite file; no Solr. */
public class EvalSuiteTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String SOLR = "http://localhost:8983/solr";

    private static List<EvalSuite.Entry> entries(String collection, String... datasets) {
        return EvalSuite.entries(List.of(datasets), null, SOLR, collection, "test");
    }

    private static Path user(String path) {
        return UserPaths.resolve(Path.of(path));
    }

    @Test
    public void aDatasetValueMayNameItsCollectionAndItsSolr() {
        assertEquals(
                List.of(
                        new EvalSuite.Entry("scifact", user("data/scifact"), SOLR, "test"),
                        new EvalSuite.Entry("cisi", user("../shared/datasets/cisi"), SOLR, "test"),
                        new EvalSuite.Entry("cisi2", user("data/cisi"), "http://127.0.0.1:8990/solr", "test"),
                        new EvalSuite.Entry("nf", user("data/nf"), "https://search.example/solr", "test")),
                entries(
                        null,
                        "data/scifact",
                        "cisi=../shared/datasets/cisi",
                        "cisi2=data/cisi@http://127.0.0.1:8990/solr/",
                        "data/nf@https://search.example/solr"));
    }

    @Test
    public void aPathKeepsItsEqualsAndAtSignsUnlessTheyMarkANameOrAUrl() {
        // what precedes '=' is no collection name, what follows '@' no URL: the whole value is the path
        assertEquals(
                List.of(new EvalSuite.Entry("b=c@home", user("a dir/b=c@home"), SOLR, "test")),
                entries(null, "a dir/b=c@home"));
        assertEquals(
                new EvalSuite.Entry("x", user("./y=z"), SOLR, "test"), EvalSuite.parseDataset("x=./y=z", SOLR, "test"));
        assertEquals(
                user("./y=z"), EvalSuite.parseDataset("./y=z", SOLR, "test").dataset());
    }

    @Test
    public void aSingleDatasetTakesCollectionAsAlways() {
        assertEquals(
                List.of(new EvalSuite.Entry("scifact", user("data/beir-scifact"), SOLR, "test")),
                entries("scifact", "data/beir-scifact"));
        // the same name twice is no conflict
        assertEquals("scifact", entries("scifact", "scifact=data/x").get(0).name());
    }

    @Test
    public void conflictingOrRepeatedNamesAreRefusedNamingThem() {
        IllegalArgumentException several =
                assertThrows(IllegalArgumentException.class, () -> entries("scifact", "a=data/a", "b=data/b"));
        assertTrue(several.getMessage(), several.getMessage().contains("--dataset NAME=PATH"));
        IllegalArgumentException two =
                assertThrows(IllegalArgumentException.class, () -> entries("scifact", "cisi=data/cisi"));
        assertTrue(two.getMessage(), two.getMessage().contains("--collection scifact and --dataset cisi=…"));
        IllegalArgumentException twice =
                assertThrows(IllegalArgumentException.class, () -> entries(null, "one/scifact", "two/scifact"));
        assertTrue(twice.getMessage(), twice.getMessage().contains("two datasets are evaluated as collection scifact"));
        IllegalArgumentException noPath =
                assertThrows(IllegalArgumentException.class, () -> entries(null, "cisi=@http://h:1/solr"));
        assertTrue(noPath.getMessage(), noPath.getMessage().contains("no PATH in 'cisi=@http://h:1/solr'"));
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> entries(null));
        assertTrue(none.getMessage(), none.getMessage().contains("--dataset"));
    }

    @Test
    public void aSuiteFileListsNamePathAndOptionallySolrAndSplit() throws Exception {
        Path dir = tmp.newFolder("suites").toPath();
        Path file = dir.resolve("suite.txt");
        Files.writeString(
                file,
                "# name   path                 [solr]                       [split]\n"
                        + "scifact  ../datasets/scifact\n"
                        + "\n"
                        + "cisi     /data/cisi           http://127.0.0.1:8990/solr/   # another Solr\n"
                        + "nf\tnf\tdev\n"
                        + "trec     trec  https://h/solr  train\n");
        List<EvalSuite.Entry> entries = EvalSuite.entries(List.of("extra=x"), file, SOLR, null, "test");
        assertEquals(
                List.of(
                        new EvalSuite.Entry("extra", user("x"), SOLR, "test"),
                        new EvalSuite.Entry(
                                "scifact", tmp.getRoot().toPath().resolve("datasets/scifact"), SOLR, "test"),
                        new EvalSuite.Entry("cisi", Path.of("/data/cisi"), "http://127.0.0.1:8990/solr", "test"),
                        new EvalSuite.Entry("nf", dir.resolve("nf"), SOLR, "dev"),
                        new EvalSuite.Entry("trec", dir.resolve("trec"), "https://h/solr", "train")),
                entries);
    }

    @Test
    public void aSuiteLineThatIsNotNamePathSolrSplitIsRefusedNamingTheLine() throws Exception {
        Path file = tmp.newFile("bad.txt").toPath();
        for (String bad : List.of("lonely\n", "a b c d e\n", "-x path\n", "a b dev http://h/solr\n")) {
            Files.writeString(file, "# fine\nok path\n" + bad);
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> EvalSuite.readSuite(file, SOLR, "test"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("--suite " + file + " line 3: "));
        }
        Files.writeString(file, "# nothing\n\n");
        assertThrows(IllegalArgumentException.class, () -> EvalSuite.readSuite(file, SOLR, "test"));
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> EvalSuite.readSuite(tmp.getRoot().toPath().resolve("nope.txt"), SOLR, "test"));
        assertTrue(missing.getMessage(), missing.getMessage().contains("cannot read it"));
    }

    @Test
    public void badSuitesAndDatasetsExitTwoNamingTheFlag() throws Exception {
        CliTest.Result r = CliTest.run(
                new Evaluate(),
                "--suite",
                tmp.getRoot().toPath().resolve("nope.txt").toString());
        assertEquals(r.err(), 2, r.code());
        assertTrue(r.err(), r.err().startsWith("--suite "));
        assertTrue(r.err(), r.err().strip().endsWith("(see bin/eval --help)"));
        CliTest.Result both = CliTest.run(new Evaluate(), "--dataset", "a=x", "--dataset", "b=y", "--collection", "c");
        assertEquals(both.err(), 2, both.code());
        assertTrue(both.err(), both.err().contains("--collection names the collection of a single --dataset"));
        CliTest.Result url = CliTest.run(
                new Evaluate(), "--dataset", "a=x", "--dataset", "b=y", "--compare-url", "http://h/compare/");
        assertEquals(url.err(), 2, url.code());
        assertTrue(url.err(), url.err().startsWith("--compare-url links the queries of one collection"));
    }
}
