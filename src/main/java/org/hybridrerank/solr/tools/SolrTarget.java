package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.apache.solr.common.SolrException;

/**
 * The Solr collection a tool sends its requests to ({@code --solr}, {@code --collection}, {@code --handler}), and
 * what its failures mean to the user, in one line naming the flag to change: SolrJ's own exceptions name no
 * flag, and a missing collection arrives as Jetty's HTML 404 page.
 */
final class SolrTarget {
    private final String url;
    private final String collection;
    private final String handler;

    SolrTarget(String url, String collection, String handler) {
        this.url = url;
        this.collection = collection;
        this.handler = handler;
    }

    /** Fails with a {@link UserError} unless Solr answers at the URL and holds the collection. */
    void check(SolrClient solr) throws Exception {
        try {
            new SchemaRequest.SchemaVersion().process(solr);
        } catch (SolrServerException | IOException | SolrException e) {
            throw explain(e);
        }
    }

    /**
     * {@code e}, thrown by a request to this target, as a {@link UserError} when it is one the user can fix;
     * else {@code e} itself.
     */
    Exception explain(Exception e) {
        if (unreachable(e)) return new UserError("cannot reach Solr at " + url + " (is it running? --solr)", e);
        if (e instanceof SolrException answered) {
            if (answered.code() == 404) {
                return holdsCollection()
                        ? new UserError(
                                "no request handler " + handler + " in collection " + collection + " at " + url
                                        + " (--handler)",
                                e)
                        : new UserError("no collection " + collection + " at " + url + " (--collection, --solr)", e);
            }
            return new UserError(
                    "Solr at " + url + " answered HTTP " + answered.code() + " for collection " + collection + ": "
                            + solrsMessage(answered),
                    e);
        }
        return e;
    }

    /** The first line of what Solr said, without SolrJ's "Error from server at URL: " before it. */
    private static String solrsMessage(SolrException e) {
        String message = Cli.firstLine(e.getMessage());
        String prefix = "Error from server at ";
        int end = message.indexOf(": ");
        return message.startsWith(prefix) && end > 0 ? message.substring(end + 2) : message;
    }

    private static boolean unreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException) return true;
        }
        // SolrJ wraps any I/O failure of the exchange (refused, reset, timed out) in a SolrServerException
        return e instanceof SolrServerException && e.getCause() instanceof IOException;
    }

    /** Whether Solr answers the collection's schema version: a 404 then means the handler is missing. */
    private boolean holdsCollection() {
        try (SolrClient solr = new Http2SolrClient.Builder(url)
                .withDefaultCollection(collection)
                .build()) {
            new SchemaRequest.SchemaVersion().process(solr);
            return true;
        } catch (Exception noSuchCollection) {
            return false;
        }
    }
}
