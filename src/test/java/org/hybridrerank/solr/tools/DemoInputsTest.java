package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * bin/demo's choice of reranker and dataset: from a (fake) shared folder when it holds them, nothing downloaded;
 * otherwise the public cross-encoder (int8) and SciFact, fetched by models/fetch and bin/fetch-data from a local
 * server standing in for Hugging Face and BEIR (the pins here point the real URLs at hosts that do not exist).
 */
public class DemoInputsTest {
    private static final String REPO = "someone/ms-marco-fixture";
    private static final String REV = "89abcdef0123456789abcdef0123456789abcdef";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private LocalFileServer server;
    private final byte[] fp32 = randomBytes(50_000, 1);
    private final byte[] int8 = randomBytes(20_000, 2);
    private final byte[] tokenizer = "{\"model\": {}}\n".getBytes(StandardCharsets.UTF_8);
    private byte[] zip;
    private Path root;
    private Path modelPins;
    private Path dataPins;
    private Path stdout;
    private Path stderr;

    @Before
    public void start() throws Exception {
        server = new LocalFileServer();
        root = tmp.getRoot().toPath();
        server.serve("/" + REPO + "/resolve/" + REV + "/onnx/model.onnx", fp32);
        server.serve("/" + REPO + "/resolve/" + REV + "/onnx/model_quantized.onnx", int8);
        server.serve("/" + REPO + "/resolve/" + REV + "/tokenizer.json", tokenizer);
        zip = FetchDataTest.beirZip("scifact", true);
        server.serve("/beir/scifact.zip", zip);
        Path pinsDir = tmp.newFolder("pins").toPath();
        modelPins = pinsDir.resolve("pins.txt");
        String name = DemoInputs.PUBLIC_RERANKER;
        Files.writeString(
                modelPins,
                String.join(
                        "\n",
                        String.join(
                                " ",
                                name,
                                "fp32",
                                REPO,
                                REV,
                                "onnx/model.onnx",
                                "-",
                                FetchDataTest.sha256(fp32),
                                "model.onnx"),
                        String.join(
                                " ",
                                name,
                                "int8",
                                REPO,
                                REV,
                                "onnx/model_quantized.onnx",
                                Integer.toString(int8.length),
                                FetchDataTest.sha256(int8),
                                "model.onnx"),
                        String.join(
                                " ",
                                name,
                                "any",
                                REPO,
                                REV,
                                "tokenizer.json",
                                "-",
                                FetchDataTest.sha256(tokenizer),
                                "tokenizer.json"),
                        ""));
        Files.createDirectories(pinsDir.resolve(name));
        Files.writeString(pinsDir.resolve(name).resolve("config.json"), "{\"max_length\": 512}\n");
        dataPins = pinsDir.resolve("data-pins.txt");
        Files.writeString(
                dataPins, "scifact https://beir.invalid/datasets/scifact.zip - md5 " + FetchDataTest.md5(zip) + "\n");
        stdout = root.resolve("fetch.out");
        stderr = root.resolve("fetch.err");
    }

    @After
    public void stop() {
        server.close();
    }

    private DemoInputs inputs(Path shared, String dataBaseUrl) {
        return new DemoInputs(new DemoInputs.Settings(
                shared,
                root.resolve("solr-conf-models"),
                modelPins,
                Path.of("models", "fetch"),
                root.resolve("data"),
                dataPins,
                Path.of("bin", "fetch-data"),
                server.baseUrl(),
                dataBaseUrl,
                Redirect.to(stdout.toFile()),
                Redirect.to(stderr.toFile())));
    }

    /** A shared folder laid out like ../shared, with tiny files. */
    private Path fakeShared() throws Exception {
        Path shared = tmp.newFolder("shared").toPath();
        Path model = Files.createDirectories(shared.resolve("models").resolve(DemoInputs.TUNED_RERANKER));
        Files.writeString(model.resolve("model.onnx"), "graph");
        Path data = Files.createDirectories(shared.resolve("datasets/scifact/qrels"));
        Files.writeString(data.resolve("../corpus.jsonl"), FetchDataTest.CORPUS);
        return shared;
    }

    @Test
    public void theSharedFolderGivesTheTunedRerankerAndSciFactAndNothingIsDownloaded() throws Exception {
        Path shared = fakeShared();
        DemoInputs inputs = inputs(shared, server.baseUrl() + "/beir");
        DemoInputs.Input reranker = inputs.reranker(null, null);
        DemoInputs.Input dataset = inputs.dataset(null);
        assertEquals(DemoInputs.TUNED_RERANKER, reranker.name());
        assertEquals(shared.resolve("models").resolve(DemoInputs.TUNED_RERANKER).toAbsolutePath(), reranker.path());
        Path tuned = shared.resolve("models").resolve(DemoInputs.TUNED_RERANKER).toAbsolutePath();
        assertEquals(
                "reranker: " + DemoInputs.TUNED_RERANKER + ", from the shared folder (" + tuned + ")",
                reranker.banner("reranker"));
        Path scifact = shared.resolve("datasets/scifact").toAbsolutePath();
        assertEquals("dataset: scifact, from the shared folder (" + scifact + ")", dataset.banner("dataset"));
        assertEquals(reranker.path(), inputs.ensure(reranker));
        assertEquals(dataset.path(), inputs.ensure(dataset));
        assertEquals("nothing downloaded", List.of(), server.paths());
        assertFalse(Files.exists(root.resolve("data")));
        assertFalse(Files.exists(root.resolve("solr-conf-models")));
    }

    @Test
    public void withoutTheSharedFolderThePublicInt8RerankerAndSciFactAreFetchedOnceThenReused() throws Exception {
        DemoInputs inputs = inputs(root.resolve("no-shared"), server.baseUrl() + "/beir");
        DemoInputs.Input reranker = inputs.reranker(null, null);
        DemoInputs.Input dataset = inputs.dataset(null);
        assertEquals(DemoInputs.PUBLIC_RERANKER, reranker.name());
        assertNotNull(reranker.fetch());
        assertTrue(
                reranker.banner("reranker"),
                reranker.banner("reranker")
                        .contains("not installed yet: downloading the int8 export " + REPO + " at pinned revision "
                                + REV + " with models/fetch"));
        assertTrue(
                dataset.banner("dataset"),
                dataset.banner("dataset")
                        .contains("not installed yet: downloading " + server.baseUrl() + "/beir/scifact.zip (md5 "
                                + FetchDataTest.md5(zip) + ")"));
        assertEquals(List.of(), server.paths());

        Path data = inputs.ensure(dataset);
        Path model = inputs.ensure(reranker);
        assertEquals(root.resolve("data/scifact"), data);
        assertEquals(FetchDataTest.CORPUS, Files.readString(data.resolve("corpus.jsonl")));
        assertEquals(root.resolve("solr-conf-models").resolve(DemoInputs.PUBLIC_RERANKER), model);
        assertArrayEquals("the int8 graph is the demo's", int8, Files.readAllBytes(model.resolve("model.onnx")));
        assertTrue(server.paths().contains("/" + REPO + "/resolve/" + REV + "/onnx/model_quantized.onnx"));
        assertFalse(server.paths().contains("/" + REPO + "/resolve/" + REV + "/onnx/model.onnx"));
        int requests = server.requests.size();

        DemoInputs.Input again = inputs.reranker(null, null);
        DemoInputs.Input dataAgain = inputs.dataset(null);
        assertNull(again.fetch());
        assertNull(dataAgain.fetch());
        assertEquals(
                "reranker: " + DemoInputs.PUBLIC_RERANKER + ", int8, downloaded earlier by models/fetch from " + REPO
                        + " at pinned revision " + REV + " (" + model + ")",
                again.banner("reranker"));
        assertEquals(
                "dataset: scifact, downloaded earlier by bin/fetch-data from " + server.baseUrl()
                        + "/beir/scifact.zip (md5 " + FetchDataTest.md5(zip) + ") (" + data + ")",
                dataAgain.banner("dataset"));
        inputs.ensure(again);
        inputs.ensure(dataAgain);
        assertEquals("reused, not downloaded again", requests, server.requests.size());
    }

    /** Each reranker is read at the length it was trained at: 128 for the tuned model, config.json's for others. */
    @Test
    public void theRerankerIsReadAtItsTrainingLength() throws Exception {
        Path publicModel = root.resolve("ms-marco");
        Files.createDirectories(publicModel);
        // the repository's own config for the public model (its card: trained at 512 tokens)
        Files.copy(Path.of("models", "ms-marco-MiniLM-L-6-v2", "config.json"), publicModel.resolve("config.json"));
        Files.writeString(publicModel.resolve("model.onnx"), "x");
        Files.writeString(publicModel.resolve("tokenizer.json"), "{}");
        assertEquals(512, DemoInputs.readerLength(DemoInputs.PUBLIC_RERANKER, publicModel));
        assertEquals(128, DemoInputs.readerLength(DemoInputs.TUNED_RERANKER, publicModel));
    }

    @Test
    public void theSharedFolderWinsPerInput() throws Exception {
        Path shared = fakeShared();
        Path tuned = shared.resolve("models").resolve(DemoInputs.TUNED_RERANKER);
        Files.delete(tuned.resolve("model.onnx"));
        Files.delete(tuned);
        DemoInputs inputs = inputs(shared, server.baseUrl() + "/beir");
        assertEquals(DemoInputs.PUBLIC_RERANKER, inputs.reranker(null, null).name());
        assertNull("SciFact is still the shared one", inputs.dataset(null).fetch());
    }

    @Test
    public void noNetworkFailsTheFetchWithOneLineNamingTheUrlAndInstallsNothing() throws Exception {
        String closed = LocalFileServer.closedPortUrl();
        DemoInputs inputs = inputs(root.resolve("no-shared"), closed);
        DemoInputs.Input dataset = inputs.dataset(null);
        assertThrows(DemoInputs.FetchFailed.class, () -> inputs.ensure(dataset));
        assertEquals(
                List.of("bin/fetch-data: download of " + closed
                        + "/scifact.zip failed (could not connect, curl exit 7)"),
                Files.readString(stderr).lines().toList());
        assertFalse(Files.exists(root.resolve("data/scifact")));
    }

    @Test
    public void anUnpinnedCrossEncoderIsNotFetchedButNamedMissing() throws Exception {
        DemoInputs inputs = inputs(root.resolve("no-shared"), server.baseUrl() + "/beir");
        DemoInputs.Input reranker = inputs.reranker("some-other-model", null);
        assertNull(reranker.fetch());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inputs.ensure(reranker));
        assertTrue(e.getMessage(), e.getMessage().startsWith("missing cross-encoder some-other-model"));
        assertEquals(List.of(), server.paths());
    }

    @Test
    public void theDemoPrintsWhatItUsesAndStopsWithExit2WhenTheDatasetCannotBeDownloaded() throws Exception {
        String closed = LocalFileServer.closedPortUrl();
        String[] keys = {"hybrid.shared.dir", "hybrid.data.dir", "hybrid.data.base.url"};
        String[] saved = new String[keys.length];
        for (int i = 0; i < keys.length; i++) saved[i] = System.getProperty(keys[i]);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = System.out;
        int code;
        try {
            System.setProperty("hybrid.shared.dir", root.resolve("no-shared").toString());
            System.setProperty("hybrid.data.dir", root.resolve("data").toString());
            System.setProperty("hybrid.data.base.url", closed);
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            code = new CommandLine(new Demo())
                    .execute(
                            "--port",
                            "1",
                            "--home",
                            root.resolve("home").toString(),
                            "--cross-encoder",
                            "some-other-model");
        } finally {
            System.setOut(out);
            for (int i = 0; i < keys.length; i++) {
                if (saved[i] == null) System.clearProperty(keys[i]);
                else System.setProperty(keys[i], saved[i]);
            }
        }
        String text = printed.toString(StandardCharsets.UTF_8);
        assertEquals(text, 2, code);
        List<String> lines = text.lines().toList();
        assertTrue(text, lines.get(0).startsWith("reranker: some-other-model, missing"));
        assertTrue(
                text,
                lines.get(1).startsWith("dataset: scifact, not installed yet: downloading " + closed + "/scifact.zip"));
        assertFalse("no Solr home for a demo that could not get its data", Files.exists(root.resolve("home")));
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
