package org.hybridrerank.solr.update;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BinaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.UpdateResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SolrCore;
import org.apache.solr.update.CommitTracker;
import org.apache.solr.update.DirectUpdateHandler2;
import org.hybridrerank.solr.model.EmbedderSettings;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.TextEmbedder;
import org.hybridrerank.solr.testutil.ExampleCoreTestCase;
import org.hybridrerank.solr.testutil.ExampleSolr;
import org.hybridrerank.solr.testutil.OnnxGraphs;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The embedding update chain of the example configset: the vector dimension is checked at core load, and a
 * document whose embedding fails is rejected by id on its own — the request stops there without
 * TolerantUpdateProcessorFactory, and every other document is indexed with it.
 */
public class TextEmbeddingUpdateProcessorTest extends ExampleCoreTestCase {
    private static final String POISON_WORD = "poison";
    private static final int DOCS = 100;
    /** Positions of the poisoned docs in the 100-doc request. */
    private static final List<Integer> POISONED = List.of(17, 31, 83);

    static Path generated;
    static HuggingFaceTokenizer tokenizer;

    @BeforeClass
    public static void beforeClass() throws Exception {
        initExampleCore(null);
        // inside the Solr home, which Solr always allows
        generated = Path.of(h.getCoreContainer().getSolrHome()).resolve("generated-embedders");
        OnnxGraphs.fixedLengthEmbedder(generated.resolve("fixed16"));
        tokenizer = HuggingFaceTokenizer.builder()
                .optTokenizerPath(OverlapOracle.dir().resolve("tokenizer.json"))
                .optAddSpecialTokens(true)
                .optTruncation(false)
                .optPadding(false)
                .build();
        long[] poisonIds = tokenizer.encode(POISON_WORD).getIds();
        assertEquals("[CLS] poison [SEP]", 3, poisonIds.length);
        OnnxGraphs.failsOnToken(generated.resolve("poisoned"), poisonIds[1]);
    }

    @AfterClass
    public static void closeTokenizer() {
        if (tokenizer != null) tokenizer.close();
        tokenizer = null;
    }

    /** Creates a core from the example configset rewritten by {@code edit}. */
    private static void createCore(String name, BinaryOperator<String> edit) throws Exception {
        Path instance = Path.of(h.getCoreContainer().getSolrHome()).resolve(name);
        ExampleSolr.prepareHome(instance.getParent().resolve("configs-" + name), edit);
        Path conf = instance.getParent()
                .resolve("configs-" + name)
                .resolve(ExampleSolr.CORE)
                .resolve("conf");
        Files.createDirectories(instance);
        Files.move(conf, instance.resolve("conf"));
        h.getCoreContainer()
                .create(
                        name,
                        instance,
                        Map.of("dataDir", instance.resolve("data").toString()),
                        false);
    }

    private static String messages(Throwable e) {
        StringBuilder sb = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause())
            sb.append(t.getMessage()).append(" | ");
        return sb.toString();
    }

    @Test
    public void vectorDimensionIsCheckedAtCoreLoad() throws Exception {
        Exception e = expectThrows(
                Exception.class,
                () -> createCore(
                        "dim16", (file, text) -> text.replace("vectorDimension=\"384\"", "vectorDimension=\"16\"")));
        String all = messages(e);
        assertTrue(all, all.contains("dimension 16") && all.contains("produces 384"));
    }

    @Test
    public void batchSizeIsRefusedAtCoreLoad() throws Exception {
        Exception e = expectThrows(
                Exception.class,
                () -> createCore(
                        "batched",
                        (file, text) -> text.replace(
                                // indented as in the update processor, not as in the search component
                                "      <str name=\"vectorField\">vector</str>",
                                "      <str name=\"vectorField\">vector</str><int name=\"batchSize\">32</int>")));
        String all = messages(e);
        assertTrue(
                all, all.contains("solrconfig.xml TextEmbeddingUpdateProcessorFactory") && all.contains("'batchSize'"));
    }

    @Test
    public void aFailingEmbeddingRejectsThatDocumentByIdAndKeepsTheOnesBefore() throws Exception {
        // a 16-dimension schema whose embedder only accepts 16-token texts
        String embedderPath = generated.resolve("fixed16").toString();
        createCore("fixedembedder", (file, text) -> text.replace("vectorDimension=\"384\"", "vectorDimension=\"16\"")
                .replace("${hybrid.embedder.dir:models/bge-small-en-v15-q}", embedderPath)
                .replace("similarityFunction=\"cosine\"", "similarityFunction=\"euclidean\""));
        try (EmbeddedSolrServer client = new EmbeddedSolrServer(h.getCoreContainer(), "fixedembedder")) {
            SolrInputDocument fits = new SolrInputDocument();
            fits.addField("id", "fits");
            // 14 word pieces + [CLS] + [SEP] = 16 tokens
            fits.addField("title", "one two three four five six seven eight nine ten eleven twelve thirteen fourteen");
            SolrInputDocument noText = new SolrInputDocument();
            noText.addField("id", "no-text");
            SolrInputDocument tooShort = new SolrInputDocument();
            tooShort.addField("id", "too-short");
            tooShort.addField("title", "three words only");
            SolrException e = expectThrows(SolrException.class, () -> client.add(List.of(fits, noText, tooShort)));
            assertEquals(e.getMessage(), 400, e.code());
            assertTrue(
                    e.getMessage(),
                    e.getMessage().contains("too-short") && e.getMessage().contains("cannot embed"));
            client.commit();
            SolrQuery all = new SolrQuery("*:*");
            all.setFields("id", "vector");
            var docs = client.query(all).getResults();
            assertEquals("the docs before the failing one are kept, the failing one is not", 2, docs.getNumFound());
            for (var d : docs) {
                if (d.getFieldValue("id").equals("fits"))
                    assertEquals(16, ((List<?>) d.getFieldValue("vector")).size());
                else assertNull(d.getFieldValue("vector"));
            }
        } finally {
            h.getCoreContainer().unload("fixedembedder", true, true, true);
        }
    }

    // ---- one document, one fate: 100 docs with 3 poisoned ones in one request ----

    private static String id(int i) {
        return String.format(Locale.ROOT, "doc-%03d", i);
    }

    private static String titleOf(int i) {
        String[] topics = {"protein folding", "cell membranes", "vaccine trials", "gene expression", "heart disease"};
        return (POISONED.contains(i) ? "a " + POISON_WORD + " note on " : "a note on ") + topics[i % topics.length];
    }

    private static String textOf(int i) {
        return "passage " + i + " of the corpus";
    }

    private static List<SolrInputDocument> hundredDocs() {
        List<SolrInputDocument> docs = new ArrayList<>();
        for (int i = 0; i < DOCS; i++) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", id(i));
            doc.addField("title", titleOf(i));
            doc.addField("text", textOf(i));
            docs.add(doc);
        }
        return docs;
    }

    /**
     * The example configset on the poisoned embedder (3 dimensions), plus a chain "tolerant": the example
     * "embed" chain led by TolerantUpdateProcessorFactory with maxErrors=10.
     */
    private static void createPoisonedCore(String name) throws Exception {
        String embedderPath = generated.resolve("poisoned").toString();
        createCore(name, (file, text) -> {
            String edited = text.replace("vectorDimension=\"384\"", "vectorDimension=\"3\"")
                    .replace("${hybrid.embedder.dir:models/bge-small-en-v15-q}", embedderPath);
            Matcher chain = Pattern.compile("(?s)<updateRequestProcessorChain name=\"embed\" "
                            + "default=\"true\">(.*?)</updateRequestProcessorChain>")
                    .matcher(edited);
            if (!file.equals("solrconfig.xml")) return edited;
            assertTrue("the example solrconfig.xml has the embed chain", chain.find());
            String tolerant = "<updateRequestProcessorChain name=\"tolerant\"><processor "
                    + "class=\"solr.TolerantUpdateProcessorFactory\"><int name=\"maxErrors\">10</int></processor>"
                    + chain.group(1)
                    + "</updateRequestProcessorChain>";
            return edited.replace("</config>", tolerant + "</config>");
        });
    }

    private static Set<String> indexedIds(EmbeddedSolrServer client) throws Exception {
        SolrQuery all = new SolrQuery("*:*");
        all.setRows(1000);
        all.setFields("id");
        Set<String> ids = new TreeSet<>();
        for (SolrDocument d : client.query(all).getResults()) ids.add((String) d.getFieldValue("id"));
        return ids;
    }

    /** Docs the kNN index holds: a vector query with topK above the doc count matches each of them. */
    private static long docsWithVectors(EmbeddedSolrServer client) throws Exception {
        SolrQuery knn = new SolrQuery("{!knn f=vector topK=1000}[0.3,0.4,0.5]");
        knn.set("defType", "lucene"); // the example /select parses q with edismax, which reads no local params
        return client.query(knn).getResults().getNumFound();
    }

    /** The poisoned graph's vector computed here from its definition: mean of [sin t, cos t, 1], normalised. */
    private static float[] expectedVector(String text) {
        long[] ids = tokenizer.encode(text).getIds();
        double[] sum = new double[3];
        for (long t : ids) {
            float f = (float) t;
            sum[0] += Math.sin(f);
            sum[1] += Math.cos(f);
            sum[2] += 1;
        }
        double norm = Math.sqrt(sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]);
        return new float[] {(float) (sum[0] / norm), (float) (sum[1] / norm), (float) (sum[2] / norm)};
    }

    private static void assertVectorOf(EmbeddedSolrServer client, int i) throws Exception {
        SolrQuery one = new SolrQuery("id:" + id(i));
        one.setFields("vector");
        List<?> stored = (List<?>) client.query(one).getResults().get(0).getFieldValue("vector");
        float[] expected = expectedVector(titleOf(i) + " " + textOf(i));
        assertEquals(id(i), expected.length, stored.size());
        for (int d = 0; d < expected.length; d++) {
            assertEquals(id(i) + " dim " + d, expected[d], ((Number) stored.get(d)).floatValue(), 1e-5f);
        }
    }

    @Test
    public void withoutTolerancePoisonStopsTheRequestAtItsOwnIdAndKeepsEveryDocBeforeIt() throws Exception {
        createPoisonedCore("poisonstrict");
        try (EmbeddedSolrServer client = new EmbeddedSolrServer(h.getCoreContainer(), "poisonstrict")) {
            UpdateRequest add = new UpdateRequest();
            add.add(hundredDocs());
            SolrException e = expectThrows(SolrException.class, () -> add.process(client));
            assertEquals(e.getMessage(), 400, e.code());
            String first = id(POISONED.get(0));
            assertTrue(
                    e.getMessage(),
                    e.getMessage().contains("cannot embed document " + first + " from [title, text] into 'vector'"));
            for (int later : POISONED.subList(1, POISONED.size()))
                assertFalse(e.getMessage(), e.getMessage().contains(id(later)));
            client.commit();
            // documents reach the index one by one as they are read, and the request stops at the first failure:
            // exactly the docs before the first poison are indexed (Solr does not roll an update request back)
            Set<String> before = new TreeSet<>();
            for (int i = 0; i < POISONED.get(0); i++) before.add(id(i));
            assertEquals(before, indexedIds(client));
            assertEquals(before.size(), docsWithVectors(client));
            assertVectorOf(client, POISONED.get(0) - 1);
        } finally {
            h.getCoreContainer().unload("poisonstrict", true, true, true);
        }
    }

    @Test
    public void underTheTolerantProcessorEveryOtherDocIsIndexedAndEachPoisonIsListedByItsOwnId() throws Exception {
        createPoisonedCore("poisontolerant");
        try (EmbeddedSolrServer client = new EmbeddedSolrServer(h.getCoreContainer(), "poisontolerant")) {
            UpdateRequest add = new UpdateRequest();
            add.setParam("update.chain", "tolerant");
            add.add(hundredDocs());
            UpdateResponse rsp = add.process(client);
            assertEquals(0, rsp.getStatus());
            List<?> errors = (List<?>) rsp.getResponseHeader().get("errors");
            assertNotNull(rsp.getResponseHeader().toString(), errors);
            Set<String> failedIds = new HashSet<>();
            for (Object error : errors) {
                NamedList<?> err = (NamedList<?>) error;
                String failed = (String) err.get("id");
                assertEquals("ADD", err.get("type"));
                assertTrue(
                        failed + ": " + err.get("message"),
                        String.valueOf(err.get("message"))
                                .contains("cannot embed document " + failed + " from [title, text]"));
                failedIds.add(failed);
            }
            Set<String> poisonIds = new TreeSet<>();
            for (int p : POISONED) poisonIds.add(id(p));
            assertEquals(errors.toString(), POISONED.size(), errors.size());
            assertEquals(poisonIds, failedIds);

            client.commit();
            Set<String> expected = new TreeSet<>();
            for (int i = 0; i < DOCS; i++) if (!POISONED.contains(i)) expected.add(id(i));
            assertEquals(DOCS - POISONED.size(), expected.size());
            assertEquals(expected, indexedIds(client));
            assertEquals(expected.size(), docsWithVectors(client));
            // the docs right after each poison and the last one carry their own text's vector
            for (int p : POISONED) assertVectorOf(client, p + 1);
            assertVectorOf(client, DOCS - 1);
        } finally {
            h.getCoreContainer().unload("poisontolerant", true, true, true);
        }
    }

    @Test
    public void atomicUpdatesVersionsAndCommitWithinPassThrough() throws Exception {
        createPoisonedCore("passthrough");
        try (EmbeddedSolrServer client = new EmbeddedSolrServer(h.getCoreContainer(), "passthrough")) {
            List<SolrInputDocument> docs = hundredDocs().subList(0, 3);
            client.add(docs);
            client.commit();
            assertVectorOf(client, 0);

            // "set" on a field that is not embedded: the stored document, vector included, is kept around it
            SolrInputDocument atomic = new SolrInputDocument();
            atomic.addField("id", id(0));
            atomic.addField("topic_s", Map.of("set", "biology"));
            client.add(atomic);
            client.commit();
            SolrDocument updated =
                    client.query(new SolrQuery("topic_s:biology")).getResults().get(0);
            assertEquals(id(0), updated.getFieldValue("id"));
            assertEquals(titleOf(0), updated.getFirstValue("title"));
            assertVectorOf(client, 0);

            // "set" on an embedded field: the merged text is not known before DistributedUpdateProcessor, so it is
            // refused by id instead of embedding the operation's text
            SolrInputDocument retitled = new SolrInputDocument();
            retitled.addField("id", id(1));
            retitled.addField("title", Map.of("set", "another title"));
            SolrException e = expectThrows(SolrException.class, () -> client.add(retitled));
            assertEquals(e.getMessage(), 400, e.code());
            assertTrue(
                    e.getMessage(),
                    e.getMessage().contains("cannot embed document " + id(1) + ": atomic update of 'title'"));

            // optimistic concurrency: _version_=-1 means "must not exist yet", so Solr still refuses an existing id
            SolrInputDocument mustBeNew = docs.get(2).deepCopy();
            mustBeNew.setField("_version_", -1L);
            SolrException conflict = expectThrows(SolrException.class, () -> client.add(mustBeNew));
            assertEquals(conflict.getMessage(), 409, conflict.code());
            assertTrue(conflict.getMessage(), conflict.getMessage().contains(id(2)));

            // commitWithin reaches the update handler: a soft commit is scheduled by the add, none without it
            try (SolrCore core = h.getCoreContainer().getCore("passthrough")) {
                CommitTracker softCommits = ((DirectUpdateHandler2) core.getUpdateHandler()).getSoftCommitTracker();
                client.add(hundredDocs().get(3));
                assertFalse("no commitWithin, no autoSoftCommit: nothing scheduled", softCommits.hasPending());
                UpdateRequest within = new UpdateRequest();
                within.add(hundredDocs().get(4));
                within.setCommitWithin(600_000);
                within.process(client);
                assertTrue("commitWithin scheduled a soft commit", softCommits.hasPending());
            }
            assertEquals("nothing committed yet", Set.of(id(0), id(1), id(2)), indexedIds(client));
            client.commit();
            assertEquals(Set.of(id(0), id(1), id(2), id(3), id(4)), indexedIds(client));
            assertEquals("title unchanged by the refused atomic update", titleOf(1), firstTitle(client, 1));
        } finally {
            h.getCoreContainer().unload("passthrough", true, true, true);
        }
    }

    @Test
    public void documentsAreEmbeddedWithTheModelsPassagePrefixAndQueriesWithItsQueryPrefix() throws Exception {
        // the default model's graph and tokenizer under an e5-style pair of prefixes
        Path e5like = generated.resolve("e5like");
        Files.createDirectories(e5like);
        for (String file : new String[] {ModelDirectory.MODEL_FILE, ModelDirectory.TOKENIZER_FILE}) {
            Files.copy(
                    SharedData.embedderDir().resolve(file), e5like.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(
                e5like.resolve(ModelDirectory.CONFIG_FILE),
                "{\"pooling\": \"cls\", \"max_length\": 512, \"query_prefix\": \"query: \", \"passage_prefix\": "
                        + "\"passage: \"}");
        createCore(
                "passageprefix",
                (file, text) -> text.replace("${hybrid.embedder.dir:models/bge-small-en-v15-q}", e5like.toString()));
        Path plainDir = generated.resolve("plain");
        Files.createDirectories(plainDir);
        for (String file : new String[] {ModelDirectory.MODEL_FILE, ModelDirectory.TOKENIZER_FILE}) {
            Files.copy(e5like.resolve(file), plainDir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Files.writeString(plainDir.resolve(ModelDirectory.CONFIG_FILE), "{\"pooling\": \"cls\", \"max_length\": 512}");
        ModelDirectory plainModel = ModelDirectory.open(plainDir);
        try (EmbeddedSolrServer client = new EmbeddedSolrServer(h.getCoreContainer(), "passageprefix");
                TextEmbedder plain = TextEmbedder.load(plainModel, EmbedderSettings.defaultsFor(plainModel))) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", "p1");
            doc.addField("title", "Vitamin D and bone health");
            doc.addField("text", "Vitamin D deficiency raises the risk of bone fractures in older adults.");
            client.add(doc);
            client.commit();
            SolrQuery q = new SolrQuery("id:p1");
            q.setFields("vector");
            List<?> indexed = (List<?>) client.query(q).getResults().get(0).getFieldValue("vector");
            String text =
                    "Vitamin D and bone health Vitamin D deficiency raises the risk of bone fractures in older adults.";
            float[] expected = plain.embedPassage("passage: " + text);
            for (int i = 0; i < expected.length; i++) {
                assertEquals("dimension " + i, expected[i], ((Number) indexed.get(i)).floatValue(), 1e-5f);
            }
            float[] unprefixed = plain.embedPassage(text);
            double cos = 0;
            for (int i = 0; i < unprefixed.length; i++) cos += unprefixed[i] * ((Number) indexed.get(i)).doubleValue();
            assertTrue("the passage prefix changes the vector: cosine " + cos, cos < 0.99);

            SolrQuery search = new SolrQuery("bone fractures");
            search.set("hybrid", true);
            search.set("debug", "true");
            NamedList<?> debug =
                    (NamedList<?>) client.query(search).getDebugMap().get("hybrid");
            assertEquals("query: ", debug.get("queryPrefix"));
        } finally {
            h.getCoreContainer().unload("passageprefix", true, true, true);
        }
    }

    private static String firstTitle(EmbeddedSolrServer client, int i) throws Exception {
        return (String)
                client.query(new SolrQuery("id:" + id(i))).getResults().get(0).getFirstValue("title");
    }
}
