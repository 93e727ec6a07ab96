package org.hybridrerank.solr.model;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps ONNX Runtime's native environment alive until the process ends. ONNX Runtime's Java binding registers a
 * JVM shutdown hook that releases the environment, and with it the global thread pool every session runs on.
 * The JVM starts all shutdown hooks at once, so on a SIGTERM (`bin/solr stop`, Ctrl-C) that release runs while
 * Jetty, stopping in its own hook, still serves requests whose inference is on that pool: a SIGSEGV in
 * libonnxruntime. {@link NativeHandle} cannot order the two hooks. The native environment is reference-counted
 * ({@code CreateEnv} on an existing environment takes one more reference, {@code ReleaseEnv} gives one back), so
 * taking a second reference makes the binding's hook release only its own, and the environment stays until the
 * process exits, when the operating system reclaims it.
 *
 * <p>The binding offers no public call for this; the reference is taken through its private native
 * {@code createHandle}. If a future ONNX Runtime version renames it, the plugin still loads and logs a warning:
 * stopping under load is then as unsafe as without this class (StopUnderLoadIT fails first).
 */
final class EnvironmentPin {
    private static final Logger log =
            LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
    private static volatile boolean held;

    private EnvironmentPin() {}

    /** Takes the extra reference once per JVM; true when it is held. */
    static synchronized boolean hold() {
        if (held) return true;
        try {
            Field api = Class.forName("ai.onnxruntime.OnnxRuntime").getDeclaredField("ortApiHandle");
            api.setAccessible(true);
            Method create = OrtEnvironment.class.getDeclaredMethod("createHandle", long.class, int.class, String.class);
            create.setAccessible(true);
            long handle = (long)
                    create.invoke(null, api.getLong(null), OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING.getValue(), "pin");
            held = handle != 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn(
                    "cannot pin ONNX Runtime's environment ({}): stopping the JVM while models run may crash it",
                    e.toString());
        }
        return held;
    }
}
