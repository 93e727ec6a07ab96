package org.hybridrerank.solr.update;

import com.codahale.metrics.Counter;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrDocumentBase;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.SolrInputField;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.update.AddUpdateCommand;
import org.apache.solr.update.processor.UpdateRequestProcessor;
import org.apache.solr.update.processor.UpdateRequestProcessorFactory;
import org.apache.solr.util.plugin.SolrCoreAware;
import org.hybridrerank.solr.config.ModelLocator;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.model.InferenceException;
import org.hybridrerank.solr.model.ModelClosedException;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.model.TextEmbedder;

/**
 * Fills a DenseVectorField from text fields at index time with the same embedder the search side uses.
 * A document with no text gets no vector, one that already has a vector keeps it, and one whose embedding
 * fails is rejected on its own, with its id, before the next document is read.
 *
 * <p>Each document is embedded inside its own {@code processAdd}: processors before this one (such as
 * {@code TolerantUpdateProcessorFactory}) charge an exception to the command it was thrown for, so an embedding
 * deferred to a later call would be charged to another document. Batching several documents would not be
 * faster anyway: the embedder runs one text per inference call, so that a vector never depends on its
 * batch-mates. Texts are embedded as passages: the model's {@code passage_prefix} goes in front, as the query
 * side puts its {@code query_prefix} in front of the query. {@code embedderMaxLength} overrides the model's
 * {@code max_length}; give the search component the same value, or the two load separate copies of the model.
 *
 * <p>The chain must put this processor before {@code DistributedUpdateProcessorFactory}: the node that receives a
 * document embeds it once, and every replica indexes that vector (Solr skips the processors before the distributed
 * one on forwarded requests). The core's {@value #METRIC} counter counts the documents embedded on it.
 *
 * <pre>
 * &lt;processor class="org.hybridrerank.solr.update.TextEmbeddingUpdateProcessorFactory"&gt;
 *   &lt;str name="fields"&gt;title,text&lt;/str&gt; &lt;str name="vectorField"&gt;vector&lt;/str&gt;
 *   &lt;str name="embedder"&gt;models/all-minilm-l6-v2-q&lt;/str&gt;
 * &lt;/processor&gt;
 * </pre>
 */
public class TextEmbeddingUpdateProcessorFactory extends UpdateRequestProcessorFactory implements SolrCoreAware {
    static final String CONTEXT = "solrconfig.xml TextEmbeddingUpdateProcessorFactory";
    /** The core's metric of documents embedded by this processor: {@value #METRIC}. */
    public static final String METRIC = "UPDATE.embed.documents";

    private static final String METRIC_NAME = "documents";
    private static final String[] METRIC_PATH = {"UPDATE", "embed"};

    private ParamReader config;
    private List<String> fields;
    private String vectorField;
    private String separator;
    private ModelRegistry.Lease<TextEmbedder> embedder;
    // documents this core embedded: a replica embeds none (the vector comes with the leader's copy)
    private Counter embedded = new Counter();

    @Override
    public void init(NamedList<?> args) {
        config = ParamReader.forConfig(args.toSolrParams(), CONTEXT);
        String rawFields = config.string("fields", null);
        if (rawFields == null || rawFields.isBlank())
            throw config.error("'fields' is required: the text fields to embed");
        fields = List.of(rawFields.trim().split("\\s*,\\s*"));
        vectorField = config.string("vectorField", null);
        if (vectorField == null || vectorField.isBlank())
            throw config.error("'vectorField' is required: the DenseVectorField to fill");
        separator = config.string("separator", " ");
        if (config.string("batchSize", null) != null) {
            // a silently ignored tuning knob would mislead whoever set it
            throw config.error(
                    "'batchSize' is no longer supported: every document is embedded on its own so that its failure is "
                            + "its own; remove it");
        }
        if (config.string("embedder", null) == null)
            throw config.error("'embedder' is required: the embedding model directory");
    }

    @Override
    public void inform(SolrCore core) {
        SchemaField field = core.getLatestSchema().getFieldOrNull(vectorField);
        if (field == null || !(field.getType() instanceof DenseVectorField dense)) {
            throw config.error("'vectorField' must name a DenseVectorField of the schema, got '" + vectorField + "'");
        }
        embedder = ModelLocator.acquireEmbedder(
                config.string("embedder", null),
                config.intIn("embedderThreads", 0, 0, 1024),
                core.getResourceLoader(),
                config);
        if (dense.getDimension() != embedder.model().dimension()) {
            int produced = embedder.model().dimension();
            embedder.close();
            throw config.error("vector field '" + vectorField + "' has dimension " + dense.getDimension()
                    + " but the embedder at " + config.string("embedder", null) + " produces " + produced);
        }
        embedded = core.getSolrMetricsContext().counter(METRIC_NAME, METRIC_PATH);
        core.addCloseHook(new CloseHook() {
            @Override
            public void preClose(SolrCore c) {
                embedder.close();
            }
        });
    }

    @Override
    public UpdateRequestProcessor getInstance(
            SolrQueryRequest req, SolrQueryResponse rsp, UpdateRequestProcessor next) {
        return new Processor(next);
    }

    private final class Processor extends UpdateRequestProcessor {
        Processor(UpdateRequestProcessor next) {
            super(next);
        }

        /** Embeds the document in place and passes the same command on, so every other field of it is kept. */
        @Override
        public void processAdd(AddUpdateCommand cmd) throws IOException {
            SolrInputDocument doc = cmd.getSolrInputDocument();
            if (doc.getFieldValue(vectorField) == null) {
                String text = textOf(cmd);
                if (!text.isBlank()) {
                    doc.setField(vectorField, toList(embed(cmd, text)));
                    embedded.inc();
                }
            }
            super.processAdd(cmd);
        }

        private float[] embed(AddUpdateCommand cmd, String text) {
            try {
                return embedder.model().embedPassage(text);
            } catch (ModelClosedException e) {
                // the core is closing under this request (shutdown, reload): the document is fine, the client retries
                throw new SolrException(
                        SolrException.ErrorCode.SERVICE_UNAVAILABLE,
                        "cannot embed document " + cmd.getPrintableId() + " now: " + e.getMessage() + "; retry it",
                        e);
            } catch (InferenceException e) {
                throw new SolrException(
                        SolrException.ErrorCode.BAD_REQUEST,
                        "cannot embed document " + cmd.getPrintableId() + " from " + fields + " into '" + vectorField
                                + "': " + e.getMessage(),
                        e);
            }
        }

        private String textOf(AddUpdateCommand cmd) {
            List<String> parts = new ArrayList<>();
            for (String name : fields) {
                SolrInputField field = cmd.getSolrInputDocument().getField(name);
                if (field == null) continue;
                if (field.getValue() instanceof Map && !(field.getValue() instanceof SolrDocumentBase)) {
                    // an atomic update: the merged text exists only further down the chain, after this processor
                    throw new SolrException(
                            SolrException.ErrorCode.BAD_REQUEST,
                            "cannot embed document " + cmd.getPrintableId() + ": atomic update of '" + name
                                    + "', one of the" + " embedded fields " + fields
                                    + "; send the whole document instead");
                }
                Collection<Object> values = field.getValues();
                if (values == null) continue;
                for (Object value : values) {
                    String text = value == null ? "" : value.toString();
                    if (!text.isBlank()) parts.add(text);
                }
            }
            return String.join(separator, parts);
        }

        private List<Float> toList(float[] vector) {
            List<Float> out = new ArrayList<>(vector.length);
            for (float v : vector) out.add(v);
            return out;
        }
    }
}
