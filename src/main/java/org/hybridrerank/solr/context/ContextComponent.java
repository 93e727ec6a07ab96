package org.hybridrerank.solr.context;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.GroupParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardDoc;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.QParserPlugin;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.LongDocs;
import org.hybridrerank.solr.request.RequestContext;
import org.hybridrerank.solr.rerank.CrossEncoderQParserPlugin;
import org.hybridrerank.solr.rerank.DocumentText;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankParams;
import org.hybridrerank.solr.rerank.RerankScores;
import org.hybridrerank.solr.rerank.RerankStatus;
import org.hybridrerank.solr.rerank.UniqueKeys;

/**
 * {@code context=true&context.tokens=N}: a top-level {@code context} section holding the returned page's passages
 * in final order, packed into a token budget for an LLM prompt ({@link ContextPacker}). A reranked doc contributes
 * the passage the cross-encoder read (ce_passage), with its calibrated confidence when the model has a
 * calibration; any other doc its head ({@link ContextPassages}). Register it as a last-component of the search
 * handler.
 *
 * <p>On SolrCloud the coordinator packs: the shards' top-ids responses carry the reranked docs' model scores and
 * passages, the field-fetching responses the page docs' model texts, and the coordinator computes the same
 * passages, counts and packing as one node does.
 */
public class ContextComponent extends SearchComponent {
    public static final String NAME = "context";
    public static final String ENABLED = "context";
    public static final String TOKENS = "context.tokens";
    public static final String MIN_CONFIDENCE = "context.minConfidence";
    public static final String TOKENIZER = "context.tokenizer";
    public static final int MAX_TOKENS = 1_000_000;

    /** Shard request parameter: the fields and separator of the model text to return for the page docs. */
    static final String SHARD_TEXT = "context.shard.text";
    /** Shard response section: the page docs' model texts by unique key. */
    static final String SHARD_TEXTS = "context.texts";

    private static final String KEY = ContextComponent.class.getName();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The parser whose models, tokenizer and model text the context uses. */
    private String parserName = CrossEncoderQParserPlugin.NAME;

    /** A validated context request, and on a coordinator what the shards sent. */
    private static final class State {
        final int budget;
        final Double minConfidence;
        final String tokenizer;
        final RerankParams rerank;
        final CrossEncoderQParserPlugin plugin;
        final Map<String, ModelScore> modelScores = new HashMap<>();
        final Map<String, String> texts = new HashMap<>();

        State(
                int budget,
                Double minConfidence,
                String tokenizer,
                RerankParams rerank,
                CrossEncoderQParserPlugin plugin) {
            this.budget = budget;
            this.minConfidence = minConfidence;
            this.tokenizer = tokenizer;
            this.rerank = rerank;
            this.plugin = plugin;
        }
    }

    @Override
    public void init(NamedList<?> args) {
        super.init(args);
        Object parser = args == null ? null : args.get("parser");
        if (parser != null) parserName = parser.toString();
    }

    @Override
    public void prepare(ResponseBuilder rb) {
        SolrParams params = rb.req.getParams();
        if (params.getBool(ShardParams.IS_SHARD, false)) return; // the coordinator validated and packs
        ParamReader reader = ParamReader.forRequest(params, "context");
        if (!reader.bool(ENABLED, false)) return;
        String tokensRaw = params.get(TOKENS);
        if (tokensRaw == null) {
            throw reader.error("parameter '" + TOKENS + "' is required with context=true: the token budget, an "
                    + "integer in [1, " + MAX_TOKENS + "]");
        }
        int budget = reader.intIn(TOKENS, 0, 1, MAX_TOKENS);
        Double minConfidence = reader.finiteDouble(MIN_CONFIDENCE, null);
        if (minConfidence != null && (minConfidence < 0 || minConfidence > 1)) {
            throw reader.error("parameter '" + MIN_CONFIDENCE + "' must be a number in [0, 1], got " + minConfidence);
        }
        if (params.getBool(GroupParams.GROUP, false)) {
            throw reader.error("context=true cannot be combined with group=true: it packs the page's docs");
        }
        QParserPlugin found = rb.req.getCore().getQueryPlugin(parserName);
        if (!(found instanceof CrossEncoderQParserPlugin plugin)) {
            throw reader.error("context=true needs the {!" + parserName + "} query parser configured: its model text,"
                    + " passages and tokenizer make the context");
        }
        RerankParams rerank = RerankScores.paramsOf(rb.req);
        if (rerank == null) rerank = plugin.requestDefaults(params.get(CommonParams.Q), rb.req.getSchema());
        String tokenizer = reader.string(TOKENIZER, rerank.model());
        if (plugin.crossEncoder(tokenizer) == null) {
            throw reader.error("parameter '" + TOKENIZER + "' names no configured model: '"
                    + ParamReader.abbreviate(tokenizer) + "'; configured models are " + plugin.modelNames());
        }
        boolean reranks = RerankScores.paramsOf(rb.req) != null && rerank.enabled();
        if (minConfidence != null && !reranks) {
            throw reader.error("parameter '" + MIN_CONFIDENCE + "' needs confidences, which only a request reranked by"
                    + " {!" + parserName + "} gives (this request has no enabled rq={!" + parserName + "})");
        }
        if (minConfidence != null && rerank.calibration() == null) {
            throw reader.error("parameter '" + MIN_CONFIDENCE + "' needs a calibrated model, and model '"
                    + rerank.model() + "' has no calibration (config.json \"calibration\", fitted by bin/calibrate)");
        }
        if (reranks && rerank.scoring().longDocs() == LongDocs.WINDOW) {
            throw reader.error("context=true needs the passage the model read, and longDocs=window pools several "
                    + "windows into one score: use longDocs=truncate or best");
        }
        rb.req.getContext().put(KEY, new State(budget, minConfidence, tokenizer, rerank, plugin));
    }

    private static State state(ResponseBuilder rb) {
        return (State) rb.req.getContext().get(KEY);
    }

    @Override
    public void process(ResponseBuilder rb) throws IOException {
        String shardText = rb.req.getParams().get(SHARD_TEXT);
        if (shardText != null) {
            shardTexts(rb, shardText);
            return;
        }
        State state = state(rb);
        if (state == null || rb.getResults() == null || rb.getResults().docList == null) return;
        DocList page = rb.getResults().docList;
        int[] docs = new int[page.size()];
        DocIterator it = page.iterator();
        for (int i = 0; it.hasNext(); i++) docs[i] = it.nextDoc();
        SolrIndexSearcher searcher = rb.req.getSearcher();
        DocumentText text = new DocumentText(state.rerank.fields(), state.rerank.fieldSeparator());
        ContextPassages.PageLoader loader = (from, to) -> {
            int[] chunk = java.util.Arrays.copyOfRange(docs, from, to);
            String[] keys = UniqueKeys.of(searcher, chunk);
            String[] texts = text.load(searcher, chunk);
            List<ContextPassages.Doc> out = new ArrayList<>(chunk.length);
            for (int i = 0; i < chunk.length; i++) {
                out.add(new ContextPassages.Doc(keys[i], texts[i], RerankScores.modelScoreOf(rb.req, chunk[i])));
            }
            return out;
        };
        rb.rsp.add(NAME, section(state, docs.length, loader));
    }

    /** A shard's field-fetching request: the model texts of the docs it returns. */
    private static void shardTexts(ResponseBuilder rb, String raw) throws IOException {
        if (rb.getResults() == null || rb.getResults().docList == null) return;
        List<String> fields = new ArrayList<>();
        String separator;
        try {
            Map<?, ?> spec = JSON.readValue(raw, Map.class);
            for (Object field : (List<?>) spec.get("fields")) {
                String name = (String) field;
                if (rb.req.getSchema().getFieldOrNull(name) == null) throw new IllegalArgumentException(name);
                fields.add(name);
            }
            separator = (String) spec.get("separator");
            if (fields.isEmpty() || separator == null) throw new IllegalArgumentException("no fields or separator");
        } catch (IOException | RuntimeException e) {
            throw new SolrException(
                    SolrException.ErrorCode.BAD_REQUEST,
                    "internal shard parameter '" + SHARD_TEXT + "' is malformed (set by the SolrCloud coordinator): "
                            + e.getMessage());
        }
        DocList page = rb.getResults().docList;
        int[] docs = new int[page.size()];
        DocIterator it = page.iterator();
        for (int i = 0; it.hasNext(); i++) docs[i] = it.nextDoc();
        SolrIndexSearcher searcher = rb.req.getSearcher();
        String[] keys = UniqueKeys.of(searcher, docs);
        String[] texts = new DocumentText(fields, separator).load(searcher, docs);
        SimpleOrderedMap<Object> section = new SimpleOrderedMap<>();
        for (int i = 0; i < docs.length; i++) section.add(keys[i], texts[i]);
        rb.rsp.add(SHARD_TEXTS, section);
    }

    /** The response section: the packed passages, the tokens used and why packing ended. */
    private static SimpleOrderedMap<Object> section(State state, int pageSize, ContextPassages.PageLoader page) {
        CrossEncoder reader = state.plugin.crossEncoder(state.rerank.model());
        CrossEncoder counter = state.plugin.crossEncoder(state.tokenizer);
        ContextPacker.Packed packed = ContextPacker.pack(
                ContextPassages.lazily(pageSize, page, state.rerank, reader, counter),
                state.budget,
                state.minConfidence);
        SimpleOrderedMap<Object> out = new SimpleOrderedMap<>();
        out.add("tokenizer", state.tokenizer);
        out.add("budget", state.budget);
        if (state.minConfidence != null) out.add("minConfidence", state.minConfidence);
        out.add("tokensUsed", packed.tokensUsed());
        out.add("stoppedBy", packed.stoppedBy().label());
        List<Object> entries = new ArrayList<>();
        for (ContextPacker.Passage p : packed.passages()) {
            SimpleOrderedMap<Object> entry = new SimpleOrderedMap<>();
            entry.add("id", p.id());
            entry.add("reranked", p.reranked());
            entry.add("span", List.of(p.start(), p.end()));
            entry.add("tokens", p.tokens());
            if (p.confidence() != null) entry.add("confidence", p.confidence());
            entry.add("text", p.text());
            entries.add(entry);
        }
        out.add("passages", entries);
        return out;
    }

    // ---- SolrCloud coordinator ----

    @Override
    public void modifyRequest(ResponseBuilder rb, SearchComponent who, ShardRequest sreq) {
        State state = state(rb);
        if (state == null || (sreq.purpose & ShardRequest.PURPOSE_PRIVATE) != 0) return;
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0 && rb.onePassDistributedQuery) {
            // the texts come with the field-fetching requests of the final page
            sreq.purpose &= ~ShardRequest.PURPOSE_GET_FIELDS;
            rb.onePassDistributedQuery = false;
        }
        if ((sreq.purpose & ShardRequest.PURPOSE_GET_FIELDS) != 0) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("fields", state.rerank.fields());
            spec.put("separator", state.rerank.fieldSeparator());
            try {
                sreq.params.set(SHARD_TEXT, JSON.writeValueAsString(spec));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void handleResponses(ResponseBuilder rb, ShardRequest sreq) {
        State state = state(rb);
        if (state == null || (sreq.purpose & ShardRequest.PURPOSE_PRIVATE) != 0) return;
        for (ShardResponse srsp : sreq.responses) {
            if (srsp.getException() != null || srsp.getSolrResponse() == null) continue;
            NamedList<Object> response = srsp.getSolrResponse().getResponse();
            if (response == null) continue;
            if ((sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0) {
                forEach(
                        response.get(RerankScores.SHARD_SECTION),
                        (key, value) -> state.modelScores.put(key, ModelScore.fromEntry((List<?>) value)));
            }
            if ((sreq.purpose & ShardRequest.PURPOSE_GET_FIELDS) != 0) {
                forEach(response.get(SHARD_TEXTS), (key, value) -> state.texts.put(key, value.toString()));
            }
        }
    }

    private static void forEach(Object section, java.util.function.BiConsumer<String, Object> action) {
        if (section instanceof Map<?, ?> map) {
            map.forEach((k, v) -> action.accept(k.toString(), v));
        } else if (section instanceof NamedList<?> list) {
            list.forEach(e -> action.accept(e.getKey(), e.getValue()));
        }
    }

    @SuppressWarnings("deprecation") // ResponseBuilder.stage: no replacement in Solr 9
    @Override
    public void finishStage(ResponseBuilder rb) {
        State state = state(rb);
        if (state == null || rb.stage != ResponseBuilder.STAGE_GET_FIELDS) return;
        Collection<ShardDoc> docs = rb.resultIds == null ? List.of() : rb.resultIds.values();
        List<ShardDoc> page = new ArrayList<>(docs);
        page.sort(Comparator.comparingInt(d -> d.positionInResponse));
        // one node reports model scores only for a rerank that succeeded (a failed one returns first-pass order),
        // and after a partial one only for the scored prefix the coordinator ranked as the window
        Object status = rb.rsp.getResponseHeader().get(RequestContext.STATUS_HEADER);
        Set<String> covered = RequestContext.coveredKeys(rb.req);
        boolean partial = RerankStatus.PARTIAL.label().equals(status);
        boolean reranked = RerankStatus.OK.label().equals(status) || (partial && covered != null);
        List<ContextPassages.Doc> ranked = new ArrayList<>(page.size());
        for (ShardDoc doc : page) {
            String key = doc.id.toString();
            String text = state.texts.get(key);
            if (text == null) continue; // its shard failed to return it (shards.tolerant): it is not on the page
            boolean scored = reranked && (!partial || covered.contains(key));
            ranked.add(new ContextPassages.Doc(key, text, scored ? state.modelScores.get(key) : null));
        }
        rb.rsp.add(NAME, section(state, ranked.size(), (from, to) -> ranked.subList(from, to)));
    }

    @Override
    public String getDescription() {
        return "Packs the page's passages into a token budget (context=true)";
    }
}
