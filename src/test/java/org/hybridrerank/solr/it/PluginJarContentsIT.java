package org.hybridrerank.solr.it;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.Test;

/**
 * The plugin jar holds the plugin: its own packages, the libraries it runs on inside Solr (ONNX Runtime and DJL's
 * tokenizer under their own names, gson and commons-compress relocated), and natives only for the platforms where
 * both ONNX Runtime and the tokenizer have one. No tools, no compare page, no JNA, nothing Solr ships.
 * docs/plugin-jar.md says the same for users.
 */
public class PluginJarContentsIT {

    /** Platforms as ONNX Runtime's folders name them, and the tokenizer's folder for the same platform. */
    static final List<String[]> PLATFORMS = List.of(
            new String[] {"linux-x64", "linux-x86_64"},
            new String[] {"linux-aarch64", "linux-aarch64"},
            new String[] {"osx-aarch64", "osx-aarch64"},
            new String[] {"win-x64", "win-x86_64"});

    static final String PLUGIN = "org/hybridrerank/solr/";
    static final String TOOLS = "org/hybridrerank/solr/tools/";
    static final Set<String> RELOCATED = Set.of("org/hybridrerank/shaded/gson/", "org/hybridrerank/shaded/compress/");
    static final String ORT = "ai/onnxruntime/";
    static final String ORT_NATIVE = "ai/onnxruntime/native/";
    static final String TOKENIZER_NATIVE = "native/lib/";
    /** ONNX Runtime's jar keeps its notices at its root; they stay with the library they describe. */
    static final Set<String> ORT_NOTICES = Set.of("ThirdPartyNotices.txt", "Privacy.md", "GIT_COMMIT_ID");

    static Path pluginJar() {
        Path jar = Path.of(System.getProperty("hybrid.plugin.jar", "target/solr-hybrid-rerank-0.1.0.jar"));
        assertTrue("packaged jar missing: " + jar + " (mvn package)", Files.isRegularFile(jar));
        return jar;
    }

    @Test
    public void theJarHoldsOnlyThePluginItsRuntimeLibrariesAndTheirSharedPlatforms() throws Exception {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(pluginJar().toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(names::add);
        }
        List<String> outside = names.stream().filter(n -> !allowed(n)).toList();
        assertTrue("entries outside the plugin's allow-list: " + head(outside), outside.isEmpty());

        // the allow-list must not pass an empty jar: the plugin and each bundled library are there
        for (String expected : List.of(
                "org/hybridrerank/solr/rerank/CrossEncoderQParserPlugin.class",
                "org/hybridrerank/solr/hybrid/HybridSearchComponent.class",
                "org/hybridrerank/shaded/gson/Gson.class",
                "ai/onnxruntime/OrtSession.class",
                "ai/djl/huggingface/tokenizers/HuggingFaceTokenizer.class",
                TOKENIZER_NATIVE + "tokenizers.properties")) {
            assertTrue("missing from the jar: " + expected, names.contains(expected));
        }
        // and both natives for every platform kept: one without the other is a platform the plugin cannot run on
        for (String[] p : PLATFORMS) {
            assertTrue(
                    "no ONNX Runtime JNI library for " + p[0],
                    names.stream()
                            .anyMatch(n -> n.startsWith(ORT_NATIVE + p[0] + "/") && n.contains("onnxruntime4j_jni")));
            assertTrue(
                    "no tokenizer library for " + p[1],
                    names.stream()
                            .anyMatch(
                                    n -> n.startsWith(TOKENIZER_NATIVE + p[1] + "/cpu/") && n.contains("tokenizers.")));
        }
    }

    /** True for a jar entry the plugin jar may carry. Directory entries pass when they lead to (or lie in) one. */
    static boolean allowed(String name) {
        if (isPageResource(name)) return false;
        if (name.startsWith("META-INF/versions/")) {
            // a multi-release class belongs to the package after the version folder
            String rest = name.substring("META-INF/versions/".length());
            int slash = rest.indexOf('/');
            return slash < 0 || slash == rest.length() - 1 || allowed(rest.substring(slash + 1));
        }
        if (name.startsWith("META-INF/")) return true;
        if (ORT_NOTICES.contains(name)) return true;
        Set<String> roots = new TreeSet<>(RELOCATED);
        roots.add(PLUGIN);
        roots.add("ai/djl/");
        roots.add(TOKENIZER_NATIVE + "tokenizers.properties");
        for (String[] p : PLATFORMS) {
            roots.add(ORT_NATIVE + p[0] + "/");
            roots.add(TOKENIZER_NATIVE + p[1] + "/");
        }
        if (name.startsWith(TOOLS)) return false;
        if (name.startsWith(ORT) && !name.startsWith(ORT_NATIVE)) return true;
        for (String root : roots) {
            if (name.startsWith(root)) return true;
            if (name.endsWith("/") && root.startsWith(name)) return true;
        }
        return false;
    }

    /** The compare page (and any other web page asset) belongs to the tools. */
    static boolean isPageResource(String name) {
        return name.startsWith("compare/") || name.endsWith(".html") || name.endsWith(".js") || name.endsWith(".css");
    }

    static String head(List<String> names) {
        return names.size() + " " + names.subList(0, Math.min(20, names.size()));
    }

    @Test
    public void theAllowListRejectsWhatMustStayOut() {
        for (String out : List.of(
                "org/hybridrerank/solr/tools/Demo.class",
                "org/hybridrerank/solr/tools/compare/ComparePage.class",
                "compare/index.html",
                "compare/",
                "com/sun/jna/Native.class",
                "com/google/gson/Gson.class",
                "org/apache/commons/io/IOUtils.class",
                "ai/onnxruntime/native/osx-x64/libonnxruntime.dylib",
                "native/lib/osx-x86_64/cpu/libtokenizers.dylib",
                "nlp/text_embedding/ai.djl.huggingface.rust.json",
                "META-INF/versions/9/com/google/gson/Gson.class",
                "picocli/CommandLine.class")) {
            assertTrue("allowed but must not be: " + out, !allowed(out));
        }
        for (String in : List.of(
                "org/",
                "org/hybridrerank/",
                "ai/onnxruntime/native/",
                "native/lib/linux-x86_64/cpu/libtokenizers.so",
                "org/hybridrerank/solr/model/CrossEncoder.class",
                "META-INF/MANIFEST.MF")) {
            assertTrue("rejected but belongs: " + in, allowed(in));
        }
    }

    /**
     * The tokenizer loads and encodes from the jar alone, with no JNA anywhere: DJL's CUDA probe is the only user
     * of JNA, and without it the probe reports no GPU and the CPU native (the one bundled) is loaded.
     */
    @Test
    public void theTokenizerLoadsFromTheJarWithoutJna() throws Exception {
        Path tokenizerJson = Path.of(System.getProperty("hybrid.embedder.dir", "target/models/bge-small-en-v15-q"))
                .resolve("tokenizer.json");
        assertTrue("no tokenizer.json at " + tokenizerJson + " (mvn package)", Files.isRegularFile(tokenizerJson));
        // this test's class path gives Solr's libraries (slf4j among them), as Solr does, and lacks JNA, ONNX Runtime
        // and DJL (pom.xml's packaged-jar execution leaves them out)
        ClassLoader parent = PluginJarContentsIT.class.getClassLoader();
        assertThrows(ClassNotFoundException.class, () -> Class.forName("ai.djl.util.Platform", false, parent));
        try (URLClassLoader jar =
                new URLClassLoader(new URL[] {pluginJar().toUri().toURL()}, parent)) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("com.sun.jna.Native", false, jar));
            Class<?> tokenizerClass = Class.forName("ai.djl.huggingface.tokenizers.HuggingFaceTokenizer", true, jar);
            assertEquals(jar, tokenizerClass.getClassLoader());
            // DJL finds native/lib/tokenizers.properties through the context class loader, which Solr sets to the
            // loader of lib/ while it loads a core's plugins
            Thread thread = Thread.currentThread();
            ClassLoader context = thread.getContextClassLoader();
            thread.setContextClassLoader(jar);
            Object tokenizer;
            try {
                tokenizer = tokenizerClass.getMethod("newInstance", Path.class).invoke(null, tokenizerJson);
            } finally {
                thread.setContextClassLoader(context);
            }
            try {
                Object encoding =
                        tokenizerClass.getMethod("encode", String.class).invoke(tokenizer, "vitamin d");
                String[] tokens =
                        (String[]) encoding.getClass().getMethod("getTokens").invoke(encoding);
                assertArrayEquals(new String[] {"[CLS]", "vitamin", "d", "[SEP]"}, tokens);
            } finally {
                Method close = tokenizerClass.getMethod("close");
                close.invoke(tokenizer);
            }
        }
    }
}
