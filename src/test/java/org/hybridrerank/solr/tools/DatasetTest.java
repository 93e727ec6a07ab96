package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Both dataset layouts bin/demo and bin/eval read. */
public class DatasetTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @Test
  public void readsTrecFilesRecognisedByContent() throws Exception {
    Path dir = tmp.newFolder("robust").toPath();
    Files.writeString(dir.resolve("docs.sgml"),
        "<DOC>\n<DOCNO> FT911-1 </DOCNO>\n<TITLE>Vitamin news</TITLE>\n<TEXT>\nVitamin D  and bones.\n</TEXT>\n</DOC>\n"
            + "<DOC><DOCNO>FT911-2</DOCNO><TEXT>Stock markets.</TEXT></DOC>\n");
    Files.writeString(dir.resolve("topics.txt"),
        "<top>\n<num> Number: 301\n<title> vitamin d bones\n<desc> Description:\nAnything.\n</top>\n"
            + "<top>\n<num> Number: 302\n<title> markets\n</top>\n");
    Files.writeString(dir.resolve("qrels.txt"), "301 0 FT911-1 1\n301 0 FT911-2 0\n302 0 FT911-2 2\n");
    Dataset ds = Dataset.open(dir);
    assertEquals("trec", ds.format());
    List<Dataset.Doc> docs = new ArrayList<>();
    ds.documents(docs::add);
    assertEquals(List.of(new Dataset.Doc("FT911-1", "Vitamin news", "Vitamin D and bones."), new Dataset.Doc("FT911-2", "", "Stock markets.")), docs);
    assertEquals(Map.of("301", "vitamin d bones", "302", "markets"), ds.queries());
    assertEquals(Map.of("301", Map.of("FT911-1", 1, "FT911-2", 0), "302", Map.of("FT911-2", 2)), ds.qrels("test"));
  }

  @Test
  public void readsBeir() throws Exception {
    Dataset ds = Dataset.open(SharedData.scifact());
    assertEquals("beir", ds.format());
    assertEquals(300, ds.qrels("test").size());
    assertEquals(1109, ds.queries().size());
    int[] count = {0};
    ds.documents(d -> count[0]++);
    assertEquals(5183, count[0]);
    assertThrows(IllegalArgumentException.class, () -> ds.qrels("dev"));
  }
}
