package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where {@code bin/demo} looks for the cross-encoder named by {@code --cross-encoder}: inside {@code --models} when
 * given; else in the shared models folder, then where {@code models/fetch} installs by default. A missing model is
 * reported with the command that installs it, when {@code models/pins.txt} pins it.
 */
final class CrossEncoderLookup {
    /** {@code models/fetch}'s default destination, relative to the checkout. */
    static final Path FETCH_DEST = Path.of("solr-conf", "models");
    /** The pins {@code models/fetch} downloads from, relative to the checkout. */
    static final Path PINS = Path.of("models", "pins.txt");

    private final String name;
    private final Path modelsOption;
    private final List<Path> candidates;

    private CrossEncoderLookup(String name, Path modelsOption, List<Path> candidates) {
        this.name = name;
        this.modelsOption = modelsOption;
        this.candidates = candidates;
    }

    /** {@code modelsOption} is {@code --models} (null when not given). */
    static CrossEncoderLookup of(String name, Path modelsOption, Path sharedModels, Path fetchDest) {
        List<Path> dirs = modelsOption != null ? List.of(modelsOption) : List.of(sharedModels, fetchDest);
        return new CrossEncoderLookup(
                name,
                modelsOption,
                dirs.stream()
                        .map(d -> d.resolve(name).toAbsolutePath().normalize())
                        .toList());
    }

    /** The first candidate folder holding a model.onnx. */
    Optional<Path> find() {
        return candidates.stream()
                .filter(dir -> Files.isRegularFile(dir.resolve("model.onnx")))
                .findFirst();
    }

    /** What to tell the user when {@link #find()} found nothing; {@code fetchable} are the names the pins know. */
    String missingMessage(Set<String> fetchable) {
        String where =
                candidates.stream().map(d -> d.resolve("model.onnx").toString()).collect(Collectors.joining(" nor "));
        String message = "missing cross-encoder " + name + ": no " + where + "\n";
        if (fetchable.contains(name)) {
            return message + "install it with: models/fetch " + name
                    + (modelsOption != null ? " --dest " + modelsOption : "")
                    + "   (add --int8 for the quantized graph)";
        }
        return message
                + "put a model directory (model.onnx, tokenizer.json, config.json) there, or name its parent with "
                + "--models DIR";
    }

    /** The model names {@code pins} pins (first column of its non-comment lines); empty when the file is absent. */
    static Set<String> pinnedNames(Path pins) {
        if (!Files.isRegularFile(pins)) return Set.of();
        try (var lines = Files.lines(pins)) {
            return lines.map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(line -> line.split("\\s+")[0])
                    .collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pins, e);
        }
    }
}
