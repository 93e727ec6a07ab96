package org.hybridrerank.solr.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code --embedder} of the tools: the name of a bi-encoder the build unpacks into {@code target/models}, or
 * a model directory.
 */
final class EmbedderChoice {
    static final Path BUILT = Path.of("target", "models");
    /** bge-small-en-v1.5: the default, better at retrieval. */
    static final String DEFAULT = "bge-small-en-v15-q";
    /** all-MiniLM-L6-v2: the light option, faster to index (see the README for the measured ratio). */
    static final String LIGHT = "all-minilm-l6-v2-q";

    static final List<String> NAMES = List.of(DEFAULT, LIGHT);

    private EmbedderChoice() {}

    /** A known name means its folder under target/models; anything else is a directory path, as the user typed it. */
    static Path resolve(String nameOrDir) {
        Path dir = NAMES.contains(nameOrDir) ? BUILT.resolve(nameOrDir) : UserPaths.resolve(Path.of(nameOrDir));
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve("model.onnx"))) {
            throw new IllegalArgumentException(
                    "--embedder " + nameOrDir + ": no model.onnx in " + dir + "; give one of " + NAMES
                            + " (unpacked by: mvn -B -ntp package -DskipTests) or a model directory");
        }
        return dir;
    }
}
