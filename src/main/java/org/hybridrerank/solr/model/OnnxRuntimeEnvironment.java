package org.hybridrerank.solr.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import java.lang.invoke.MethodHandles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ONNX Runtime environment of this JVM, created with a global intra-op thread pool that every
 * session shares. Without it, each session (one per model and settings) starts its own pool of one thread per
 * core, and a node with many cores and models would run many times more inference threads than it has cores.
 *
 * <p>That pool has one thread: each inference call runs on the thread that makes it, and a request's calls run side
 * by side on {@link InferenceWorkers}, whose size is the JVM-wide system property {@value #THREADS_PROPERTY}, by
 * default the number of available processors (measured: two one-thread calls at once score a window twice as fast
 * as one two-thread call at a time; docs/measured.md). ONNX Runtime's environment is a singleton whose thread pools
 * are fixed by whoever creates it first; if something else in the JVM already created it, sessions fall back to
 * per-session pools of one thread (and a warning says so).
 */
public final class OnnxRuntimeEnvironment {
    public static final String THREADS_PROPERTY = "hybrid.onnx.threads";
    /** Threads of one inference call: the caller alone (see the class comment). */
    static final int INTRA_OP_THREADS = 1;

    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

    private static volatile OnnxRuntimeEnvironment instance;

    private final OrtEnvironment env;
    private final int threads;
    private final boolean globalPool;

    private OnnxRuntimeEnvironment(OrtEnvironment env, int threads, boolean globalPool) {
        this.env = env;
        this.threads = threads;
        this.globalPool = globalPool;
    }

    /** The environment, created on first use; fails with {@link ModelLoadException} on a bad thread setting. */
    public static OnnxRuntimeEnvironment get() {
        OnnxRuntimeEnvironment current = instance;
        if (current != null) return current;
        synchronized (OnnxRuntimeEnvironment.class) {
            if (instance == null) instance = create(configuredThreads());
            return instance;
        }
    }

    static int configuredThreads() {
        String raw = System.getProperty(THREADS_PROPERTY);
        if (raw == null || raw.isBlank()) return Runtime.getRuntime().availableProcessors();
        try {
            int value = Integer.parseInt(raw.trim());
            if (value >= 1 && value <= 4096) return value;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ModelLoadException(
                "system property " + THREADS_PROPERTY + " must be an integer in [1, 4096], got '" + raw + "'");
    }

    private static OnnxRuntimeEnvironment create(int threads) {
        try (OrtEnvironment.ThreadingOptions options = new OrtEnvironment.ThreadingOptions()) {
            options.setGlobalIntraOpNumThreads(INTRA_OP_THREADS);
            options.setGlobalInterOpNumThreads(1);
            // idle workers sleep instead of spinning: a search node has other work for its cores
            options.setGlobalSpinControl(false);
            OrtEnvironment env = OrtEnvironment.getEnvironment(
                    OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING, "solr-hybrid-rerank", options);
            EnvironmentPin.hold();
            log.info(
                    "ONNX Runtime: one thread per inference call, {} calls of a request at once ({})",
                    threads,
                    THREADS_PROPERTY);
            return new OnnxRuntimeEnvironment(env, threads, true);
        } catch (IllegalStateException e) {
            if (e.getCause() != null) {
                throw new ModelLoadException(
                        "cannot create the ONNX Runtime environment: "
                                + e.getCause().getMessage(),
                        e);
            }
            // only reason left: an environment exists already, made by another library in this JVM
            log.warn(
                    "ONNX Runtime's environment was created by someone else in this JVM, so its thread pools are not "
                            + "ours: each session gets its own pool of one thread, {} calls of a request at once ({})",
                    threads,
                    THREADS_PROPERTY);
            return new OnnxRuntimeEnvironment(OrtEnvironment.getEnvironment(), threads, false);
        } catch (OrtException e) {
            throw new ModelLoadException("cannot configure ONNX Runtime threads: " + e.getMessage(), e);
        }
    }

    OrtEnvironment env() {
        return env;
    }

    /** How many inference calls of one request run at once ({@link InferenceWorkers}), one thread each. */
    public int threads() {
        return threads;
    }

    /** Whether sessions share the global pool (false only when the environment predates this class). */
    public boolean sharesOnePool() {
        return globalPool;
    }

    /** Session options that run on the shared pool. */
    OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            if (globalPool) {
                options.disablePerSessionThreads();
            } else {
                options.setIntraOpNumThreads(INTRA_OP_THREADS);
                options.setInterOpNumThreads(1);
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }
}
