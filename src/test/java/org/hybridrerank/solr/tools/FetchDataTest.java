package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code bin/fetch-data} run as a process against a local HTTP server serving a zip built here, with a pins file
 * for it whose pinned URL is on a host that does not exist: every test downloads through --base-url (or not at all).
 */
public class FetchDataTest {
    static final Path SCRIPT = Path.of("bin", "fetch-data").toAbsolutePath();
    private static final String PINNED_URL = "https://beir.invalid/datasets/scifact.zip";
    private static final String ZIP_PATH = "/datasets/scifact.zip";
    static final String CORPUS = "{\"_id\": \"1\", \"title\": \"t\", \"text\": \"vitamin d\"}\n";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private LocalFileServer server;
    private byte[] zip;
    private Path pins;
    private Path dest;

    @Before
    public void start() throws Exception {
        server = new LocalFileServer();
        zip = beirZip("scifact", true);
        server.serve(ZIP_PATH, zip);
        pins = tmp.getRoot().toPath().resolve("data-pins.txt");
        writePins("md5", md5(zip));
        dest = tmp.newFolder("data").toPath();
    }

    @After
    public void stop() {
        server.close();
    }

    /** A BEIR zip as BEIR packs it: one folder NAME/ with corpus, queries and qrels (test.tsv unless not). */
    static byte[] beirZip(String name, boolean withTestQrels) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        entries.put(name + "/corpus.jsonl", CORPUS);
        entries.put(name + "/queries.jsonl", "{\"_id\": \"q1\", \"text\": \"vitamin d\"}\n");
        String qrels = name + "/qrels/" + (withTestQrels ? "test.tsv" : "train.tsv");
        entries.put(qrels, "query-id\tcorpus-id\tscore\nq1\t1\t1\n");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue().getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private void writePins(String algo, String hash) throws IOException {
        Files.writeString(pins, "# test pins\nscifact " + PINNED_URL + " - " + algo + " " + hash + "\n");
    }

    private String zipUrl() {
        return server.baseUrl() + ZIP_PATH;
    }

    private Run fetchFromServer(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("--base-url", server.baseUrl() + "/datasets"));
        args.addAll(List.of(extra));
        return fetch(Map.of(), args.toArray(String[]::new));
    }

    @Test
    public void installsTheCheckedZipAndReusesItOnTheNextRun() throws Exception {
        Run first = fetchFromServer();
        assertEquals(first.output(), 0, first.exit);
        Path installed = dest.resolve("scifact");
        assertEquals(CORPUS, Files.readString(installed.resolve("corpus.jsonl")));
        assertTrue(Files.isRegularFile(installed.resolve("qrels/test.tsv")));
        assertEquals("md5 " + md5(zip) + " " + zipUrl() + "\n", Files.readString(installed.resolve(".fetched")));
        assertEquals("no .part, no temporary folder left", List.of("scifact"), fileNames(dest));
        assertEquals(List.of(ZIP_PATH), server.paths());
        Run second = fetchFromServer();
        assertEquals(second.output(), 0, second.exit);
        assertTrue(second.stdout, second.stdout.contains("scifact is already installed in " + installed.toRealPath()));
        assertEquals("the second run downloads nothing", List.of(ZIP_PATH), server.paths());
    }

    @Test
    public void baseUrlComesFromBeirBaseUrlToo() throws Exception {
        Run run = fetch(Map.of("BEIR_BASE_URL", server.baseUrl() + "/datasets/"));
        assertEquals(run.output(), 0, run.exit);
        assertEquals(List.of(ZIP_PATH), server.paths());
    }

    @Test
    public void aSha256PinIsCheckedAsWell() throws Exception {
        writePins("sha256", sha256(zip));
        Run run = fetchFromServer();
        assertEquals(run.output(), 0, run.exit);
        assertTrue(Files.isRegularFile(dest.resolve("scifact/corpus.jsonl")));
        writePins("sha256", sha256("other".getBytes(StandardCharsets.UTF_8)));
        Files.delete(dest.resolve("scifact/.fetched"));
        Run wrong = fetchFromServer();
        assertNotEquals(0, wrong.exit);
        assertTrue(wrong.stderr, wrong.stderr.contains("scifact.zip: sha256 mismatch"));
    }

    @Test
    public void resumesAPartialDownloadWithARangeRequest() throws Exception {
        int kept = zip.length / 2;
        Files.write(dest.resolve("scifact.zip.part"), Arrays.copyOf(zip, kept));
        Run run = fetchFromServer();
        assertEquals(run.output(), 0, run.exit);
        assertEquals("bytes=" + kept + "-", server.rangeOf(ZIP_PATH));
        assertEquals(zip.length - kept, server.bodyBytesOf(ZIP_PATH));
        assertEquals(CORPUS, Files.readString(dest.resolve("scifact/corpus.jsonl")));
        assertFalse(Files.exists(dest.resolve("scifact.zip.part")));
    }

    @Test
    public void notFoundNamesTheUrlAndInstallsNothing() throws Exception {
        server.fail(ZIP_PATH, 404);
        Run run = fetchFromServer();
        assertNotEquals(0, run.exit);
        assertEquals(
                run.output(),
                List.of("bin/fetch-data: download of " + zipUrl() + " failed (HTTP 404, curl exit 22)"),
                run.stderr.lines().toList());
        assertEquals(List.of(), fileNames(dest));
    }

    @Test
    public void aWrongChecksumDeletesTheDownloadAndNamesExpectedAndActual() throws Exception {
        String wrong = md5("something else".getBytes(StandardCharsets.UTF_8));
        writePins("md5", wrong);
        Run run = fetchFromServer();
        assertNotEquals(0, run.exit);
        assertTrue(
                run.stderr,
                run.stderr.contains("scifact.zip: md5 mismatch: expected " + wrong + ", got " + md5(zip)
                        + "; deleted the download"));
        assertEquals(List.of(), fileNames(dest));
    }

    @Test
    public void noNetworkIsOneLineNamingTheUrl() throws Exception {
        String closed = LocalFileServer.closedPortUrl();
        Run run = fetch(Map.of(), "--base-url", closed);
        assertNotEquals(0, run.exit);
        assertEquals(
                run.output(),
                List.of("bin/fetch-data: download of " + closed
                        + "/scifact.zip failed (could not connect, curl exit 7)"),
                run.stderr.lines().toList());
        assertEquals(List.of(), fileNames(dest));
    }

    @Test
    public void aFailedRunLeavesAnEarlierInstallAsItWas() throws Exception {
        Path earlier = Files.createDirectories(dest.resolve("scifact"));
        Files.writeString(earlier.resolve("corpus.jsonl"), "earlier");
        Files.writeString(earlier.resolve(".fetched"), "md5 0123 old-url\n");
        // a zip that passes its checksum but lacks qrels/test.tsv: found only after unpacking
        byte[] incomplete = beirZip("scifact", false);
        server.serve(ZIP_PATH, incomplete);
        writePins("md5", md5(incomplete));
        Run run = fetchFromServer();
        assertNotEquals(0, run.exit);
        assertTrue(
                run.stderr,
                run.stderr.contains(
                        "scifact.zip holds no scifact/ with corpus.jsonl, queries.jsonl and qrels/test.tsv"));
        assertEquals("earlier", Files.readString(earlier.resolve("corpus.jsonl")));
        assertEquals("no temporary folder left", List.of("scifact", "scifact.zip.part"), fileNames(dest));
        // a wrong checksum, too
        server.serve(ZIP_PATH, zip);
        Files.delete(dest.resolve("scifact.zip.part"));
        Run wrong = fetchFromServer();
        assertNotEquals(0, wrong.exit);
        assertEquals("earlier", Files.readString(earlier.resolve("corpus.jsonl")));
        // and a good run replaces it whole
        writePins("md5", md5(zip));
        Run good = fetchFromServer();
        assertEquals(good.output(), 0, good.exit);
        assertEquals(CORPUS, Files.readString(earlier.resolve("corpus.jsonl")));
        assertEquals(List.of("scifact"), fileNames(dest));
    }

    @Test
    public void aMirrorCopyIsCheckedAndUnpackedWithoutTheNetwork() throws Exception {
        Path mirror = tmp.newFolder("mirror").toPath();
        Files.write(mirror.resolve("scifact.zip"), zip);
        Run run = fetch(Map.of(), "--mirror", mirror.toString());
        assertEquals(run.output(), 0, run.exit);
        assertEquals(CORPUS, Files.readString(dest.resolve("scifact/corpus.jsonl")));
        assertTrue(Files.exists(mirror.resolve("scifact.zip")));
        assertEquals(List.of(), server.paths());
        Files.write(mirror.resolve("scifact.zip"), beirZip("scifact", false));
        Files.delete(dest.resolve("scifact/.fetched"));
        Run wrong = fetch(Map.of(), "--mirror", mirror.resolve("scifact.zip").toString());
        assertNotEquals(0, wrong.exit);
        assertTrue(wrong.stderr, wrong.stderr.contains("md5 mismatch"));
    }

    @Test
    public void refusesADatasetWithoutPins() throws Exception {
        Run run = fetchFromServer("nfcorpus");
        assertNotEquals(0, run.exit);
        assertTrue(run.stderr, run.stderr.contains("pins no dataset nfcorpus"));
        assertEquals(List.of(), server.paths());
    }

    @Test
    public void unpacksWithPython3() throws Exception {
        Assume.assumeTrue("python3 on the PATH", onPath("python3"));
        Run run = fetch(Map.of("FETCH_DATA_UNZIP", "python3"), "--base-url", server.baseUrl() + "/datasets");
        assertEquals(run.output(), 0, run.exit);
        assertEquals(CORPUS, Files.readString(dest.resolve("scifact/corpus.jsonl")));
    }

    @Test
    public void unpacksWithTheJdksJar() throws Exception {
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        Assume.assumeTrue("a JDK with jar", Files.isExecutable(javaBin.resolve("jar")));
        Run run = fetch(
                Map.of("FETCH_DATA_UNZIP", "jar", "PATH", javaBin + ":" + System.getenv("PATH")),
                "--base-url",
                server.baseUrl() + "/datasets");
        assertEquals(run.output(), 0, run.exit);
        assertEquals(CORPUS, Files.readString(dest.resolve("scifact/corpus.jsonl")));
    }

    private static boolean onPath(String tool) throws Exception {
        return new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() == 0;
    }

    private Run fetch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--pins", pins.toString(), "--dest", dest.toString()));
        return run(command, env, tmp.getRoot().toPath());
    }

    static Run run(List<String> command, Map<String, String> env, Path tmpDir) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("BEIR_BASE_URL");
        pb.environment().remove("HF_ENDPOINT");
        pb.environment().putAll(env);
        Path out = Files.createTempFile(tmpDir, "run", ".out");
        Path err = Files.createTempFile(tmpDir, "run", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish within 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    record Run(int exit, String stdout, String stderr) {
        String output() {
            return "exit " + exit + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    static List<String> fileNames(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    static String md5(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
