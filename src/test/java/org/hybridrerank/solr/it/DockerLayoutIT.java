package org.hybridrerank.solr.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.core.CoreContainer;
import org.hybridrerank.solr.testutil.SharedData;
import org.junit.Test;

/**
 * The Docker image as docker/Dockerfile and docs/docker.md make it, without a Docker daemon: this test reads the
 * Dockerfile (its COPY lines, the -D properties of SOLR_OPTS, the solr-precreate core and configset) and the
 * documented commands (which model folders end up in /models), lays the container's files out under a temporary
 * root the way the image and its start scripts would, and loads the core on Solr's CoreContainer from there, the
 * plugin coming from the Solr home's lib/ only (this class path has neither the plugin nor its libraries).
 */
public class DockerLayoutIT extends SolrTestCaseJ4 {

    /** The official image's Solr home; its init script puts solr.xml there, solr-precreate the cores. */
    static final String SOLR_HOME = "/var/solr/data";

    static final Pattern COPY = Pattern.compile("(?m)^COPY\\s+(?:--\\S+\\s+)*(\\S+)\\s+(\\S+)\\s*$");
    static final Pattern ENV_SOLR_OPTS = Pattern.compile("(?m)^ENV\\s+SOLR_OPTS=\"([^\"]*)\"");
    static final Pattern SYSTEM_PROPERTY = Pattern.compile("-D([\\w.]+)=(\\S+)");
    static final Pattern PRECREATE =
            Pattern.compile("(?m)^CMD\\s+\\[\\s*\"solr-precreate\"\\s*,\\s*\"([^\"]+)\"\\s*,\\s*\"([^\"]+)\"");
    static final Pattern MOUNT = Pattern.compile("-v\\s+\"?\\$PWD/([^:\"]+):(/[^:\"]+)(?::ro)?\"?");
    static final Pattern FETCH_DEFAULT_NAME = Pattern.compile("(?m)^name=(\\S+)$");

    /**
     * A stand-in for a cross-encoder folder that the documented commands download (no network here): the small
     * deterministic ONNX graph and its tokenizer. Repoint this when the graph moves into the test resources.
     */
    static Path crossEncoderStandIn() {
        return SharedData.oracleDir();
    }

    @Test
    public void theCoreLoadsFromTheImageLayoutAndReranks() throws Exception {
        Path project = Path.of("").toAbsolutePath();
        String dockerfile = Files.readString(project.resolve("docker/Dockerfile"));
        String docs = Files.readString(project.resolve("docs/docker.md"));
        Path root = createTempDir("container-root");

        // the image: every COPY, from the build context (the repository root, as the documented `docker build .`)
        assertTrue("docs/docker.md builds another file", docs.contains("docker build -f docker/Dockerfile"));
        Matcher copy = COPY.matcher(dockerfile);
        int copies = 0;
        while (copy.find()) {
            dockerCopy(project.resolve(copy.group(1)), copy.group(2), root);
            copies++;
        }
        assertTrue("no COPY in the Dockerfile", copies > 0);

        // the documented commands: which folders the mounted host folder holds, and where it is mounted
        Map<String, Path> modelFolders = documentedModelFolders(docs, project);
        Matcher mount = MOUNT.matcher(docs);
        assertTrue("docs/docker.md mounts no folder with docker run -v", mount.find());
        String hostFolder = mount.group(1);
        Path mounted = inContainer(root, mount.group(2));
        assertTrue(
                "the Dockerfile declares no VOLUME " + mount.group(2), dockerfile.contains("VOLUME " + mount.group(2)));
        assertTrue("docs/docker.md puts no model folders in " + hostFolder, !modelFolders.isEmpty());
        for (Map.Entry<String, Path> folder : modelFolders.entrySet()) {
            copyTree(folder.getValue(), mounted.resolve(folder.getKey()));
        }

        // the container's start: init-var-solr's solr.xml (the lines of Solr's own that matter here) and
        // precreate-core, which copies the configset folder as the core folder (cp -r SOURCE/ /var/solr/data/CORE)
        Path home = inContainer(root, SOLR_HOME);
        Files.createDirectories(home);
        Files.writeString(
                home.resolve("solr.xml"),
                "<solr><str name=\"sharedLib\">${solr.sharedLib:}</str>"
                        + "<str name=\"allowPaths\">${solr.allowPaths:}</str></solr>");
        Matcher precreate = PRECREATE.matcher(dockerfile);
        assertTrue("the Dockerfile's CMD is not solr-precreate CORE CONFIGSET", precreate.find());
        String core = precreate.group(1);
        Path configset = inContainer(root, precreate.group(2));
        assertTrue(
                "solr-precreate's configset is not in the image: " + precreate.group(2), Files.isDirectory(configset));
        copyTree(configset, home.resolve(core));
        Files.writeString(home.resolve(core).resolve("core.properties"), "");
        assertTrue("no jar in the Solr home's lib/", listJars(home.resolve("lib")) > 0);

        // SOLR_OPTS, its container paths moved under the temporary root
        Matcher env = ENV_SOLR_OPTS.matcher(dockerfile.replace("\\\n", " "));
        assertTrue("the Dockerfile sets no SOLR_OPTS", env.find());
        Map<String, String> properties = new LinkedHashMap<>();
        Matcher property = SYSTEM_PROPERTY.matcher(env.group(1));
        while (property.find()) {
            properties.put(property.group(1), hostPaths(root, property.group(2)));
        }
        assertTrue("SOLR_OPTS names no embedder", properties.containsKey("hybrid.embedder.dir"));
        assertTrue("SOLR_OPTS names no cross-encoder", properties.containsKey("hybrid.crossencoder.dir"));

        Map<String, String> before = new LinkedHashMap<>();
        properties.keySet().forEach(k -> before.put(k, System.getProperty(k)));
        properties.forEach(System::setProperty);
        CoreContainer container = null;
        try {
            container = CoreContainer.createAndLoad(home);
            Map<String, String> failures = new LinkedHashMap<>();
            container.getCoreInitFailures().forEach((name, failure) -> failures.put(name, causes(failure.exception)));
            assertEquals("core init failures", Map.of(), failures);
            assertEquals(List.of(core), List.copyOf(container.getAllCoreNames()));
            try (EmbeddedSolrServer solr = new EmbeddedSolrServer(container, core)) {
                String[][] texts = {
                    {"a", "Weather", "Mild weather in Paris."},
                    {"b", "Vitamin D", "Vitamin D deficiency and bone fractures."},
                    {"c", "Bones", "Bone fractures in adults."},
                };
                for (String[] d : texts) {
                    SolrInputDocument doc = new SolrInputDocument();
                    doc.addField("id", d[0]);
                    doc.addField("title", d[1]);
                    doc.addField("text", d[2]);
                    solr.add(doc);
                }
                solr.commit();
                SolrQuery q = new SolrQuery("vitamin d deficiency fractures");
                QueryRequest request = new QueryRequest(q);
                request.setPath("/hybrid");
                QueryResponse rsp = request.process(solr);
                assertEquals("ok", String.valueOf(rsp.getHeader().get("rerank.status")));
                assertEquals(3, rsp.getResults().getNumFound());
                assertEquals("b", rsp.getResults().get(0).getFieldValue("id"));
            }
        } finally {
            // EmbeddedSolrServer.close() shuts the container down; this covers a failure before it was made
            if (container != null && !container.isShutDown()) container.shutdown();
            before.forEach((k, v) -> {
                if (v == null) System.clearProperty(k);
                else System.setProperty(k, v);
            });
        }
    }

    /**
     * Each folder the documented commands put in the host folder that is mounted at /models, by name, with where
     * this test takes its files from: `cp -r SOURCE models-dir/` copies SOURCE (a build output, such as the
     * unpacked bi-encoders in target/models); `models/fetch [NAME] --dest models-dir` downloads NAME (models/fetch's
     * default when none is given), for which the stand-in graph is used with the repository's NAME/config.json.
     */
    static Map<String, Path> documentedModelFolders(String docs, Path project) throws IOException {
        Map<String, Path> folders = new LinkedHashMap<>();
        for (String command : shellCommands(docs)) {
            List<String> words = List.of(command.trim().split("\\s+"));
            if (words.size() >= 3 && words.get(0).equals("cp") && words.contains("-r")) {
                String source = words.get(words.size() - 2);
                Path from = project.resolve(source);
                assertTrue(
                        "docs/docker.md copies " + source + ", which the build does not make", Files.isDirectory(from));
                folders.put(from.getFileName().toString(), from);
            } else if (!words.isEmpty() && words.get(0).equals("models/fetch") && words.contains("--dest")) {
                String name = fetchName(words, project);
                Path model = Files.createDirectories(createTempDir("fetched").resolve(name));
                Files.copy(crossEncoderStandIn().resolve("model.onnx"), model.resolve("model.onnx"));
                Files.copy(crossEncoderStandIn().resolve("tokenizer.json"), model.resolve("tokenizer.json"));
                Path config = project.resolve("models").resolve(name).resolve("config.json");
                assertTrue("models/fetch installs " + name + " with no " + config, Files.isRegularFile(config));
                Files.copy(config, model.resolve("config.json"));
                folders.put(name, model);
            }
        }
        return folders;
    }

    /** The NAME argument of a models/fetch command line, or the script's default. */
    static String fetchName(List<String> words, Path project) throws IOException {
        Set<String> withValue = Set.of("--dest", "--mirror", "--pins", "--base-url", "--name");
        for (int i = 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("--name")) return words.get(i + 1);
            if (withValue.contains(w)) {
                i++;
            } else if (!w.startsWith("-")) {
                return w;
            }
        }
        Matcher name = FETCH_DEFAULT_NAME.matcher(Files.readString(project.resolve("models/fetch")));
        assertTrue("models/fetch has no default model name", name.find());
        return name.group(1);
    }

    /** The command lines of the ```bash blocks, split at `&&`, comments dropped. */
    static List<String> shellCommands(String markdown) {
        List<String> commands = new ArrayList<>();
        boolean inBash = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inBash = !inBash && line.trim().equals("```bash");
                continue;
            }
            if (!inBash) continue;
            String command = line.replaceAll("\\s+#.*$", "");
            for (String part : command.split("&&")) {
                if (!part.isBlank()) commands.add(part.trim());
            }
        }
        return commands;
    }

    /** An exception's messages down to its root cause: what the Solr log would show. */
    static String causes(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            out.append(out.length() == 0 ? "" : " <- ").append(c.getMessage());
        }
        return out.toString();
    }

    /** A Dockerfile COPY: a folder's contents into DEST, a file into DEST (or DEST/NAME when DEST ends with /). */
    static void dockerCopy(Path source, String dest, Path root) throws IOException {
        assertTrue("COPY source missing from the build context: " + source, Files.exists(source));
        Path to = inContainer(root, dest);
        if (Files.isDirectory(source)) {
            copyTree(source, to);
        } else {
            if (dest.endsWith("/")) to = to.resolve(source.getFileName().toString());
            Files.createDirectories(to.getParent());
            Files.copy(source, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** A container path, under the temporary root. */
    static Path inContainer(Path root, String absolute) {
        assertTrue("not an absolute container path: " + absolute, absolute.startsWith("/"));
        return root.resolve(absolute.substring(1));
    }

    /** A -D value: each absolute container path in it (comma-separated lists too) moved under the root. */
    static String hostPaths(Path root, String value) {
        Set<String> parts = new LinkedHashSet<>();
        for (String part : value.split(",")) {
            parts.add(part.startsWith("/") ? inContainer(root, part).toString() : part);
        }
        return String.join(",", parts);
    }

    static long listJars(Path lib) throws IOException {
        if (!Files.isDirectory(lib)) return 0;
        try (Stream<Path> files = Files.list(lib)) {
            return files.filter(f -> f.toString().endsWith(".jar")).count();
        }
    }
}
