package org.hybridrerank.solr.tools;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A local HTTP server on 127.0.0.1 for the download tests: serves byte arrays at paths, honours
 * {@code Range: bytes=N-} (206) unless told not to, answers a chosen status for a path, 404 for anything else, can
 * drop the connection part-way through a whole-file answer, and records requests.
 */
final class LocalFileServer implements AutoCloseable {
    record Request(String path, String range, long bodyBytes) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final HttpServer http;
    /** Whether {@code Range: bytes=N-} is answered with 206 and the rest of the file; false sends the whole file. */
    volatile boolean honourRange = true;
    /** Bytes of a whole-file (200) answer sent before the connection is dropped; -1 sends everything. */
    volatile int cutAfter = -1;

    LocalFileServer() throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", this::handle);
        http.start();
    }

    @Override
    public void close() {
        http.stop(0);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort();
    }

    /** A loopback URL on which nothing listens: a connection there is refused. */
    static String closedPortUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        }
    }

    /** The path of {@code file} in a Hugging Face style layout, {@code /REPO/resolve/REVISION/FILE}. */
    static String hubPath(String repo, String revision, String file) {
        return "/" + repo + "/resolve/" + revision + "/" + file;
    }

    void serve(String path, byte[] content) {
        files.put(path, content);
    }

    void fail(String path, int status) {
        failures.put(path, status);
    }

    List<String> paths() {
        return requests.stream().map(Request::path).toList();
    }

    String rangeOf(String path) {
        return requests.stream()
                .filter(r -> r.path.equals(path))
                .findFirst()
                .map(Request::range)
                .orElse("no Range header");
    }

    long bodyBytesOf(String path) {
        return requests.stream()
                .filter(r -> r.path.equals(path))
                .mapToLong(Request::bodyBytes)
                .sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String range = exchange.getRequestHeaders().getFirst("Range");
        byte[] content = files.get(path);
        Integer failure = failures.get(path);
        if (failure != null || content == null) {
            int status = failure != null ? failure : 404;
            byte[] body = ("error " + status + "\n").getBytes(StandardCharsets.UTF_8);
            requests.add(new Request(path, range, 0));
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(body);
            }
            return;
        }
        int from = 0;
        int status = 200;
        if (honourRange && range != null && range.matches("bytes=\\d+-")) {
            from = Integer.parseInt(range.substring("bytes=".length(), range.length() - 1));
            if (from >= content.length) {
                requests.add(new Request(path, range, 0));
                exchange.getResponseHeaders().add("Content-Range", "bytes */" + content.length);
                exchange.sendResponseHeaders(416, -1);
                exchange.close();
                return;
            }
            status = 206;
            exchange.getResponseHeaders()
                    .add("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        exchange.getResponseHeaders().add("Accept-Ranges", honourRange ? "bytes" : "none");
        int length = content.length - from;
        int sent = status == 200 && cutAfter >= 0 ? Math.min(cutAfter, length) : length;
        requests.add(new Request(path, range, sent));
        exchange.sendResponseHeaders(status, length);
        OutputStream os = exchange.getResponseBody();
        os.write(content, from, sent);
        os.flush();
        if (sent < length) {
            // Leaving the handler with the promised length unmet makes the server drop the connection.
            throw new IOException("LocalFileServer: connection dropped after " + sent + " of " + length + " bytes");
        }
        os.close();
    }
}
