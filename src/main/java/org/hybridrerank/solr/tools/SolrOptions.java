package org.hybridrerank.solr.tools;

import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import picocli.CommandLine.Option;

/**
 * The options that name a running Solr's collection and request handler, the same in every command that sends
 * requests to one (bin/eval, bin/tune): {@code --solr}, {@code --collection} and {@code --handler}. A picocli mixin.
 */
final class SolrOptions {
    @Option(
            names = "--solr",
            defaultValue = "http://localhost:8983/solr",
            description = "Solr base URL (default ${DEFAULT-VALUE})")
    String solrUrl;

    @Option(names = "--collection", description = "collection or core (default: the dataset folder's name)")
    String collection;

    @Option(names = "--handler", defaultValue = "/hybrid", description = "request handler (default ${DEFAULT-VALUE})")
    String handler;

    /** The collection requests go to: {@code --collection}, else the dataset folder's name. */
    String core(Dataset data) {
        return collection != null ? collection : data.name();
    }

    /** The target of the requests, {@code core} in the Solr at {@code --solr}, for explaining failures. */
    SolrTarget target(String core) {
        return new SolrTarget(solrUrl, core, handler);
    }

    /** A client of the Solr at {@code --solr} whose requests go to {@code core}. */
    SolrClient client(String core) {
        return new Http2SolrClient.Builder(solrUrl).withDefaultCollection(core).build();
    }
}
