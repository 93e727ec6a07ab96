package org.hybridrerank.solr.tools.compare;

import java.util.Properties;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/** A Solr node that also serves the {@link ComparePage} at {@code /compare/}. */
public final class CompareJettySolrRunner extends JettySolrRunner {
    // Set while the super constructor builds the handler chain, before this class's field initialisers would
    // run: so it must have none (an initialiser, even "= null", would overwrite the page afterwards).
    private ComparePage page;

    public CompareJettySolrRunner(String solrHome, JettyConfig config) {
        super(solrHome, config);
    }

    public CompareJettySolrRunner(String solrHome, Properties nodeProperties, JettyConfig config) {
        super(solrHome, nodeProperties, config);
    }

    @Override
    protected HandlerWrapper injectJettyHandlers(HandlerWrapper solr) {
        page = new ComparePage(solr);
        return page;
    }

    public ComparePage comparePage() {
        return page;
    }
}
