package org.hybridrerank.solr.model;

import ai.onnxruntime.OrtException;
import java.util.List;

/**
 * Scores (query, passage) pairs with an ONNX cross-encoder: tokenizes the query once and every passage, batches
 * sequences of similar length, runs the graph once per batch and, in window mode, pools window scores per passage; in
 * best mode each passage is read through the one window that shares the most with the query.
 * Thread-safe: one instance serves concurrent requests.
 */
public final class CrossEncoder implements AutoCloseable {
    private final ModelDirectory directory;
    private final CrossEncoderSettings settings;
    private final PairEncoder encoder;
    private final CrossEncoderGraph graph;

    private CrossEncoder(
            ModelDirectory directory, CrossEncoderSettings settings, PairEncoder encoder, CrossEncoderGraph graph) {
        this.directory = directory;
        this.settings = settings;
        this.encoder = encoder;
        this.graph = graph;
    }

    /** Loads and checks the graph and the tokenizer; fails with {@link ModelLoadException} naming the file. */
    public static CrossEncoder load(ModelDirectory directory, CrossEncoderSettings settings) {
        CrossEncoderGraph graph = new CrossEncoderGraph(directory.modelFile(), settings);
        try {
            PairEncoder encoder = new PairEncoder(directory.tokenizerFile(), settings);
            return new CrossEncoder(directory, settings, encoder, graph);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
    }

    public ModelDirectory directory() {
        return directory;
    }

    public CrossEncoderSettings settings() {
        return settings;
    }

    /** The tokenizer side, for callers that need the exact sequences the model sees (benchmarks, tests). */
    public PairEncoder encoder() {
        return encoder;
    }

    /** The graph side: one raw inference call per batch, nothing else. */
    public CrossEncoderGraph graph() {
        return graph;
    }

    /**
     * Scores each passage against the query.
     *
     * @throws DeadlineExceededException when the budget runs out between steps
     * @throws InferenceException when tokenization or inference fails
     */
    public ScoredPassages score(String query, List<String> passages, ScoringOptions options, Deadline deadline) {
        deadline.check("tokenization");
        long start = System.nanoTime();
        EncodedPairs pairs;
        try {
            pairs = encoder.encodePairs(query, passages, options.longDocs());
        } catch (RuntimeException e) {
            throw new InferenceException("tokenization failed: " + e.getMessage(), e);
        }
        long tokenized = System.nanoTime();
        List<EncodedSequence> sequences = pairs.sequences();

        List<TokenBatch> batches = PairBatcher.bucketed(sequences, settings.batchSize());
        // the batches are independent: they run side by side, one core each (InferenceWorkers says why)
        float[][] batchScores =
                InferenceWorkers.get().runAll(batches.size(), b -> run(batches, b, deadline), float[][]::new);
        float[] sequenceScores = new float[sequences.size()];
        long realTokens = 0;
        long paddedTokens = 0;
        for (int b = 0; b < batches.size(); b++) {
            TokenBatch batch = batches.get(b);
            for (int row = 0; row < batchScores[b].length; row++) {
                sequenceScores[batch.sequenceIndexes()[row]] = batchScores[b][row];
            }
            realTokens += batch.realTokens();
            paddedTokens += batch.paddedTokens();
        }
        long inferred = System.nanoTime();

        float[] passageScores = poolPerPassage(sequences, sequenceScores, passages.size(), options);
        ScoringStats stats = new ScoringStats(
                tokenized - start,
                inferred - tokenized,
                passages.size(),
                sequences.size(),
                batches.size(),
                realTokens,
                paddedTokens);
        return new ScoredPassages(passageScores, pairs.spans(), stats);
    }

    /** Scores batch {@code b}; the deadline is checked before each batch, wherever it runs. */
    private float[] run(List<TokenBatch> batches, int b, Deadline deadline) {
        deadline.check("batch " + (b + 1) + " of " + batches.size());
        TokenBatch batch = batches.get(b);
        try {
            return graph.run(batch);
        } catch (OrtException | RuntimeException e) {
            throw new InferenceException(
                    "inference failed on " + directory.modelFile() + " (batch " + (b + 1) + " of " + batches.size()
                            + ", " + batch.rows() + "x" + batch.seqLength() + " tokens): " + e.getMessage(),
                    e);
        }
    }

    /** Sequences arrive grouped by passage, in passage order; truncate and best modes have exactly one each. */
    private static float[] poolPerPassage(
            List<EncodedSequence> sequences, float[] sequenceScores, int passages, ScoringOptions options) {
        if (sequences.size() == passages) {
            return sequenceScores;
        }
        float[] pooled = new float[passages];
        int from = 0;
        while (from < sequences.size()) {
            int passage = sequences.get(from).source();
            int to = from + 1;
            while (to < sequences.size() && sequences.get(to).source() == passage) to++;
            pooled[passage] = options.windowPooling().pool(sequenceScores, from, to);
            from = to;
        }
        return pooled;
    }

    @Override
    public void close() {
        Closeables.closeAll("cross-encoder " + directory, List.of(encoder, graph));
    }
}
