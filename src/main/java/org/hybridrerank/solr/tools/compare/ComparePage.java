package org.hybridrerank.solr.tools.compare;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Serves the compare page at {@code /compare/} beside Solr's {@code /solr} context, on the same origin so the
 * page's requests to Solr need no CORS set-up. The page's files come from the class path ({@code compare/});
 * {@code config.json} (the collection and Solr's context) and {@code judgments.json} are set by the demo.
 * Every other request goes on to Solr.
 */
public final class ComparePage extends HandlerWrapper {
    static final String PATH = "/compare";
    private static final Pattern PAGE_FILE = Pattern.compile("[a-z0-9-]+\\.(html|css|js)");
    private static final Map<String, String> TYPES =
            Map.of("html", "text/html", "css", "text/css", "js", "text/javascript", "json", "application/json");

    private volatile byte[] config = "{}".getBytes(StandardCharsets.UTF_8);
    private volatile byte[] judgments = "{\"queries\":[]}".getBytes(StandardCharsets.UTF_8);

    public ComparePage(org.eclipse.jetty.server.Handler solr) {
        setHandler(solr);
    }

    /** The JSON the page reads first: which collection to query and where Solr is. */
    public void config(byte[] json) {
        config = json.clone();
    }

    /** The judged queries of the indexed dataset ({@link JudgmentsJson}); none means plain search only. */
    public void judgments(byte[] json) {
        judgments = json.clone();
    }

    @Override
    public void handle(String target, Request base, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        if (!target.equals(PATH) && !target.startsWith(PATH + "/")) {
            super.handle(target, base, request, response);
            return;
        }
        base.setHandled(true);
        if (!"GET".equals(request.getMethod()) && !"HEAD".equals(request.getMethod())) {
            response.sendError(HttpServletResponse.SC_METHOD_NOT_ALLOWED);
            return;
        }
        if (target.equals(PATH)) {
            response.sendRedirect(
                    PATH + "/" + (request.getQueryString() == null ? "" : "?" + request.getQueryString()));
            return;
        }
        String name = target.substring(PATH.length() + 1);
        if (name.isEmpty()) name = "index.html";
        byte[] body =
                switch (name) {
                    case "config.json" -> config;
                    case "judgments.json" -> judgments;
                    default -> PAGE_FILE.matcher(name).matches() ? resource(name) : null;
                };
        if (body == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        response.setContentType(TYPES.get(name.substring(name.lastIndexOf('.') + 1)) + ";charset=utf-8");
        // the demo's data changes on restart and the page is being looked at while edited: never cache
        response.setHeader("Cache-Control", "no-store");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ComparePage.class.getResourceAsStream("/compare/" + name)) {
            return in == null ? null : in.readAllBytes();
        }
    }
}
