package org.hybridrerank.solr.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * An ONNX Runtime session of a sequence-classification graph, checked at load: int64 {@code input_ids} and
 * {@code attention_mask}, optional int64 {@code token_type_ids} (fed only when the graph has it), and a
 * float output of shape {@code [batch]}, {@code [batch, 1]} or {@code [batch, 2]}.
 */
public final class CrossEncoderGraph implements AutoCloseable {
  static final String INPUT_IDS = "input_ids";
  static final String ATTENTION_MASK = "attention_mask";
  static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

  private final OrtEnvironment env;
  private final OrtSession session;
  private final boolean feedsTokenTypes;
  private final String outputName;
  private final int scoreColumn;

  public CrossEncoderGraph(Path modelFile, CrossEncoderSettings settings) {
    this.env = OrtEnvironment.getEnvironment();
    OrtSession opened;
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      if (settings.threads() > 0) {
        options.setIntraOpNumThreads(settings.threads());
      }
      options.setInterOpNumThreads(1);
      opened = env.createSession(modelFile.toString(), options);
    } catch (OrtException | RuntimeException e) {
      throw new ModelLoadException("cannot load ONNX graph " + modelFile + ": " + e.getMessage(), e);
    }
    this.session = opened;
    try {
      Map<String, NodeInfo> inputs = session.getInputInfo();
      requireInt64Input(modelFile, inputs, INPUT_IDS);
      requireInt64Input(modelFile, inputs, ATTENTION_MASK);
      this.feedsTokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
      if (feedsTokenTypes) requireInt64Input(modelFile, inputs, TOKEN_TYPE_IDS);
      for (String name : inputs.keySet()) {
        if (!KNOWN_INPUTS.contains(name)) {
          throw new ModelLoadException(
              modelFile + ": unexpected graph input '" + name + "'; a cross-encoder takes "
                  + KNOWN_INPUTS);
        }
      }
      Map<String, NodeInfo> outputs = session.getOutputInfo();
      this.outputName = settings.outputName() != null ? settings.outputName() : outputs.keySet().iterator().next();
      NodeInfo output = outputs.get(outputName);
      if (output == null) {
        throw new ModelLoadException(
            modelFile + ": graph has no output '" + outputName + "'; outputs are " + outputs.keySet());
      }
      this.scoreColumn = scoreColumn(modelFile, output, settings.relevantColumn());
    } catch (OrtException e) {
      close();
      throw new ModelLoadException("cannot inspect ONNX graph " + modelFile + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  private static void requireInt64Input(Path file, Map<String, NodeInfo> inputs, String name) {
    NodeInfo info = inputs.get(name);
    if (info == null) {
      throw new ModelLoadException(
          file + ": graph has no input '" + name + "'; expected inputs " + INPUT_IDS + ", "
              + ATTENTION_MASK + " [, " + TOKEN_TYPE_IDS + "], found " + inputs.keySet());
    }
    if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.INT64) {
      throw new ModelLoadException(
          file + ": graph input '" + name + "' must be an int64 tensor, found " + info.getInfo());
    }
  }

  /** -1 for a rank-1 output, 0 for [batch,1], {@code relevantColumn} for [batch,2+]. */
  private static int scoreColumn(Path file, NodeInfo output, int relevantColumn) {
    if (!(output.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
      throw new ModelLoadException(
          file + ": graph output '" + output.getName() + "' must be a float tensor, found " + output.getInfo());
    }
    long[] shape = tensor.getShape();
    if (shape.length == 1) return -1;
    if (shape.length != 2) {
      throw new ModelLoadException(
          file + ": graph output '" + output.getName() + "' must be [batch] or [batch, labels], found "
              + Arrays.toString(shape));
    }
    if (shape[1] == 1) return 0;
    if (shape[1] > 1 && relevantColumn >= shape[1]) {
      throw new ModelLoadException(
          file + ": relevant column " + relevantColumn + " is outside output shape " + Arrays.toString(shape));
    }
    return shape[1] > 1 ? relevantColumn : 0;
  }

  public boolean feedsTokenTypes() {
    return feedsTokenTypes;
  }

  /** One score per row of the batch. */
  public float[] run(TokenBatch batch) throws OrtException {
    long[] shape = {batch.rows(), batch.seqLength()};
    Map<String, OnnxTensor> feed = new HashMap<>(4);
    try {
      feed.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape));
      feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape));
      if (feedsTokenTypes) {
        feed.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.typeIds()), shape));
      }
      try (OrtSession.Result result = session.run(feed, Set.of(outputName))) {
        OnnxTensor out = (OnnxTensor) result.get(0);
        FloatBuffer values = out.getFloatBuffer();
        long[] outShape = out.getInfo().getShape();
        int columns = outShape.length == 1 ? 1 : (int) outShape[1];
        if (outShape[0] != batch.rows() || values.remaining() != batch.rows() * columns) {
          throw new OrtException(
              "output '" + outputName + "' has shape " + Arrays.toString(outShape) + " for " + batch.rows() + " rows");
        }
        int column = Math.max(0, scoreColumn);
        float[] scores = new float[batch.rows()];
        for (int r = 0; r < scores.length; r++) {
          scores[r] = values.get(r * columns + column);
        }
        return scores;
      }
    } finally {
      for (OnnxTensor tensor : feed.values()) tensor.close();
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new IllegalStateException("cannot close ONNX session", e);
    }
  }
}
