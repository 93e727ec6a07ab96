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
 * {@code Range: bytes=N-} (206), answers a chosen status for a path, 404 for anything else, and records requests.
 */
final class LocalFileServer implements AutoCloseable {
    record Request(String path, String range, long bodyBytes) {}

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> files = new ConcurrentHashMap<>();
    private final Map<String, Integer> failures = new ConcurrentHashMap<>();
    private final HttpServer http;

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
        if (range != null && range.matches("bytes=\\d+-")) {
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
        exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
        requests.add(new Request(path, range, content.length - from));
        exchange.sendResponseHeaders(status, content.length - from);
        try (OutputStream os = exchange.getResponseBody()) {
            os.write(content, from, content.length - from);
        }
    }
}
