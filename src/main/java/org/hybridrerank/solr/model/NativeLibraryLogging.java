package org.hybridrerank.solr.model;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * Keeps the tokenizer library's GPU probe out of the log of a healthy node. When DJL loads its native
 * tokenizer it asks the CUDA runtime for a GPU count, whatever the flavour it then loads; on a host with a
 * CUDA runtime but no usable driver that logs "Failed to detect GPU count" as a warning on every load. DJL
 * offers no switch to skip the probe (only {@code ai.djl.util.cuda.fork}, which starts a JVM to run it), and
 * this plugin never uses a GPU for tokenization, so the probe's logger is set to ERROR, unless the logging
 * configuration names it (or a parent package) itself. Only Log4j 2, which Solr uses, is handled.
 */
final class NativeLibraryLogging {
    static final String CUDA_PROBE_LOGGER = "ai.djl.util.cuda.CudaUtils";
    private static final AtomicBoolean DONE = new AtomicBoolean();

    private NativeLibraryLogging() {}

    /** Call before the first tokenizer is built. */
    static void quietCudaProbe() {
        if (!DONE.compareAndSet(false, true)) return;
        try {
            if (!(LogManager.getContext(false) instanceof LoggerContext context)) return;
            Configuration config = context.getConfiguration();
            for (String name = CUDA_PROBE_LOGGER; !name.isEmpty(); name = parentOf(name)) {
                if (config.getLoggers().containsKey(name)) return; // the operator decided
            }
            Configurator.setLevel(CUDA_PROBE_LOGGER, Level.ERROR);
        } catch (LinkageError | RuntimeException notLog4jCore) {
            // another logging backend: leave it alone
        }
    }

    private static String parentOf(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(0, dot);
    }
}
