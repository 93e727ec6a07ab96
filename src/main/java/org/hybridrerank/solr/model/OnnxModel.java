package org.hybridrerank.solr.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ONNX Runtime session over a transformer graph fed with token batches, checked at load: int64
 * {@code input_ids} and {@code attention_mask}, optional int64 {@code token_type_ids} (fed only when the graph
 * has it), no other inputs. What the output means is up to the caller.
 */
final class OnnxModel implements AutoCloseable {
    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);

    /** Sessions created and not yet closed, in this JVM: what a leak would grow. */
    private static final AtomicInteger OPEN_SESSIONS = new AtomicInteger();

    private final Path file;
    private final OrtEnvironment env;
    private final OrtSession session;
    /** Every run holds the session; close waits for them (see NativeHandle). */
    private final NativeHandle<OrtSession> handle;

    private final boolean feedsTokenTypes;

    OnnxModel(Path file) {
        this.file = file;
        OnnxRuntimeEnvironment runtime = OnnxRuntimeEnvironment.get();
        this.env = runtime.env();
        try (OrtSession.SessionOptions options = runtime.sessionOptions()) {
            this.session = env.createSession(file.toString(), options);
            OPEN_SESSIONS.incrementAndGet();
            this.handle = new NativeHandle<>(session, "ONNX session of " + file, OnnxModel::closeSession);
        } catch (OrtException | RuntimeException e) {
            throw new ModelLoadException("cannot load ONNX graph " + file + ": " + e.getMessage(), e);
        }
        try {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            requireInt64Input(inputs, INPUT_IDS);
            requireInt64Input(inputs, ATTENTION_MASK);
            this.feedsTokenTypes = inputs.containsKey(TOKEN_TYPE_IDS);
            if (feedsTokenTypes) requireInt64Input(inputs, TOKEN_TYPE_IDS);
            for (String name : inputs.keySet()) {
                if (!KNOWN_INPUTS.contains(name)) {
                    throw new ModelLoadException(
                            file + ": unexpected graph input '" + name + "'; expected " + KNOWN_INPUTS);
                }
            }
        } catch (OrtException e) {
            close();
            throw new ModelLoadException("cannot inspect ONNX graph " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void requireInt64Input(Map<String, NodeInfo> inputs, String name) {
        NodeInfo info = inputs.get(name);
        if (info == null) {
            throw new ModelLoadException(file + ": graph has no input '" + name + "'; expected inputs " + INPUT_IDS
                    + ", " + ATTENTION_MASK + " [, " + TOKEN_TYPE_IDS + "], found " + inputs.keySet());
        }
        if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.INT64) {
            throw new ModelLoadException(
                    file + ": graph input '" + name + "' must be an int64 tensor, found " + info.getInfo());
        }
    }

    Path file() {
        return file;
    }

    /** The named output, or the first one when {@code name} is null; fails naming the file otherwise. */
    TensorInfo output(String name) {
        try {
            Map<String, NodeInfo> outputs = session.getOutputInfo();
            String chosen = name != null ? name : outputs.keySet().iterator().next();
            NodeInfo info = outputs.get(chosen);
            if (info == null) {
                throw new ModelLoadException(
                        file + ": graph has no output '" + chosen + "'; outputs are " + outputs.keySet());
            }
            if (!(info.getInfo() instanceof TensorInfo tensor) || tensor.type != OnnxJavaType.FLOAT) {
                throw new ModelLoadException(
                        file + ": graph output '" + chosen + "' must be a float tensor, found " + info.getInfo());
            }
            return tensor;
        } catch (OrtException e) {
            throw new ModelLoadException("cannot inspect ONNX graph " + file + ": " + e.getMessage(), e);
        }
    }

    /** Output names in graph order. */
    Set<String> outputNames() {
        return session.getOutputNames();
    }

    /** Runs one batch and hands the requested output to {@code reader} while it is still alive. */
    <T> T run(TokenBatch batch, String outputName, OutputReader<T> reader) throws OrtException {
        long[] shape = {batch.rows(), batch.seqLength()};
        Map<String, OnnxTensor> feed = new HashMap<>(4);
        try {
            feed.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.inputIds()), shape));
            feed.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.attentionMask()), shape));
            if (feedsTokenTypes) {
                feed.put(TOKEN_TYPE_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(batch.typeIds()), shape));
            }
            return handle.use(running -> {
                try (OrtSession.Result result = running.run(feed, Set.of(outputName))) {
                    return reader.read((OnnxTensor) result.get(0));
                }
            });
        } finally {
            for (OnnxTensor tensor : feed.values()) tensor.close();
        }
    }

    @FunctionalInterface
    interface OutputReader<T> {
        T read(OnnxTensor output) throws OrtException;
    }

    static int openSessions() {
        return OPEN_SESSIONS.get();
    }

    /**
     * Closes the session once no run holds it (bounded wait; past it the session is leaked and logged, never freed
     * under a running call). A run that starts after this gets a {@link ModelClosedException}.
     */
    @Override
    public void close() {
        handle.close();
    }

    private static void closeSession(OrtSession session) throws OrtException {
        OPEN_SESSIONS.decrementAndGet();
        session.close();
    }
}
