package org.hybridrerank.solr.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Turns texts into vectors with an ONNX bi-encoder: token vectors ({@code [batch, seq, dim]}) pooled by mean
 * or CLS, or a ready sentence vector ({@code [batch, dim]}), then L2-normalised. Texts of similar length are
 * batched together. Thread-safe.
 *
 * <p>There is no plain {@code embed}: a caller says whether a text is a query or a passage, and the model's
 * prefix for that side is put in front ({@link EmbedderSettings#queryPrefix()}), so that the index side and the
 * query side cannot disagree about an asymmetric model's instructions.
 */
public final class TextEmbedder implements AutoCloseable {
    private final ModelDirectory directory;
    private final EmbedderSettings settings;
    private final OnnxModel model;
    /** Every encode holds the native tokenizer; close waits for them (see NativeHandle). */
    private final NativeHandle<HuggingFaceTokenizer> tokenizer;

    private final String outputName;
    private final boolean tokenVectors;
    private final int dimension;

    private TextEmbedder(ModelDirectory directory, EmbedderSettings settings) {
        this.directory = directory;
        this.settings = settings;
        this.model = new OnnxModel(directory.modelFile());
        HuggingFaceTokenizer built = null;
        try {
            this.outputName = settings.outputName() != null
                    ? settings.outputName()
                    : model.outputNames().iterator().next();
            long[] shape = model.output(outputName).getShape();
            if (shape.length != 2 && shape.length != 3) {
                throw new ModelLoadException(directory.modelFile() + ": embedding output '" + outputName
                        + "' must be [batch, seq, dim] or [batch, dim], found " + Arrays.toString(shape));
            }
            this.tokenVectors = shape.length == 3;
            NativeLibraryLogging.quietCudaProbe();
            built = HuggingFaceTokenizer.builder(Map.of("modelMaxLength", Integer.toString(settings.maxLength())))
                    .optTokenizerPath(directory.tokenizerFile())
                    .optAddSpecialTokens(true)
                    .optPadding(false)
                    .optTruncation(true)
                    .optMaxLength(settings.maxLength())
                    .build();
            this.tokenizer =
                    new NativeHandle<>(built, "tokenizer " + directory.tokenizerFile(), HuggingFaceTokenizer::close);
            this.dimension = probeFullLength(shape[shape.length - 1]);
        } catch (IOException | RuntimeException e) {
            model.close();
            if (built != null) built.close(); // the probe failed: nothing else holds the tokenizer
            if (e instanceof ModelLoadException m) throw m;
            throw new ModelLoadException("cannot load embedder " + directory + ": " + e.getMessage(), e);
        }
    }

    public static TextEmbedder load(ModelDirectory directory, EmbedderSettings settings) {
        return new TextEmbedder(directory, settings);
    }

    public ModelDirectory directory() {
        return directory;
    }

    public int dimension() {
        return dimension;
    }

    public EmbedderSettings settings() {
        return settings;
    }

    /** The vector of a search query: the model's query prefix, then the text. */
    public float[] embedQuery(String text) {
        return embed(List.of(text), settings.queryPrefix())[0];
    }

    /** The vector of an indexed passage: the model's passage prefix, then the text. */
    public float[] embedPassage(String text) {
        return embedPassages(List.of(text))[0];
    }

    /** One passage vector per text, in input order; each equals {@link #embedPassage} of that text. */
    public float[][] embedPassages(List<String> texts) {
        return embed(texts, settings.passagePrefix());
    }

    /**
     * Runs one text of {@code maxLength} tokens, so that a length the graph cannot take (a position table shorter
     * than the configured length) fails when the model loads rather than on the first long document. Returns the
     * vector dimension: the declared one, or the probe's when the graph leaves it symbolic.
     */
    private int probeFullLength(long declaredDimension) {
        String longText = "probe ".repeat(settings.maxLength());
        int probed;
        try {
            probed = embed(List.of(longText), "")[0].length;
        } catch (InferenceException e) {
            throw new ModelLoadException(
                    directory.modelFile() + " cannot embed " + settings.maxLength() + " tokens (max_length in "
                            + directory.path().resolve(ModelDirectory.CONFIG_FILE) + " or the configured override): "
                            + e.getMessage(),
                    e);
        }
        return declaredDimension > 0 ? (int) declaredDimension : probed;
    }

    /**
     * One vector per text, in input order, with {@code prefix} before each text. Texts are cut at {@code maxLength}
     * × {@link TextCap#CHARS_PER_TOKEN} characters before tokenizing: the model reads only {@code maxLength}
     * tokens, and a huge text would cost tokenizer time in proportion to its length. The prefix goes in front of
     * the cut text and the tokenizer truncates at the end, so a long text loses its end, not the prefix.
     */
    private float[][] embed(List<String> texts, String prefix) {
        List<String> capped = new ArrayList<>(texts.size());
        for (String text : texts) capped.add(prefix + TextCap.forTokens(text, settings.maxLength()));
        Encoding[] encodings;
        try {
            encodings = tokenizer.use(t -> t.batchEncode(capped, true, false));
        } catch (ModelClosedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InferenceException("tokenization failed: " + e.getMessage(), e);
        }
        List<EncodedSequence> sequences = new ArrayList<>(encodings.length);
        for (int i = 0; i < encodings.length; i++) {
            sequences.add(new EncodedSequence(i, encodings[i].getIds(), encodings[i].getTypeIds()));
        }
        float[][] vectors = new float[texts.size()][];
        List<TokenBatch> batches = PairBatcher.bucketed(sequences, settings.batchSize());
        // the batches are independent: they run side by side, one core each (InferenceWorkers says why)
        float[][][] batchVectors =
                InferenceWorkers.get().runAll(batches.size(), b -> run(batches.get(b)), float[][][]::new);
        for (int b = 0; b < batches.size(); b++) {
            TokenBatch batch = batches.get(b);
            for (int row = 0; row < batch.rows(); row++) {
                vectors[batch.sequenceIndexes()[row]] = batchVectors[b][row];
            }
        }
        return vectors;
    }

    private float[][] run(TokenBatch batch) {
        try {
            return model.run(batch, outputName, out -> pool(batch, out.getFloatBuffer(), out.getInfo()));
        } catch (ModelClosedException e) {
            throw e;
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(
                    "embedding failed on " + directory.modelFile() + " (" + batch.rows() + "x" + batch.seqLength()
                            + " tokens): " + e.getMessage(),
                    e);
        }
    }

    private float[][] pool(TokenBatch batch, FloatBuffer values, TensorInfo info) throws OrtException {
        long[] shape = info.getShape();
        int rows = batch.rows();
        if (shape[0] != rows) throw new OrtException("output has " + shape[0] + " rows for " + rows + " texts");
        int dim = (int) shape[shape.length - 1];
        float[][] out = new float[rows][dim];
        if (!tokenVectors) {
            for (int r = 0; r < rows; r++) values.get(r * dim, out[r], 0, dim);
        } else {
            int seq = (int) shape[1];
            if (seq != batch.seqLength())
                throw new OrtException("output has " + seq + " positions for " + batch.seqLength());
            for (int r = 0; r < rows; r++) {
                if (settings.pooling() == Pooling.CLS) {
                    values.get(r * seq * dim, out[r], 0, dim);
                    continue;
                }
                int counted = 0;
                for (int t = 0; t < seq; t++) {
                    if (batch.attentionMask()[r * seq + t] == 0) continue;
                    counted++;
                    int base = (r * seq + t) * dim;
                    for (int d = 0; d < dim; d++) out[r][d] += values.get(base + d);
                }
                for (int d = 0; d < dim; d++) out[r][d] /= Math.max(1, counted);
            }
        }
        if (settings.normalize()) {
            for (float[] v : out) normalize(v);
        }
        return out;
    }

    private static void normalize(float[] v) {
        double norm = 0;
        for (float x : v) norm += (double) x * x;
        norm = Math.sqrt(norm);
        if (norm == 0) return;
        for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / norm);
    }

    @Override
    public void close() {
        try {
            tokenizer.close();
        } finally {
            model.close();
        }
    }
}
