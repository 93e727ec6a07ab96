package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.common.SolrException;
import org.apache.solr.handler.RequestHandlerBase;
import org.hybridrerank.solr.testutil.PlainSolr;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.slf4j.LoggerFactory;

/**
 * The console log of the bin/ commands (bin/_log4j2.xml, which bin/_run installs): a client's bad request to
 * the demo's Solr is one line with Solr's message, no stack trace; a server error keeps its stack trace.
 */
public class ClientErrorLogTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aBadRequestIsOneLineAServerErrorKeepsItsStackTrace() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        LoggerContext logging = (LoggerContext) LogManager.getContext(false);
        try (PlainSolr solr = PlainSolr.start(tmp.getRoot().toPath())) {
            System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
            logging.setConfigLocation(Path.of("bin", "_log4j2.xml").toUri());
            try (SolrClient client = new Http2SolrClient.Builder(solr.baseUrl())
                    .withDefaultCollection(PlainSolr.CORE)
                    .build()) {
                client.query(new SolrQuery("*:*").setSort("nofield", SolrQuery.ORDER.asc));
                throw new AssertionError("Solr accepted a sort on a field it does not have");
            } catch (SolrException rejected) {
                assertEquals(400, rejected.code());
            }
            LoggerFactory.getLogger(RequestHandlerBase.class)
                    .error("Server exception", new IllegalStateException("disk"));
        } finally {
            logging.setConfigLocation(null); // back to the configuration the tests had
            System.setErr(stderr);
        }
        List<String> lines = console.toString(StandardCharsets.UTF_8).lines().toList();
        List<String> clientErrors =
                lines.stream().filter(l -> l.contains("Client exception")).toList();
        assertEquals(String.join("\n", lines), 1, clientErrors.size());
        String expected = "Client exception: sort param field can't be found: nofield";
        assertTrue(clientErrors.get(0), clientErrors.get(0).endsWith(expected));
        int server = lines.indexOf(lines.stream()
                .filter(l -> l.contains("Server exception"))
                .findFirst()
                .orElseThrow());
        List<String> beforeServerError = lines.subList(0, server);
        assertFalse(String.join("\n", lines), beforeServerError.stream().anyMatch(l -> l.startsWith("\tat ")));
        assertTrue(String.join("\n", lines), lines.get(server + 1).contains("IllegalStateException: disk"));
        assertTrue(String.join("\n", lines), lines.get(server + 2).startsWith("\tat "));
    }
}
