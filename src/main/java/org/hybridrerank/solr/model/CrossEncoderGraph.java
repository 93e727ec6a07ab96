package org.hybridrerank.solr.model;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A sequence-classification graph: {@link OnnxModel}'s inputs and a float output of shape {@code [batch]},
 * {@code [batch, 1]} or {@code [batch, 2]} (then the "relevant" column is the score).
 */
public final class CrossEncoderGraph implements AutoCloseable {
    private final OnnxModel model;
    private final String outputName;
    private final int scoreColumn;

    public CrossEncoderGraph(Path modelFile, CrossEncoderSettings settings) {
        this.model = new OnnxModel(modelFile);
        try {
            this.outputName = settings.outputName() != null
                    ? settings.outputName()
                    : model.outputNames().iterator().next();
            this.scoreColumn = scoreColumn(modelFile, model.output(outputName), settings.relevantColumn());
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** -1 for a rank-1 output, 0 for [batch,1], {@code relevantColumn} for [batch,2+]. */
    private int scoreColumn(Path file, TensorInfo tensor, int relevantColumn) {
        long[] shape = tensor.getShape();
        if (shape.length == 1) return -1;
        if (shape.length != 2) {
            throw new ModelLoadException(file + ": graph output '" + outputName
                    + "' must be [batch] or [batch, labels], found " + Arrays.toString(shape));
        }
        if (shape[1] > 1 && relevantColumn >= shape[1]) {
            throw new ModelLoadException(file + ": relevant column " + relevantColumn + " is outside output shape "
                    + Arrays.toString(shape));
        }
        return shape[1] > 1 ? relevantColumn : 0;
    }

    /** One score per row of the batch. */
    public float[] run(TokenBatch batch) throws OrtException {
        return model.run(batch, outputName, out -> {
            FloatBuffer values = out.getFloatBuffer();
            long[] shape = out.getInfo().getShape();
            int columns = shape.length == 1 ? 1 : (int) shape[1];
            if (shape[0] != batch.rows() || values.remaining() != batch.rows() * columns) {
                throw new OrtException("output '" + outputName + "' has shape " + Arrays.toString(shape) + " for "
                        + batch.rows() + " rows");
            }
            int column = Math.max(0, scoreColumn);
            float[] scores = new float[batch.rows()];
            for (int r = 0; r < scores.length; r++) scores[r] = values.get(r * columns + column);
            return scores;
        });
    }

    @Override
    public void close() {
        model.close();
    }
}
