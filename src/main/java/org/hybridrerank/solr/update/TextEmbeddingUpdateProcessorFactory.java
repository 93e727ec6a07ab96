package org.hybridrerank.solr.update;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
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
import org.apache.solr.update.CommitUpdateCommand;
import org.apache.solr.update.DeleteUpdateCommand;
import org.apache.solr.update.MergeIndexesCommand;
import org.apache.solr.update.RollbackUpdateCommand;
import org.apache.solr.update.processor.UpdateRequestProcessor;
import org.apache.solr.update.processor.UpdateRequestProcessorFactory;
import org.apache.solr.util.plugin.SolrCoreAware;
import org.hybridrerank.solr.config.ModelLocator;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.model.InferenceException;
import org.hybridrerank.solr.model.ModelRegistry;
import org.hybridrerank.solr.model.TextEmbedder;

/**
 * Fills a DenseVectorField from text fields at index time with the same embedder the search side uses.
 * Documents are collected in batches and embedded together; a document with no text gets no vector, one that
 * already has a vector keeps it, and one whose embedding fails is rejected with its id in the error.
 *
 * <pre>
 * &lt;processor class="org.hybridrerank.solr.update.TextEmbeddingUpdateProcessorFactory"&gt;
 *   &lt;str name="fields"&gt;title,text&lt;/str&gt; &lt;str name="vectorField"&gt;vector&lt;/str&gt;
 *   &lt;str name="embedder"&gt;models/all-minilm-l6-v2-q&lt;/str&gt; &lt;int name="batchSize"&gt;32&lt;/int&gt;
 * &lt;/processor&gt;
 * </pre>
 */
public class TextEmbeddingUpdateProcessorFactory extends UpdateRequestProcessorFactory implements SolrCoreAware {
  static final String CONTEXT = "solrconfig.xml TextEmbeddingUpdateProcessorFactory";

  private ParamReader config;
  private List<String> fields;
  private String vectorField;
  private String separator;
  private int batchSize;
  private ModelRegistry.Lease<TextEmbedder> embedder;

  @Override
  public void init(NamedList<?> args) {
    config = ParamReader.forConfig(args.toSolrParams(), CONTEXT);
    String rawFields = config.string("fields", null);
    if (rawFields == null || rawFields.isBlank()) throw config.error("'fields' is required: the text fields to embed");
    fields = List.of(rawFields.trim().split("\\s*,\\s*"));
    vectorField = config.string("vectorField", null);
    if (vectorField == null || vectorField.isBlank()) throw config.error("'vectorField' is required: the DenseVectorField to fill");
    separator = config.string("separator", " ");
    batchSize = config.intIn("batchSize", 32, 1, 10_000);
    if (config.string("embedder", null) == null) throw config.error("'embedder' is required: the embedding model directory");
  }

  @Override
  public void inform(SolrCore core) {
    SchemaField field = core.getLatestSchema().getFieldOrNull(vectorField);
    if (field == null || !(field.getType() instanceof DenseVectorField dense)) {
      throw config.error("'vectorField' must name a DenseVectorField of the schema, got '" + vectorField + "'");
    }
    embedder =
        ModelLocator.acquireEmbedder(
            config.string("embedder", null), config.intIn("embedderThreads", 0, 0, 1024), core.getResourceLoader(), config);
    if (dense.getDimension() != embedder.model().dimension()) {
      int produced = embedder.model().dimension();
      embedder.close();
      throw config.error(
          "vector field '" + vectorField + "' has dimension " + dense.getDimension() + " but the embedder at "
              + config.string("embedder", null) + " produces " + produced);
    }
    core.addCloseHook(
        new CloseHook() {
          @Override
          public void preClose(SolrCore c) {
            embedder.close();
          }
        });
  }

  @Override
  public UpdateRequestProcessor getInstance(SolrQueryRequest req, SolrQueryResponse rsp, UpdateRequestProcessor next) {
    return new Processor(next, req);
  }

  private final class Processor extends UpdateRequestProcessor {
    private final SolrQueryRequest req;
    private final List<AddUpdateCommand> pending = new ArrayList<>();

    Processor(UpdateRequestProcessor next, SolrQueryRequest req) {
      super(next);
      this.req = req;
    }

    @Override
    public void processAdd(AddUpdateCommand cmd) throws IOException {
      // loaders may reuse the command object for the next document, so keep a copy
      AddUpdateCommand copy = new AddUpdateCommand(req);
      copy.solrDoc = cmd.solrDoc.deepCopy();
      copy.overwrite = cmd.overwrite;
      copy.commitWithin = cmd.commitWithin;
      copy.isLastDocInBatch = cmd.isLastDocInBatch;
      pending.add(copy);
      if (pending.size() >= batchSize) flush();
    }

    private void flush() throws IOException {
      if (pending.isEmpty()) return;
      List<AddUpdateCommand> batch = new ArrayList<>(pending);
      pending.clear();
      List<SolrInputDocument> toEmbed = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (AddUpdateCommand cmd : batch) {
        String text = textOf(cmd.solrDoc);
        if (cmd.solrDoc.getFieldValue(vectorField) == null && !text.isBlank()) {
          toEmbed.add(cmd.solrDoc);
          texts.add(text);
        }
      }
      float[][] vectors = null;
      if (!texts.isEmpty()) {
        try {
          vectors = embedder.model().embed(texts);
        } catch (InferenceException e) {
          vectors = null; // find the culprit below, one document at a time
        }
      }
      int next = 0;
      for (AddUpdateCommand cmd : batch) {
        if (next < toEmbed.size() && toEmbed.get(next) == cmd.solrDoc) {
          float[] vector = vectors != null ? vectors[next] : embedAlone(cmd, texts.get(next));
          cmd.solrDoc.setField(vectorField, toList(vector));
          next++;
        }
        super.processAdd(cmd);
      }
    }

    private float[] embedAlone(AddUpdateCommand cmd, String text) {
      try {
        return embedder.model().embed(List.of(text))[0];
      } catch (InferenceException e) {
        throw new SolrException(
            SolrException.ErrorCode.BAD_REQUEST,
            "cannot embed document " + cmd.getPrintableId() + " into '" + vectorField + "': " + e.getMessage(), e);
      }
    }

    private String textOf(SolrInputDocument doc) {
      List<String> parts = new ArrayList<>();
      for (String name : fields) {
        SolrInputField field = doc.getField(name);
        if (field == null) continue;
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

    @Override
    public void processDelete(DeleteUpdateCommand cmd) throws IOException {
      flush();
      super.processDelete(cmd);
    }

    @Override
    public void processCommit(CommitUpdateCommand cmd) throws IOException {
      flush();
      super.processCommit(cmd);
    }

    @Override
    public void processMergeIndexes(MergeIndexesCommand cmd) throws IOException {
      flush();
      super.processMergeIndexes(cmd);
    }

    @Override
    public void processRollback(RollbackUpdateCommand cmd) throws IOException {
      pending.clear();
      super.processRollback(cmd);
    }

    @Override
    public void finish() throws IOException {
      flush();
      super.finish();
    }
  }
}
