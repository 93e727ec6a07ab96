package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Finds the compare page a {@code bin/demo} serves on the same host and port as its Solr. */
final class ComparePageProbe {
    private ComparePageProbe() {}

    /** {@code http://host:port/compare/} when that server answers its config.json, else null. */
    static String beside(String solrUrl) {
        return beside(solrUrl, null);
    }

    /**
     * The compare page beside {@code solrUrl} when it searches {@code collection} (its config.json names the
     * collection the page queries: a demo's page serves one), else null.
     */
    static String besideFor(String solrUrl, String collection) {
        return beside(solrUrl, collection);
    }

    private static String beside(String solrUrl, String collection) {
        try {
            URI solr = URI.create(solrUrl);
            String page =
                    new URI(solr.getScheme(), null, solr.getHost(), solr.getPort(), "/compare/", null, null).toString();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
            HttpResponse<String> rsp = http.send(
                    HttpRequest.newBuilder(URI.create(page + "config.json"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (rsp.statusCode() != 200) return null;
            if (collection == null) return page;
            String served =
                    new ObjectMapper().readTree(rsp.body()).path("collection").asText("");
            return collection.equals(served) ? page : null;
        } catch (Exception notServing) {
            return null; // a plain Solr: the report simply has no links
        }
    }
}
