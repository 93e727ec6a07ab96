package org.hybridrerank.solr.rerank;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.util.ResourceLoader;
import org.apache.lucene.util.ResourceLoaderAware;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SolrResourceLoader;
import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;
import org.hybridrerank.solr.config.ModelLocator;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.model.Calibration;
import org.hybridrerank.solr.model.Closeables;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.DynamicQuantization;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ModelLoadException;
import org.hybridrerank.solr.model.ModelRegistry;

/**
 * {@code {!crossencoder}}: reranks the top K of any query with an ONNX cross-encoder. Models are named in
 * solrconfig.xml and loaded when the core loads (a broken model fails the load, naming the file); every other
 * setting there is a default that a request may override as a local param.
 *
 * <pre>
 * &lt;queryParser name="crossencoder" class="org.hybridrerank.solr.rerank.CrossEncoderQParserPlugin"&gt;
 *   &lt;str name="defaultModel"&gt;minilm&lt;/str&gt;
 *   &lt;lst name="models"&gt;
 *     &lt;lst name="minilm"&gt;&lt;str name="path"&gt;models/ms-marco-MiniLM-L-6-v2&lt;/str&gt;&lt;/lst&gt;
 *   &lt;/lst&gt;
 *   &lt;str name="fields"&gt;title,text&lt;/str&gt;
 * &lt;/queryParser&gt;
 * </pre>
 */
public class CrossEncoderQParserPlugin extends QParserPlugin implements ResourceLoaderAware, AutoCloseable {
    public static final String NAME = "crossencoder";
    static final String CONTEXT = "solrconfig.xml <queryParser name=\"" + NAME + "\">";

    private static final Set<String> MODEL_KEYS = Set.of(
            "path", "maxLength", "maxQueryLength", "batchSize", "threads", "windowOverlap", "output", "relevantColumn");
    private static final String SCORE_CACHE_NAME = "scoreCacheName";
    /** The user cache (solrconfig.xml {@code <cache name="...">}) that holds model scores, if configured. */
    public static final String DEFAULT_SCORE_CACHE_NAME = "crossencoderScores";

    private static final Set<String> PLUGIN_KEYS =
            Set.of("models", "defaultModel", RerankParams.MAX_RERANK_DOCS, SCORE_CACHE_NAME);

    private NamedList<?> args = new NamedList<>();
    private SolrParams defaults = SolrParams.of();
    private final Map<String, ModelRegistry.Lease<CrossEncoder>> leases = new LinkedHashMap<>();
    private Map<String, String> modelVersions = Map.of();
    /** The models whose folder holds a calibration (config.json "calibration", read at each core load). */
    private final Map<String, Calibration> calibrations = new LinkedHashMap<>();

    private String defaultModel;
    private int maxReRankDocs = RerankParams.DEFAULT_MAX_RERANK_DOCS;
    private String scoreCacheName = DEFAULT_SCORE_CACHE_NAME;
    private volatile RerankMetrics metrics = RerankMetrics.unregistered();
    private SolrMetricsContext metricsContext;

    @Override
    public void init(NamedList<?> args) {
        this.args = args == null ? new NamedList<>() : args;
        NamedList<Object> plain = new NamedList<>();
        for (Map.Entry<String, ?> entry : this.args) {
            if (!PLUGIN_KEYS.contains(entry.getKey())) plain.add(entry.getKey(), entry.getValue());
        }
        this.defaults = plain.toSolrParams();
    }

    @Override
    public void inform(ResourceLoader loader) {
        SolrResourceLoader solrLoader = (SolrResourceLoader) loader;
        SolrParams top = topLevelParams();
        ParamReader config = ParamReader.forConfig(top, CONTEXT);
        for (String key : (Iterable<String>) top::getParameterNamesIterator) {
            if (!PLUGIN_KEYS.contains(key) && !RerankParams.NAMES.contains(key)) {
                throw config.error("unknown setting '" + key + "'; allowed: " + new java.util.TreeSet<>(PLUGIN_KEYS)
                        + " and the request" + " defaults " + new java.util.TreeSet<>(RerankParams.NAMES));
            }
        }
        maxReRankDocs = config.intIn(RerankParams.MAX_RERANK_DOCS, RerankParams.DEFAULT_MAX_RERANK_DOCS, 1, 100_000);
        scoreCacheName = config.string(SCORE_CACHE_NAME, DEFAULT_SCORE_CACHE_NAME);

        Object models = args.get("models");
        if (!(models instanceof NamedList<?> modelList) || modelList.size() == 0) {
            throw config.error(
                    "'models' must be a <lst> with one <lst name=\"NAME\"><str name=\"path\">DIR</str></lst> per "
                            + "model");
        }
        try {
            Map<String, String> versions = new LinkedHashMap<>();
            for (Map.Entry<String, ?> entry : modelList) {
                if (!(entry.getValue() instanceof NamedList<?> spec)) {
                    throw config.error("model '" + entry.getKey() + "' must be a <lst> with at least a 'path'");
                }
                ModelRegistry.Lease<CrossEncoder> lease = load(entry.getKey(), spec, solrLoader);
                leases.put(entry.getKey(), lease);
                versions.put(entry.getKey(), lease.model().directory().version());
            }
            modelVersions = Collections.unmodifiableMap(versions);
            defaultModel =
                    config.string("defaultModel", versions.keySet().iterator().next());
            if (!versions.containsKey(defaultModel)) {
                throw config.error("'defaultModel' is '" + defaultModel + "' but configured models are "
                        + new ArrayList<>(versions.keySet()));
            }
            // the defaults must be valid on their own, so that a bad solrconfig.xml fails here and not per request
            RerankParams.resolve(
                    ParamReader.forConfig(defaults, CONTEXT),
                    modelVersions,
                    defaultModel,
                    maxReRankDocs,
                    null,
                    null,
                    calibrations);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private SolrParams topLevelParams() {
        NamedList<Object> top = new NamedList<>();
        for (Map.Entry<String, ?> entry : args) {
            if (!entry.getKey().equals("models")) top.add(entry.getKey(), entry.getValue());
        }
        return top.toSolrParams();
    }

    private ModelRegistry.Lease<CrossEncoder> load(String name, NamedList<?> spec, SolrResourceLoader loader) {
        String context = CONTEXT + " model '" + name + "'";
        ParamReader reader = ParamReader.forConfig(spec.toSolrParams(), context);
        for (Map.Entry<String, ?> entry : spec) {
            if (!MODEL_KEYS.contains(entry.getKey())) {
                throw reader.error("unknown setting '" + entry.getKey() + "'; allowed: " + MODEL_KEYS);
            }
        }
        String rawPath = reader.string("path", null);
        if (rawPath == null || rawPath.isBlank()) {
            throw reader.error("'path' is required: a directory with model.onnx and tokenizer.json");
        }
        Path dir = ModelLocator.resolve(rawPath, loader, reader);
        try {
            ModelDirectory directory = ModelDirectory.open(dir);
            // read from this load's config.json, not from a shared model loaded earlier
            Calibration calibration = Calibration.of(directory);
            if (calibration != null) calibrations.put(name, calibration);
            CrossEncoderSettings.Builder settings = CrossEncoderSettings.defaultsFor(directory);
            settings.maxLength(reader.intIn(
                    "maxLength", directory.configInt("max_length", CrossEncoderSettings.DEFAULT_MAX_LENGTH), 8, 8192));
            settings.maxQueryLength(
                    reader.intIn("maxQueryLength", CrossEncoderSettings.DEFAULT_MAX_QUERY_LENGTH, 1, 8192));
            boolean quantized = DynamicQuantization.in(directory.modelFile());
            int batchSize = reader.intIn("batchSize", quantized ? 1 : CrossEncoderSettings.DEFAULT_BATCH_SIZE, 1, 4096);
            if (quantized && batchSize > 1)
                ModelLocator.warnBatchDependentScores(context, directory.modelFile(), batchSize);
            settings.batchSize(batchSize);
            if (reader.intIn("threads", 0, 0, 1024) != 0) ModelLocator.warnThreadsIgnored(context, "threads");
            if (spec.get("windowOverlap") != null) settings.windowOverlap(reader.intIn("windowOverlap", 0, 0, 8192));
            if (spec.get("output") != null) settings.outputName(reader.string("output", null));
            if (spec.get("relevantColumn") != null) settings.relevantColumn(reader.intIn("relevantColumn", 1, 0, 1024));
            CrossEncoderSettings built;
            try {
                built = settings.build();
            } catch (IllegalArgumentException e) {
                throw reader.error(e.getMessage() + " (model " + dir + ")");
            }
            return ModelRegistry.shared().acquire(directory, built, d -> CrossEncoder.load(d, built));
        } catch (ModelLoadException e) {
            throw new SolrException(SolrException.ErrorCode.SERVER_ERROR, context + ": " + e.getMessage(), e);
        }
    }

    @Override
    public QParser createParser(String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req) {
        return new CrossEncoderQParser(qstr, localParams, params, req, this);
    }

    SolrParams defaults() {
        return defaults;
    }

    Map<String, Calibration> calibrations() {
        return calibrations;
    }

    /** The calibration of a configured model, or null when its folder has none. */
    public Calibration calibration(String model) {
        return calibrations.get(model);
    }

    /** A configured model by name, or null: for components that read with the rerank's tokenizer. */
    public CrossEncoder crossEncoder(String name) {
        ModelRegistry.Lease<CrossEncoder> lease = leases.get(name);
        return lease == null ? null : lease.model();
    }

    /**
     * The rerank settings of a request that has no {@code {!crossencoder}} of its own (its defaults from
     * solrconfig.xml), for components that need the model text's fields or the default model.
     */
    public RerankParams requestDefaults(String queryText, org.apache.solr.schema.IndexSchema schema) {
        return RerankParams.resolve(
                ParamReader.forRequest(defaults, "{!crossencoder}"),
                modelVersions,
                defaultModel,
                maxReRankDocs,
                queryText,
                schema,
                calibrations);
    }

    Map<String, String> modelVersions() {
        return modelVersions;
    }

    String defaultModel() {
        return defaultModel;
    }

    int maxReRankDocs() {
        return maxReRankDocs;
    }

    RerankMetrics metrics() {
        return metrics;
    }

    String scoreCacheName() {
        return scoreCacheName;
    }

    /** The metrics scope: {@code QUERYPARSER.crossencoder.*} in Solr's metrics API. */
    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getDescription() {
        return "Reranks the top K of a query with an ONNX cross-encoder";
    }

    @Override
    public void initializeMetrics(SolrMetricsContext parentContext, String scope) {
        metricsContext = parentContext.getChildContext(this);
        metrics = RerankMetrics.register(metricsContext, getCategory().toString(), scope);
    }

    @Override
    public SolrMetricsContext getSolrMetricsContext() {
        return metricsContext;
    }

    CrossEncoder model(String name) {
        return leases.get(name).model();
    }

    /** Model names, for tools and tests. */
    public List<String> modelNames() {
        return new ArrayList<>(modelVersions.keySet());
    }

    @Override
    public void close() {
        List<ModelRegistry.Lease<CrossEncoder>> held = new ArrayList<>(leases.values());
        leases.clear();
        try {
            Closeables.closeAll(CONTEXT + " models", held);
        } finally {
            if (metricsContext != null) metricsContext.unregister();
        }
    }
}
