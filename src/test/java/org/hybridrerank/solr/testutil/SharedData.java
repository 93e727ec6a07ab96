package org.hybridrerank.solr.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the tests' models and datasets live. Two kinds:
 *
 * <ul>
 *   <li>in the repository, laid out by the build: the overlap-oracle fixture ({@code target/test-models}, from
 *       src/test/resources/models) and the two public bi-encoders ({@code target/models}, from Maven Central).
 *       Plain {@code mvn verify} needs nothing else.
 *   <li>outside it, under {@code -Dhybrid.shared.dir} (by default {@code ../shared}): the team's SciFact-tuned
 *       cross-encoders and the SciFact dataset, read only by the suites of the {@code shared-suites} profile
 *       ({@code *SharedIT}, the cloud and compare suites). Every accessor of that folder goes through
 *       {@link #require()}, which fails, naming what is missing and how to get it, rather than skip.
 * </ul>
 */
public final class SharedData {
    private SharedData() {}

    /** The trained cross-encoder and its int8 version, under models/ of the shared folder. */
    public static final String CROSS_ENCODER = "scifact-minilm-l6-ce";

    public static final String CROSS_ENCODER_INT8 = "scifact-minilm-l6-ce-int8";

    private static final String PROPERTY = "hybrid.shared.dir";

    /**
     * Fails unless the shared folder holds everything the shared suites read, with one message naming each missing
     * piece and how to get it. The shared suites call it first ({@code @BeforeClass}).
     */
    public static void require() {
        String given = System.getProperty(PROPERTY, "../shared");
        Path dir = Path.of(given).toAbsolutePath().normalize();
        List<String> missing = new ArrayList<>();
        if (!Files.isRegularFile(dir.resolve("models").resolve(CROSS_ENCODER).resolve("model.onnx"))) {
            missing.add("models/" + CROSS_ENCODER + " (the team's SciFact-tuned cross-encoder, not public)");
        }
        if (!Files.isRegularFile(
                dir.resolve("models").resolve(CROSS_ENCODER_INT8).resolve("model.onnx"))) {
            missing.add("models/" + CROSS_ENCODER_INT8 + " (its int8 version, made from it by the team)");
        }
        if (!Files.isRegularFile(dir.resolve("datasets").resolve("scifact").resolve("corpus.jsonl"))) {
            missing.add("datasets/scifact (BEIR SciFact; get it with: bin/fetch-data scifact)");
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "This suite needs the shared models and datasets, which are not in the repository. Missing under "
                            + given + " (" + dir + "): " + String.join("; ", missing) + ". Put them there or point "
                            + "-D" + PROPERTY + "=<folder with models/ and datasets/> at them, then run `mvn -B -ntp "
                            + "verify -Pshared-suites` (what .ci/run does). Plain `mvn -B -ntp verify` needs none of "
                            + "this (docs/testing.md).");
        }
    }

    /** The shared folder, after {@link #require()}. */
    public static Path sharedDir() {
        require();
        return Path.of(System.getProperty(PROPERTY, "../shared"))
                .toAbsolutePath()
                .normalize();
    }

    public static Path modelsDir() {
        return sharedDir().resolve("models");
    }

    /** A shared model, e.g. {@link #CROSS_ENCODER}. */
    public static Path model(String name) {
        return modelsDir().resolve(name);
    }

    public static Path scifact() {
        return sharedDir().resolve("datasets").resolve("scifact");
    }

    /** The in-repo model fixtures, laid out by the build (pom.xml, lay-out-embedders): target/test-models. */
    public static Path fixtureModelsDir() {
        Path dir = Path.of(System.getProperty("hybrid.fixture.models.dir", "target/test-models"))
                .toAbsolutePath()
                .normalize();
        if (!Files.isRegularFile(dir.resolve("overlap-oracle").resolve("tokenizer.json"))) {
            throw new IllegalStateException("test model fixtures not laid out at " + dir
                    + ": run the build (`mvn -B -ntp generate-test-resources`)");
        }
        return dir;
    }

    /** The deterministic overlap-oracle cross-encoder (src/test/resources/models/overlap-oracle). */
    public static Path oracleDir() {
        return fixtureModelsDir().resolve("overlap-oracle");
    }

    /** The default bi-encoder, unpacked by the build into target/models (see pom.xml). */
    public static Path embedderDir() {
        return Path.of(System.getProperty("hybrid.embedder.dir", "target/models/bge-small-en-v15-q"))
                .toAbsolutePath()
                .normalize();
    }

    /** The light bi-encoder (all-MiniLM-L6-v2), unpacked by the build beside the default one. */
    public static Path lightEmbedderDir() {
        return Path.of(System.getProperty("hybrid.light.embedder.dir", "target/models/all-minilm-l6-v2-q"))
                .toAbsolutePath()
                .normalize();
    }
}
