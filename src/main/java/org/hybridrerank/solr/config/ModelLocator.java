package org.hybridrerank.solr.config;

import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.solr.common.SolrException;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.core.SolrResourceLoader;
import org.hybridrerank.solr.model.EmbedderSettings;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ModelLoadException;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.model.OnnxRuntimeEnvironment;
import org.hybridrerank.solr.model.TextEmbedder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where solrconfig.xml's model paths point, and loading the shared models found there. */
public final class ModelLocator {
    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

    private ModelLocator() {}

    /** Relative paths are under the core's conf directory; any path must be inside Solr's allowed paths. */
    public static Path resolve(String rawPath, SolrResourceLoader loader, ParamReader reader) {
        Path path = Path.of(rawPath);
        if (!path.isAbsolute()) {
            Path base = loader.getConfigPath();
            if (base == null || !Files.isDirectory(base)) base = loader.getInstancePath();
            path = base.resolve(path);
        }
        path = path.normalize();
        CoreContainer container = loader.getCoreContainer();
        if (container != null) {
            try {
                container.assertPathAllowed(path);
            } catch (SolrException e) {
                throw reader.error("model path " + path
                        + " is outside Solr's allowed paths; add it to solr.allowPaths (" + e.getMessage() + ")");
            }
        }
        return path;
    }

    /** The optional solrconfig override of the model's {@code max_length}, on the component and the processor. */
    public static final String EMBEDDER_MAX_LENGTH = "embedderMaxLength";

    /**
     * The shared embedder at {@code rawPath}; a broken one fails with the path and {@code context}. The reader's
     * {@value #EMBEDDER_MAX_LENGTH}, when set, replaces the token budget of the model's config.json.
     *
     * @param threads the deprecated per-component thread setting: ignored (with a warning when set), since all
     *     sessions share {@link OnnxRuntimeEnvironment}'s pool
     */
    public static ModelRegistry.Lease<TextEmbedder> acquireEmbedder(
            String rawPath, int threads, SolrResourceLoader loader, ParamReader reader) {
        if (threads != 0) warnThreadsIgnored(reader.context(), "embedderThreads");
        Path dir = resolve(rawPath, loader, reader);
        try {
            ModelDirectory directory = ModelDirectory.open(dir);
            EmbedderSettings settings = EmbedderSettings.defaultsFor(directory);
            if (reader.string(EMBEDDER_MAX_LENGTH, null) != null) {
                settings = settings.withMaxLength(reader.intIn(
                        EMBEDDER_MAX_LENGTH, 0, EmbedderSettings.MIN_MAX_LENGTH, EmbedderSettings.MAX_MAX_LENGTH));
            }
            EmbedderSettings chosen = settings;
            return ModelRegistry.shared().acquire(directory, chosen, d -> TextEmbedder.load(d, chosen));
        } catch (ModelLoadException e) {
            throw reader.error("embedder: " + e.getMessage());
        }
    }

    /** Per-model thread settings predate the JVM-wide pool; they are still accepted so that old configs load. */
    public static void warnThreadsIgnored(String context, String setting) {
        log.warn(
                "{}: '{}' is ignored: all ONNX Runtime sessions share one thread pool, sized by the system property {}",
                context,
                setting,
                OnnxRuntimeEnvironment.THREADS_PROPERTY);
    }

    /**
     * A dynamically quantized graph scales activations per call, so with more than one pair per call a doc's score
     * depends on the docs batched with it: K, paging, the score cache and SolrCloud shards then change scores.
     */
    public static void warnBatchDependentScores(String context, Path modelFile, int batchSize) {
        log.warn(
                "{}: {} quantizes activations dynamically; with batchSize {} a doc's score depends on the docs batched "
                        + "with it (results change with K, the score cache and SolrCloud sharding); batchSize 1, the "
                        + "default for such graphs, keeps scores independent",
                context,
                modelFile,
                batchSize);
    }
}
