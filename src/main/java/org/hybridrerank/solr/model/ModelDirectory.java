package org.hybridrerank.solr.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A model on disk: {@code model.onnx}, {@code tokenizer.json} and an optional {@code config.json}. Opening one
 * checks the files exist; the graph itself is checked when a session is created.
 */
public final class ModelDirectory {
    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_FILE = "config.json";

    private final Path dir;
    private final JsonNode config;

    private ModelDirectory(Path dir, JsonNode config) {
        this.dir = dir;
        this.config = config;
    }

    public static ModelDirectory open(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(absolute)) {
            throw new ModelLoadException("model directory does not exist: " + absolute);
        }
        requireFile(absolute.resolve(MODEL_FILE), "the ONNX graph");
        requireFile(absolute.resolve(TOKENIZER_FILE), "the Hugging Face tokenizer");
        Path configFile = absolute.resolve(CONFIG_FILE);
        JsonNode config = JsonNodeFactory.instance.objectNode();
        if (Files.exists(configFile)) {
            try {
                config = new ObjectMapper().readTree(configFile.toFile());
            } catch (IOException e) {
                throw new ModelLoadException("cannot parse " + configFile + ": " + e.getMessage(), e);
            }
            if (config == null || !config.isObject()) {
                throw new ModelLoadException("expected a JSON object in " + configFile);
            }
        }
        return new ModelDirectory(absolute, config);
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("missing " + file + " (" + what + ")");
        }
    }

    public Path path() {
        return dir;
    }

    public Path modelFile() {
        return dir.resolve(MODEL_FILE);
    }

    public Path tokenizerFile() {
        return dir.resolve(TOKENIZER_FILE);
    }

    /** An integer from config.json, or {@code fallback} when absent. */
    public int configInt(String key, int fallback) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) return fallback;
        if (!node.canConvertToInt()) {
            throw new ModelLoadException(
                    "\"" + key + "\" in " + dir.resolve(CONFIG_FILE) + " must be an integer, got " + node);
        }
        return node.asInt();
    }

    /** A string from config.json, or {@code fallback} when absent. */
    public String configString(String key, String fallback) {
        JsonNode node = config.get(key);
        return node == null || node.isNull() ? fallback : node.asText();
    }

    /** A raw value of config.json, or null when absent (e.g. the {@code "calibration"} object). */
    public JsonNode configNode(String key) {
        return config.get(key);
    }

    /** Identity for sharing: the same directory, modified at the same time, is the same model. */
    public String version() {
        try {
            return Long.toString(Files.getLastModifiedTime(modelFile()).toMillis(), 36)
                    + "-"
                    + Long.toString(Files.size(modelFile()), 36);
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + modelFile() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
