package org.hybridrerank.solr.testutil;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.tools.Demo;

/**
 * A real Solr over HTTP with one small core, {@value #CORE} (a string id, /select only): for the tools' tests
 * of what a user sees when Solr answers with an error. Starts in seconds; no models, no plugin.
 */
public final class PlainSolr implements AutoCloseable {
    public static final String CORE = "plain";
    private final JettySolrRunner jetty;

    private PlainSolr(JettySolrRunner jetty) {
        this.jetty = jetty;
    }

    /** Solr home in {@code home}, on a free port. */
    public static PlainSolr start(Path home) throws Exception {
        JettySolrRunner jetty = runner(home, 0);
        jetty.start();
        return new PlainSolr(jetty);
    }

    /** A runner on {@code port} with the home laid out, not started. */
    public static JettySolrRunner runner(Path home, int port) throws Exception {
        Files.writeString(home.resolve("solr.xml"), "<solr></solr>");
        Path conf = Files.createDirectories(home.resolve(CORE).resolve("conf"));
        Files.writeString(home.resolve(CORE).resolve("core.properties"), "name=" + CORE + "\n");
        Files.writeString(
                conf.resolve("schema.xml"),
                "<schema name='plain' version='1.6'><uniqueKey>id</uniqueKey>"
                        + "<field name='id' type='string' indexed='true' stored='true'/>"
                        + "<field name='_version_' type='long' indexed='true' stored='true'/>"
                        + "<fieldType name='string' class='solr.StrField'/>"
                        + "<fieldType name='long' class='solr.LongPointField'/></schema>");
        Files.writeString(
                conf.resolve("solrconfig.xml"),
                "<config><luceneMatchVersion>9.0</luceneMatchVersion><schemaFactory class='ClassicIndexSchemaFactory'/>"
                        + "<requestHandler name='/select' class='solr.SearchHandler'/></config>");
        return new JettySolrRunner(
                home.toString(), JettyConfig.builder().setPort(port).build());
    }

    /** e.g. http://127.0.0.1:PORT/solr */
    public String baseUrl() {
        return jetty.getBaseUrl().toString();
    }

    @Override
    public void close() {
        Demo.StopAction stop = jetty::stop;
        stop.runUnchecked("Solr");
    }
}
