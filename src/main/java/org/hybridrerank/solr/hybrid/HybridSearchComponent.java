package org.hybridrerank.solr.hybrid;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.search.Sort;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.util.plugin.SolrCoreAware;
import org.hybridrerank.solr.config.ModelLocator;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.model.InferenceException;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.model.TextEmbedder;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.RerankScores;

/**
 * The first stage of two-stage retrieval: a BM25 (edismax) subquery and a kNN subquery over the request's
 * filters, fused with Reciprocal Rank Fusion; the fused candidates replace the main query, so the request's
 * {@code rq} reranks them and paging, fl, facets and highlighting work as usual. Registered as a
 * first-component: its prepare validates the parameters, and its process runs after QueryComponent has parsed
 * q and fq but before it searches. In SolrCloud the coordinator side ({@link DistributedHybrid}) fuses the
 * shards' lists globally and the shard side serves each phase of that flow.
 */
public class HybridSearchComponent extends SearchComponent implements SolrCoreAware {
    public static final String NAME = "hybrid";
    static final String CONTEXT = "solrconfig.xml <searchComponent name=\"hybrid\">";
    private static final Set<String> OWN_KEYS =
            Set.of("embedder", "embedderThreads", ModelLocator.EMBEDDER_MAX_LENGTH, "maxTopN");

    private NamedList<?> args = new NamedList<>();
    private SolrParams defaults = SolrParams.of();
    private int maxTopN = HybridParams.DEFAULT_MAX_TOP_N;
    private ModelRegistry.Lease<TextEmbedder> embedder;
    private volatile HybridMetrics metrics = HybridMetrics.unregistered();

    @Override
    public void init(NamedList<?> args) {
        this.args = args == null ? new NamedList<>() : args;
        ModifiableSolrParams preset = new ModifiableSolrParams();
        ParamReader config = ParamReader.forConfig(this.args.toSolrParams(), CONTEXT);
        for (Map.Entry<String, ?> entry : this.args) {
            String param = HybridParams.CONFIG_NAMES.get(entry.getKey());
            if (param != null) {
                preset.set(param, String.valueOf(entry.getValue()));
            } else if (!OWN_KEYS.contains(entry.getKey())) {
                throw config.error("unknown setting '" + entry.getKey() + "'; allowed: "
                        + new java.util.TreeSet<>(HybridParams.CONFIG_NAMES.keySet()) + " and "
                        + new java.util.TreeSet<>(OWN_KEYS));
            }
        }
        this.defaults = preset;
        this.maxTopN = config.intIn("maxTopN", HybridParams.DEFAULT_MAX_TOP_N, 1, 100_000);
    }

    @Override
    public void inform(SolrCore core) {
        ParamReader config = ParamReader.forConfig(args.toSolrParams(), CONTEXT);
        String embedderPath = config.string("embedder", null);
        if (embedderPath != null) {
            embedder = ModelLocator.acquireEmbedder(
                    embedderPath, config.intIn("embedderThreads", 0, 0, 1024), core.getResourceLoader(), config);
            core.addCloseHook(new CloseHook() {
                @Override
                public void preClose(SolrCore c) {
                    embedder.close();
                }
            });
        }
        String vectorField = defaults.get(HybridParams.VECTOR_FIELD);
        if (vectorField != null) {
            SchemaField field = core.getLatestSchema().getFieldOrNull(vectorField);
            if (field == null || !(field.getType() instanceof DenseVectorField dense)) {
                throw config.error(
                        "'vectorField' must name a DenseVectorField of the schema, got '" + vectorField + "'");
            }
            if (embedder != null && dense.getDimension() != embedder.model().dimension()) {
                throw config.error("vector field '" + vectorField + "' has dimension " + dense.getDimension()
                        + " but the embedder " + embedder.model().directory() + " produces "
                        + embedder.model().dimension());
            }
        }
    }

    @Override
    public void prepare(ResponseBuilder rb) {
        SolrParams params = rb.req.getParams();
        // shard requests were checked by their coordinator
        List<RequestSyntax.ParsedFilter> filters =
                params.getBool(ShardParams.IS_SHARD, false) ? List.of() : RequestSyntax.check(rb.req);
        ParamReader reader = ParamReader.forRequest(SolrParams.wrapDefaults(params, defaults), "hybrid");
        if (!reader.bool(HybridParams.ENABLED, false)) return;
        HybridParams hybrid = HybridParams.resolve(reader, maxTopN, params.get(CommonParams.Q), rb.req.getSchema());
        RequestSyntax.rejectGroupingFilters(filters);
        if (hybrid.mode().usesVector() && hybrid.vector() == null && embedder == null) {
            throw reader.error(
                    "no query vector: give '" + HybridParams.VECTOR + "' or configure an 'embedder' on the component");
        }
        RequestContext.setHybridParams(rb.req, hybrid);
    }

    /**
     * Elevated docs are not first-stage candidates: a hybrid request would drop them, or rank them as it may, where
     * Solr puts them on top. Refused rather than answered differently.
     */
    private static void rejectElevation(ResponseBuilder rb) {
        if (RequestContext.elevatedIds(rb.req) != null) {
            throw new SolrException(
                    SolrException.ErrorCode.BAD_REQUEST,
                    "hybrid: hybrid=true cannot be combined with query elevation (elevate.xml, elevateIds): elevated"
                            + " docs are not first-stage candidates; send the request with hybrid=false (plain"
                            + " rq={!crossencoder} keeps them on top) or enableElevation=false");
        }
    }

    @Override
    public void process(ResponseBuilder rb) throws IOException {
        HybridParams hybrid = RequestContext.hybridParams(rb.req);
        if (hybrid != null && ShardPhase.of(rb.req.getParams()) == ShardPhase.ONE_NODE) rejectElevation(rb);
        if (hybrid == null) {
            DistributedRerank.shardSide(rb); // plain {!crossencoder}: this shard's part of the global window
            return;
        }
        switch (ShardPhase.of(rb.req.getParams())) {
            case ONE_NODE -> searchOneNode(rb, hybrid);
            case LISTS -> ShardSide.lists(rb, hybrid, (b, h) -> runLists(b, h, new SimpleOrderedMap<>()));
            case CANDIDATES -> ShardSide.candidates(rb, hybrid);
            case TERM_STATS -> ShardSide.termStats(rb, hybrid);
            case NOTHING -> {}
        }
    }

    private void searchOneNode(ResponseBuilder rb, HybridParams hybrid) throws IOException {
        SimpleOrderedMap<Object> timings = new SimpleOrderedMap<>();
        RankedList[] lists = runLists(rb, hybrid, timings);
        long start = System.nanoTime();
        List<FusedCandidate> candidates = FirstStage.rank(hybrid, lists[0], lists[1]);
        CandidatesInstall.install(rb, hybrid, candidates, -1, Map.of());
        HybridMetrics.time(metrics.fuse, start, timings, "fuse");
        metrics.requests.inc();
        if (rb.isDebug()) {
            timings.add("mode", hybrid.mode().label());
            timings.add("lexicalHits", lists[0].size());
            timings.add("vectorHits", lists[1].size());
            timings.add("candidates", candidates.size());
            rb.addDebugInfo("hybrid", timings);
        }
    }

    /** The lexical and the vector list of this node's index (empty when the mode leaves one out). */
    private RankedList[] runLists(ResponseBuilder rb, HybridParams hybrid, SimpleOrderedMap<Object> timings)
            throws IOException {
        String text = rb.req.getParams().get(CommonParams.Q);
        RankedList lexical = RankedList.EMPTY;
        RankedList vector = RankedList.EMPTY;
        if (hybrid.mode().usesLexical()) {
            long start = System.nanoTime();
            lexical = LocalLists.lexical(rb, hybrid, text);
            HybridMetrics.time(metrics.lexical, start, timings, "lexical");
        }
        if (hybrid.mode().usesVector()) {
            float[] queryVector = queryVector(hybrid, text, timings);
            long start = System.nanoTime();
            vector = LocalLists.vector(rb, hybrid, queryVector);
            HybridMetrics.time(metrics.vector, start, timings, "vector");
        }
        return new RankedList[] {lexical, vector};
    }

    /**
     * The query vector: given in the request (or by the coordinator), else the embedded query text. The debug
     * section shows the model's query prefix, since a missing or wrong one degrades results without any error.
     */
    private float[] queryVector(HybridParams hybrid, String text, SimpleOrderedMap<Object> timings) {
        if (hybrid.vector() != null) return hybrid.vector();
        long start = System.nanoTime();
        timings.add("queryPrefix", embedder.model().settings().queryPrefix());
        try {
            return embedder.model().embedQuery(text);
        } catch (InferenceException e) {
            throw new SolrException(
                    SolrException.ErrorCode.SERVICE_UNAVAILABLE,
                    "hybrid: cannot embed the query: " + e.getMessage(),
                    e);
        } finally {
            HybridMetrics.time(metrics.embed, start, timings, "embed");
        }
    }

    // ---- SolrCloud coordinator (see DistributedHybrid) ----

    // ResponseBuilder.stage is deprecated without a replacement in Solr 9: every distributed component uses it
    @SuppressWarnings("deprecation")
    @Override
    public int distributedProcess(ResponseBuilder rb) {
        HybridParams hybrid = RequestContext.hybridParams(rb.req);
        if (hybrid == null) return DistributedRerank.distributedProcess(this, rb);
        rejectElevation(rb);
        if (rb.stage < DistributedHybrid.STAGE_LISTS) return DistributedHybrid.STAGE_LISTS;
        if (rb.stage == DistributedHybrid.STAGE_LISTS) {
            DistributedHybrid state = DistributedHybrid.start(rb, hybrid);
            float[] queryVector = hybrid.mode().usesVector()
                    ? queryVector(hybrid, rb.req.getParams().get(CommonParams.Q), state.timings())
                    : null;
            rb.addRequest(this, state.listsRequest(rb, queryVector));
        }
        return ResponseBuilder.STAGE_DONE;
    }

    @Override
    public void modifyRequest(ResponseBuilder rb, SearchComponent who, ShardRequest sreq) {
        DistributedHybrid state = DistributedHybrid.of(rb);
        if (state != null) state.addCandidates(rb, sreq);
        DistributedRerank plain = DistributedRerank.of(rb);
        if (plain != null) plain.addWindow(rb, sreq);
    }

    @Override
    public void handleResponses(ResponseBuilder rb, ShardRequest sreq) {
        DistributedRerank plain = DistributedRerank.of(rb);
        if (plain != null) {
            if (DistributedRerank.isFirstPassRequest(sreq)) {
                plain.mergeFirstPass(rb, sreq);
            } else if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0) {
                plain.collectTopIds(rb, sreq);
            }
            return;
        }
        DistributedHybrid state = DistributedHybrid.of(rb);
        if (state != null && DistributedHybrid.isListsRequest(sreq)) {
            long start = System.nanoTime();
            state.mergeLists(sreq);
            HybridMetrics.time(metrics.fuse, start, state.timings(), "fuse");
            metrics.requests.inc();
            if (rb.isDebug()) {
                state.timings().add("mode", state.mode().label());
                state.timings().add("candidates", state.candidateCount());
                rb.addDebugInfo("hybrid", state.timings());
            }
            return;
        }
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) == 0) return;
        if (state != null) state.collectTopIds(rb, sreq);
    }

    @SuppressWarnings("deprecation") // ResponseBuilder.stage, as in distributedProcess
    @Override
    public void finishStage(ResponseBuilder rb) {
        if (rb.stage != ResponseBuilder.STAGE_EXECUTE_QUERY) return;
        DistributedHybrid state = DistributedHybrid.of(rb);
        boolean scoreOrder =
                rb.getSortSpec().getSort() == null || rb.getSortSpec().getSort().equals(Sort.RELEVANCE);
        if (state != null && RerankScores.present(rb.req) && scoreOrder) state.reorderPage(rb);
        DistributedRerank plain = DistributedRerank.of(rb);
        // the parser refuses a sort not led by score desc; equal scores are ordered by unique key here
        if (plain != null) plain.reorderPage(rb);
    }

    @Override
    public void initializeMetrics(SolrMetricsContext parentContext, String scope) {
        super.initializeMetrics(parentContext, scope);
        metrics = HybridMetrics.register(getSolrMetricsContext(), getCategory().toString(), scope);
    }

    @Override
    public Category getCategory() {
        return Category.QUERY;
    }

    @Override
    public String getDescription() {
        return "Hybrid first stage: BM25 + kNN fused with Reciprocal Rank Fusion";
    }
}
