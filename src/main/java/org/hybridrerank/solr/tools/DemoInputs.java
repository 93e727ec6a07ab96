package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.hybridrerank.solr.model.ModelDirectory;

/**
 * What {@code bin/demo} serves, and where it comes from. With the shared folder ({@code ../shared} or
 * {@code HYBRID_SHARED_DIR}) holding them: the SciFact-tuned cross-encoder and SciFact from there, nothing
 * downloaded. Without: the public cross-encoder ms-marco-MiniLM-L-6-v2 (int8, installed by {@code models/fetch})
 * and SciFact from BEIR (installed by {@code bin/fetch-data} into {@code data/}), each fetched once, at startup,
 * by those commands (pinned, checked, resumable), then reused. {@link #reranker} and {@link #dataset} only look;
 * {@link #ensure} fetches what is missing.
 */
final class DemoInputs {
    /** The demo's reranker where the shared folder (or solr-conf/models) has it: tuned on SciFact, int8. */
    static final String TUNED_RERANKER = "scifact-minilm-l6-ce-int8";
    /** The demo's reranker everywhere else: public, pinned in models/pins.txt. */
    static final String PUBLIC_RERANKER = "ms-marco-MiniLM-L-6-v2";
    /**
     * The public reranker's graph: the dynamically quantized int8 export, at its training length (512, its
     * config.json). The rule the project measured on its own model (int8 at the training length beat fp32 on both
     * nDCG@10 and latency); not measured for the public model here (docs/data-and-models.md).
     */
    static final String PUBLIC_VARIANT = "int8";
    /** The demo's dataset. */
    static final String DATASET = "scifact";

    /** Where inputs are looked for, where missing ones go, and the commands (and their pins) that fetch them. */
    record Settings(
            Path shared,
            Path modelDest,
            Path modelPins,
            Path modelFetch,
            Path dataDest,
            Path dataPins,
            Path dataFetch,
            String hfEndpoint,
            String dataBaseUrl,
            Redirect out,
            Redirect err) {
        /**
         * bin/demo's: paths relative to the checkout (bin/_run runs there); {@code -Dhybrid.data.dir} (default
         * {@code data}), {@code -Dhybrid.hf.endpoint} and {@code -Dhybrid.data.base.url} override the download
         * folder and servers (otherwise the commands read {@code HF_ENDPOINT} and {@code BEIR_BASE_URL}).
         */
        static Settings defaults(Path shared) {
            return new Settings(
                    shared,
                    CrossEncoderLookup.FETCH_DEST,
                    CrossEncoderLookup.PINS,
                    Path.of("models", "fetch"),
                    Path.of(System.getProperty("hybrid.data.dir", "data")),
                    Path.of("bin", "data-pins.txt"),
                    Path.of("bin", "fetch-data"),
                    System.getProperty("hybrid.hf.endpoint"),
                    System.getProperty("hybrid.data.base.url"),
                    Redirect.INHERIT,
                    Redirect.INHERIT);
        }
    }

    /**
     * One input: the folder to use (for a cross-encoder, the folder holding model.onnx), its name, where it comes
     * from in words, and the command that installs it ({@code null} when it is already there).
     */
    record Input(Path path, String name, String origin, List<String> fetch, String missing) {
        /** The demo's line about this input, e.g. {@code reranker: NAME from the shared folder (PATH)}. */
        String banner(String role) {
            return role + ": " + name + ", " + origin + " (" + path + ")";
        }

        boolean present() {
            return fetch == null && missing == null;
        }
    }

    /** A fetch command failed; it printed why (one line naming the URL), so the demo only stops. */
    static final class FetchFailed extends Exception {
        final int exit;

        FetchFailed(String command, int exit) {
            super(command + " exited with " + exit);
            this.exit = exit;
        }
    }

    private final Settings settings;

    DemoInputs(Settings settings) {
        this.settings = settings;
    }

    /**
     * The cross-encoder to serve. {@code name} is {@code --cross-encoder} (null: the tuned one when found, else the
     * public one); {@code modelsOption} is {@code --models} (null: the shared models, then solr-conf/models). Only a
     * model that models/pins.txt pins, looked for without --models, is fetched.
     */
    /**
     * Tokens the demo's reranker reads per (query, document): the example configset's 128 for the tuned model (the
     * length its model card says it was trained at), and for any other model the length in its config.json
     * ({@code max_length}: 512 for ms-marco-MiniLM-L-6-v2, the length it was trained at).
     */
    static int readerLength(String name, Path modelDir) {
        if (TUNED_RERANKER.equals(name)) return TUNED_READER_LENGTH;
        return ModelDirectory.open(modelDir).configInt("max_length", TUNED_READER_LENGTH);
    }

    /** The example configset's maxLength (solr-conf/solrconfig.xml), the tuned model's training length. */
    static final int TUNED_READER_LENGTH = 128;

    Input reranker(String name, Path modelsOption) {
        Path sharedModels = settings.shared().resolve("models");
        if (name == null) {
            CrossEncoderLookup tuned =
                    CrossEncoderLookup.of(TUNED_RERANKER, modelsOption, sharedModels, settings.modelDest());
            name = tuned.find().isPresent() ? TUNED_RERANKER : PUBLIC_RERANKER;
        }
        CrossEncoderLookup lookup = CrossEncoderLookup.of(name, modelsOption, sharedModels, settings.modelDest());
        Optional<Path> found = lookup.find();
        if (found.isPresent())
            return new Input(found.get(), name, originOf(found.get(), name, modelsOption), null, null);
        Path target = settings.modelDest().resolve(name).toAbsolutePath().normalize();
        Optional<String[]> pin = modelPin(name, PUBLIC_VARIANT);
        if (modelsOption != null || pin.isEmpty()) {
            return new Input(
                    target,
                    name,
                    "missing",
                    null,
                    lookup.missingMessage(CrossEncoderLookup.pinnedNames(settings.modelPins())));
        }
        List<String> command = new ArrayList<>(List.of(
                "bash",
                settings.modelFetch().toString(),
                name,
                "--" + PUBLIC_VARIANT,
                "--dest",
                settings.modelDest().toAbsolutePath().toString(),
                "--pins",
                settings.modelPins().toAbsolutePath().toString()));
        if (settings.hfEndpoint() != null) command.addAll(List.of("--base-url", settings.hfEndpoint()));
        String[] p = pin.get();
        return new Input(
                target,
                name,
                "not installed yet: downloading the " + PUBLIC_VARIANT + " export " + p[2] + " at pinned revision "
                        + p[3] + " with models/fetch",
                command,
                null);
    }

    /** The dataset to serve: {@code --dataset} when given, else SciFact from the shared folder, else from data/. */
    Input dataset(Path datasetOption) {
        if (datasetOption != null) {
            Path dir = datasetOption.toAbsolutePath().normalize();
            Path name = dir.getFileName();
            return new Input(dir, name == null ? dir.toString() : name.toString(), "given with --dataset", null, null);
        }
        Path shared = settings.shared()
                .resolve("datasets")
                .resolve(DATASET)
                .toAbsolutePath()
                .normalize();
        if (Files.isDirectory(shared)) return new Input(shared, DATASET, "from the shared folder", null, null);
        Path target = settings.dataDest().resolve(DATASET).toAbsolutePath().normalize();
        Path marker = target.resolve(".fetched");
        if (Files.isRegularFile(marker)) {
            String[] fetched = read(marker).strip().split("\\s+", 3);
            String from =
                    fetched.length == 3 ? fetched[2] + " (" + fetched[0] + " " + fetched[1] + ")" : "a pinned zip";
            return new Input(target, DATASET, "downloaded earlier by bin/fetch-data from " + from, null, null);
        }
        if (Files.isRegularFile(target.resolve("corpus.jsonl"))) {
            return new Input(
                    target, DATASET, "found in the download folder (not installed by bin/fetch-data)", null, null);
        }
        String[] pin = dataPin(DATASET).orElse(null);
        if (pin == null) {
            return new Input(
                    target,
                    DATASET,
                    "missing",
                    null,
                    "missing dataset " + DATASET + ": no " + shared + " nor " + target + ", and " + settings.dataPins()
                            + " does not pin it (name one with --dataset DIR)");
        }
        String url = pin[1];
        if (settings.dataBaseUrl() != null) url = settings.dataBaseUrl().replaceAll("/+$", "") + "/" + fileName(url);
        List<String> command = new ArrayList<>(List.of(
                "bash",
                settings.dataFetch().toString(),
                DATASET,
                "--dest",
                settings.dataDest().toAbsolutePath().toString(),
                "--pins",
                settings.dataPins().toAbsolutePath().toString()));
        if (settings.dataBaseUrl() != null) command.addAll(List.of("--base-url", settings.dataBaseUrl()));
        return new Input(
                target,
                DATASET,
                "not installed yet: downloading " + url + " (" + pin[3] + " " + pin[4] + ") with bin/fetch-data",
                command,
                null);
    }

    /**
     * The input's folder, after running its fetch command when it is missing (its output goes to the demo's).
     *
     * @throws FetchFailed when the command failed (it said why)
     * @throws IllegalStateException when the input is missing and nothing pins it (the message says what to do)
     */
    Path ensure(Input input) throws IOException, InterruptedException, FetchFailed {
        if (input.missing() != null) throw new IllegalStateException(input.missing());
        if (input.fetch() == null) return input.path();
        System.out.flush();
        System.err.flush();
        Process process = new ProcessBuilder(input.fetch())
                .redirectInput(Redirect.INHERIT)
                .redirectOutput(settings.out())
                .redirectError(settings.err())
                .start();
        int exit = process.waitFor();
        if (exit != 0) throw new FetchFailed(String.join(" ", input.fetch()), exit);
        return input.path();
    }

    /** Says where the found model folder is and, for one models/fetch installed, which pinned file it holds. */
    private String originOf(Path dir, String name, Path modelsOption) {
        if (modelsOption != null) return "from --models";
        Path shared = settings.shared().resolve("models").toAbsolutePath().normalize();
        if (dir.startsWith(shared)) return "from the shared folder";
        String sha = sha256(dir.resolve("model.onnx"));
        for (String[] pin : modelPins(name)) {
            if (pin[6].equals(sha) && pin[7].equals("model.onnx")) {
                return pin[1] + ", downloaded earlier by models/fetch from " + pin[2] + " at pinned revision " + pin[3];
            }
        }
        return "installed in " + settings.modelDest() + " (not a pinned download: a mirror copy or placed by hand)";
    }

    /** The pinned model.onnx of {@code name} for {@code variant}: the pins line's fields. */
    private Optional<String[]> modelPin(String name, String variant) {
        return modelPins(name).stream()
                .filter(p -> p[1].equals(variant) && p[7].equals("model.onnx"))
                .findFirst();
    }

    private List<String[]> modelPins(String name) {
        return pinLines(settings.modelPins())
                .filter(p -> p.length == 8 && p[0].equals(name))
                .toList();
    }

    private Optional<String[]> dataPin(String name) {
        return pinLines(settings.dataPins())
                .filter(p -> p.length == 5 && p[0].equals(name))
                .findFirst();
    }

    private static Stream<String[]> pinLines(Path pins) {
        if (!Files.isRegularFile(pins)) return Stream.empty();
        return read(pins)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .map(line -> line.split("\\s+"));
    }

    private static String fileName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
