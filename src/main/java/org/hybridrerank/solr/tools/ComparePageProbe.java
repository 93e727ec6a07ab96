package org.hybridrerank.solr.tools;

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
        try {
            URI solr = URI.create(solrUrl);
            String page =
                    new URI(solr.getScheme(), null, solr.getHost(), solr.getPort(), "/compare/", null, null).toString();
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(3))
                    .build();
            HttpResponse<Void> rsp = http.send(
                    HttpRequest.newBuilder(URI.create(page + "config.json"))
                            .timeout(Duration.ofSeconds(5))
                            .build(),
                    HttpResponse.BodyHandlers.discarding());
            return rsp.statusCode() == 200 ? page : null;
        } catch (Exception notServing) {
            return null; // a plain Solr: the report simply has no links
        }
    }
}
