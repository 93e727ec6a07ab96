package org.hybridrerank.solr.model;

import java.util.List;

/** Closing several resources so that one failing close never leaks the ones after it. */
public final class Closeables {
    private Closeables() {}

    /**
     * Closes every resource, in order, even when some fail; then throws the first failure with the others
     * attached as suppressed exceptions.
     *
     * @throws IllegalStateException naming {@code what}, if any close failed
     */
    public static void closeAll(String what, List<? extends AutoCloseable> resources) {
        IllegalStateException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) continue;
            try {
                resource.close();
            } catch (Exception | Error e) {
                if (failure == null) {
                    failure = new IllegalStateException("cannot close " + what + ": " + e.getMessage(), e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) throw failure;
    }
}
