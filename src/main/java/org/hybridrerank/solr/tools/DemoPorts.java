package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The ports {@code bin/demo} serves on ({@code --port}, and with {@code --cloud} the next ones too): refused up
 * front when one is taken, and a failed Jetty start told the same way when another program took the port in
 * between. Jetty itself only reports "IllegalStateException: STOPPED", naming no port.
 */
final class DemoPorts {
    private final int first;
    private final int count;

    DemoPorts(int first, int count) {
        this.first = first;
        this.count = count;
    }

    /** Fails with a {@link UserError} naming the first taken port. */
    void requireFree() {
        for (int port = first; port < first + count; port++) {
            if (!free(port)) throw inUse(port, null);
        }
    }

    /**
     * What a failed start of Jetty ({@code e}) means: a {@link UserError} naming the port when one of them is
     * taken now (another program bound it after {@link #requireFree()}), else {@code e} itself.
     */
    Exception startFailure(Exception e) {
        for (int port = first; port < first + count; port++) {
            if (!free(port)) return inUse(port, e);
        }
        return e;
    }

    private UserError inUse(int port, Exception cause) {
        String which = count == 1 ? "" : " (--cloud uses --port " + first + " and the next " + (count - 1) + ")";
        return new UserError(
                "port " + port + " is in use" + which + ": stop what listens there, or choose another with --port",
                cause);
    }

    /** Whether a server socket can bind the port on all interfaces, as Jetty does. */
    static boolean free(int port) {
        try (ServerSocket probe = new ServerSocket()) {
            // as Jetty: a port left in TIME_WAIT by an earlier demo is free to reuse
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
