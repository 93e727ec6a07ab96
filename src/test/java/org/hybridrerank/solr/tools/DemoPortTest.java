package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.apache.solr.embedded.JettySolrRunner;
import org.hybridrerank.solr.testutil.PlainSolr;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/demo on a port another program holds: one line naming the port and --port, exit 2, before the dataset is
 * read; and when the port is taken between that check and Jetty's start, Jetty's bare "STOPPED" is told the
 * same way.
 */
public class DemoPortTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void aTakenPortIsOneLineNamingItAndExit2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            // no --dataset: the default SciFact is not read at all, the port is checked first
            CliTest.Result r = CliTest.run(
                    new Demo(),
                    "--port",
                    Integer.toString(port),
                    "--home",
                    tmp.getRoot().toString());
            assertEquals(r.err(), 2, r.code());
            assertEquals(
                    List.of("port " + port + " is in use: stop what listens there, or choose another with --port"),
                    r.errLines());
        }
    }

    @Test
    public void withCloudTheNextPortsAreCheckedToo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int second = taken.getLocalPort();
            Assume.assumeTrue("the port below the taken one is free", DemoPorts.free(second - 1));
            CliTest.Result r =
                    CliTest.run(new Demo(), "--cloud", "--nodes", "2", "--port", Integer.toString(second - 1));
            assertEquals(r.err(), 2, r.code());
            assertEquals(r.err(), 1, r.errLines().size());
            assertTrue(
                    r.err(), r.err().startsWith("port " + second + " is in use (--cloud uses --port " + (second - 1)));
        }
    }

    @Test
    public void jettysFailedStartOnATakenPortIsToldAsThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            int port = taken.getLocalPort();
            JettySolrRunner jetty = PlainSolr.runner(tmp.getRoot().toPath(), port);
            try {
                jetty.start();
                jetty.stop();
                fail("Jetty started on a taken port");
            } catch (Exception e) {
                Exception told = new DemoPorts(port, 1).startFailure(e);
                assertTrue(String.valueOf(told), told instanceof UserError);
                assertTrue(told.getMessage(), told.getMessage().startsWith("port " + port + " is in use"));
                assertTrue(told.getMessage(), told.getMessage().contains("--port"));
            }
        }
    }

    @Test
    public void anotherFailedStartIsLeftAsItWas() throws Exception {
        Exception other = new IllegalStateException("no solr.xml");
        int free;
        try (ServerSocket probe = new ServerSocket(0)) {
            free = probe.getLocalPort();
        }
        assertEquals(other, new DemoPorts(free, 1).startFailure(other));
    }
}
