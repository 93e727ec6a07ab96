package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code models/fetch} run as a process against a local HTTP server laid out like Hugging Face's
 * {@code REPO/resolve/REVISION/FILE}, with fixture files and a pins file for them.
 */
public class ModelFetchTest {
    private static final Path SCRIPT = Path.of("models", "fetch").toAbsolutePath();
    private static final String NAME = "fixture-ce";
    private static final String REPO = "someone/fixture-ce";
    private static final String REV = "0123456789abcdef0123456789abcdef01234567";
    private static final String PLUGIN_CONFIG = "{\"max_length\": 128, \"output_name\": \"logits\"}\n";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final byte[] model = randomBytes(300_000, 1);
    private final byte[] quantized = randomBytes(90_000, 2);
    private final byte[] tokenizer = "{\"model\": {\"type\": \"WordPiece\"}}\n".getBytes(StandardCharsets.UTF_8);
    private final byte[] hfConfig = "{\"model_type\": \"bert\"}\n".getBytes(StandardCharsets.UTF_8);

    private LocalFileServer server;
    private Path pins;
    private Path dest;

    @Before
    public void start() throws Exception {
        server = new LocalFileServer();
        server.serve(hubPath("onnx/model.onnx"), model);
        server.serve(hubPath("onnx/model_quantized.onnx"), quantized);
        server.serve(hubPath("tokenizer.json"), tokenizer);
        server.serve(hubPath("config.json"), hfConfig);
        Path pinsDir = tmp.newFolder("pins").toPath();
        pins = pinsDir.resolve("pins.txt");
        writePins(sha256(model), model.length);
        Files.createDirectories(pinsDir.resolve(NAME));
        Files.writeString(pinsDir.resolve(NAME).resolve("config.json"), PLUGIN_CONFIG);
        dest = tmp.newFolder("dest").toPath();
    }

    @After
    public void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Where the fixture's {@code file} is served: {@code /REPO/resolve/REV/FILE}. */
    private static String hubPath(String file) {
        return LocalFileServer.hubPath(REPO, REV, file);
    }

    private void writePins(String modelSha, long modelSize) throws Exception {
        Files.writeString(
                pins,
                String.join(
                        "\n",
                        "# fixture pins",
                        pin("fp32", "onnx/model.onnx", Long.toString(modelSize), modelSha, "model.onnx"),
                        pin(
                                "int8",
                                "onnx/model_quantized.onnx",
                                Long.toString(quantized.length),
                                sha256(quantized),
                                "model.onnx"),
                        pin("any", "tokenizer.json", "-", sha256(tokenizer), "tokenizer.json"),
                        pin("any", "config.json", "-", sha256(hfConfig), "hf-config.json"),
                        ""));
    }

    private static String pin(String variant, String file, String size, String sha, String as) {
        return String.join(" ", NAME, variant, REPO, REV, file, size, sha, as);
    }

    @Test
    public void installsThePinnedFilesAndThePluginConfig() throws Exception {
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertEquals(run.output(), 0, run.exit);
        Path installed = dest.resolve(NAME);
        assertArrayEquals(model, Files.readAllBytes(installed.resolve("model.onnx")));
        assertArrayEquals(tokenizer, Files.readAllBytes(installed.resolve("tokenizer.json")));
        assertArrayEquals(hfConfig, Files.readAllBytes(installed.resolve("hf-config.json")));
        assertEquals(PLUGIN_CONFIG, Files.readString(installed.resolve("config.json")));
        assertEquals(List.of("config.json", "hf-config.json", "model.onnx", "tokenizer.json"), fileNames(installed));
        assertEquals(
                List.of(
                        "/" + REPO + "/resolve/" + REV + "/onnx/model.onnx",
                        "/" + REPO + "/resolve/" + REV + "/tokenizer.json",
                        "/" + REPO + "/resolve/" + REV + "/config.json"),
                server.paths());
    }

    @Test
    public void int8InstallsTheQuantizedGraphAsModelOnnxFromHfEndpoint() throws Exception {
        Run run = fetch(Map.of("HF_ENDPOINT", server.baseUrl()), NAME, "--int8");
        assertEquals(run.output(), 0, run.exit);
        assertArrayEquals(quantized, Files.readAllBytes(dest.resolve(NAME).resolve("model.onnx")));
        assertTrue(server.paths().contains("/" + REPO + "/resolve/" + REV + "/onnx/model_quantized.onnx"));
        assertFalse(server.paths().contains("/" + REPO + "/resolve/" + REV + "/onnx/model.onnx"));
    }

    @Test
    public void shaMismatchDeletesTheDownloadAndKeepsTheOldInstall() throws Exception {
        String wrongSha = sha256("something else".getBytes(StandardCharsets.UTF_8));
        writePins(wrongSha, model.length);
        Path installed = Files.createDirectories(dest.resolve(NAME));
        Files.writeString(installed.resolve("model.onnx"), "previous install");
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertNotEquals(0, run.exit);
        assertTrue(
                run.stderr,
                run.stderr.contains(
                        "onnx/model.onnx: sha256 mismatch: expected " + wrongSha + ", got " + sha256(model)));
        assertTrue(run.stderr, run.stderr.contains("deleted the download"));
        assertEquals("previous install", Files.readString(installed.resolve("model.onnx")));
        assertEquals(List.of("model.onnx"), fileNames(installed));
    }

    @Test
    public void sizeMismatchDeletesTheDownload() throws Exception {
        writePins(sha256(model), model.length + 1);
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertNotEquals(0, run.exit);
        assertTrue(
                run.stderr,
                run.stderr.contains("onnx/model.onnx: size mismatch: expected " + (model.length + 1) + " bytes, got "
                        + model.length + " bytes"));
        assertFalse(Files.exists(dest.resolve(NAME)));
    }

    @Test
    public void resumesAPartialDownloadWithARangeRequest() throws Exception {
        Path installed = Files.createDirectories(dest.resolve(NAME));
        int kept = 120_000;
        Files.write(installed.resolve("model.onnx.part"), Arrays.copyOf(model, kept));
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertEquals(run.output(), 0, run.exit);
        assertEquals("bytes=" + kept + "-", server.rangeOf("/" + REPO + "/resolve/" + REV + "/onnx/model.onnx"));
        assertEquals(model.length - kept, server.bodyBytesOf("/" + REPO + "/resolve/" + REV + "/onnx/model.onnx"));
        assertArrayEquals(model, Files.readAllBytes(installed.resolve("model.onnx")));
        assertFalse(Files.exists(installed.resolve("model.onnx.part")));
    }

    @Test
    public void aCompletePartOfAnUnsizedFileIsCheckedAndInstalled() throws Exception {
        Path installed = Files.createDirectories(dest.resolve(NAME));
        Files.write(installed.resolve("tokenizer.json.part"), tokenizer);
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertEquals(run.output(), 0, run.exit);
        assertArrayEquals(tokenizer, Files.readAllBytes(installed.resolve("tokenizer.json")));
        assertEquals(0, server.bodyBytesOf("/" + REPO + "/resolve/" + REV + "/tokenizer.json"));
    }

    @Test
    public void restartsAPartialDownloadWhenTheServerIgnoresRange() throws Exception {
        server.honourRange = false;
        Path installed = Files.createDirectories(dest.resolve(NAME));
        Files.write(installed.resolve("model.onnx.part"), Arrays.copyOf(model, 120_000));
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertEquals(run.output(), 0, run.exit);
        assertArrayEquals(model, Files.readAllBytes(installed.resolve("model.onnx")));
    }

    @Test
    public void aResumedPartWithWrongBytesFailsTheShaCheck() throws Exception {
        Path installed = Files.createDirectories(dest.resolve(NAME));
        Files.write(installed.resolve("model.onnx.part"), randomBytes(120_000, 3));
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertNotEquals(0, run.exit);
        assertTrue(run.stderr, run.stderr.contains("onnx/model.onnx: sha256 mismatch"));
        assertFalse(Files.exists(installed.resolve("model.onnx.part")));
        assertFalse(Files.exists(installed.resolve("model.onnx")));
    }

    @Test
    public void anInterruptedDownloadInstallsNothingAndTheNextRunCompletesIt() throws Exception {
        server.cutAfter = model.length / 2;
        Run first = fetch(NAME, "--base-url", server.baseUrl());
        assertNotEquals(0, first.exit);
        Path installed = dest.resolve(NAME);
        assertTrue(first.stderr, first.stderr.contains("was interrupted"));
        assertFalse(
                "an interrupted download must not appear under the final name",
                Files.exists(installed.resolve("model.onnx")));
        long partial = Files.size(installed.resolve("model.onnx.part"));
        assertTrue(partial > 0 && partial < model.length);
        server.cutAfter = -1;
        server.requests.clear();
        Run second = fetch(NAME, "--base-url", server.baseUrl());
        assertEquals(second.output(), 0, second.exit);
        assertArrayEquals(model, Files.readAllBytes(installed.resolve("model.onnx")));
        assertEquals("bytes=" + partial + "-", server.rangeOf("/" + REPO + "/resolve/" + REV + "/onnx/model.onnx"));
    }

    @Test
    public void notFoundFailsClearlyAndLeavesNothing() throws Exception {
        server.fail(hubPath("onnx/model.onnx"), 404);
        assertHttpErrorLeavesNothing(404);
    }

    @Test
    public void serverErrorFailsClearlyAndLeavesNothing() throws Exception {
        server.fail(hubPath("onnx/model.onnx"), 500);
        assertHttpErrorLeavesNothing(500);
    }

    private void assertHttpErrorLeavesNothing(int status) throws Exception {
        Run run = fetch(NAME, "--base-url", server.baseUrl());
        assertNotEquals(0, run.exit);
        assertTrue(
                run.stderr,
                run.stderr.contains("download of " + server.baseUrl() + "/" + REPO + "/resolve/" + REV
                        + "/onnx/model.onnx failed (HTTP " + status));
        assertFalse("a failed first install leaves no folder", Files.exists(dest.resolve(NAME)));
    }

    @Test
    public void refusesAModelWithoutPins() throws Exception {
        Run run = fetch("unpinned-model", "--base-url", server.baseUrl());
        assertNotEquals(0, run.exit);
        assertTrue(run.stderr, run.stderr.contains("pins no fp32 files for unpinned-model"));
        assertEquals(List.of(), server.paths());
    }

    @Test
    public void mirrorCopiesAModelDirectoryAndAddsThePluginConfig() throws Exception {
        Path mirror = tmp.newFolder("mirror").toPath();
        Files.createDirectories(mirror.resolve(NAME));
        Files.write(mirror.resolve(NAME).resolve("model.onnx"), model);
        Files.write(mirror.resolve(NAME).resolve("tokenizer.json"), tokenizer);
        Run run = fetch(NAME, "--mirror", mirror.toString());
        assertEquals(run.output(), 0, run.exit);
        assertArrayEquals(model, Files.readAllBytes(dest.resolve(NAME).resolve("model.onnx")));
        assertEquals(PLUGIN_CONFIG, Files.readString(dest.resolve(NAME).resolve("config.json")));
        assertTrue(run.stdout, run.stdout.contains(sha256(model) + "  model.onnx"));
    }

    private Run fetch(String... args) throws Exception {
        return fetch(Map.of(), args);
    }

    private Run fetch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--pins", pins.toString(), "--dest", dest.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("HF_ENDPOINT");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmp.getRoot().toPath(), "fetch", ".out");
        Path err = Files.createTempFile(tmp.getRoot().toPath(), "fetch", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("models/fetch did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private record Run(int exit, String stdout, String stderr) {
        String output() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] bytes = new byte[n];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
