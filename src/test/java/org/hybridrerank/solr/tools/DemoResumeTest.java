package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.common.SolrDocument;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * bin/demo on a home whose index holds part of the dataset (what a stopped demo leaves): the next start says how
 * much is there, sends only the other documents (those indexed keep their _version_: not sent, so not embedded
 * again) and ends with the whole dataset; a start after that reuses the index.
 */
public class DemoResumeTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Map<String, String> properties;

    @Before
    public void saveProperties() {
        properties = DemoFixtures.saveProperties();
    }

    @After
    public void restoreProperties() {
        DemoFixtures.restoreProperties(properties);
    }

    @Test
    public void aPartialIndexIsCompletedWithoutSendingWhatItHolds() throws Exception {
        Path root = tmp.getRoot().toPath();
        Path part = DemoFixtures.claimsMini(root.resolve("part"), 20);
        Path all = DemoFixtures.claimsMini(root.resolve("all"), 50);
        Path home = root.resolve("home");
        Path jar = DemoFixtures.emptyJar(root);
        int port = DemoFixtures.freePort();

        DemoFixtures.Started first = DemoFixtures.start(DemoFixtures.options(part, "claims", home, jar, port));
        Map<String, Object> versionsBefore;
        try (Demo.Running running = first.running()) {
            assertNotNull(first.out(), running);
            versionsBefore = versions(running.solrUrl());
        }
        assertEquals(20, versionsBefore.size());

        DemoFixtures.Started second = DemoFixtures.start(DemoFixtures.options(all, "claims", home, jar, port));
        try (Demo.Running running = second.running()) {
            assertNotNull(second.out(), running);
            String out = second.out();
            assertTrue(out, out.contains("resuming: 20 of 50 documents already indexed\n"));
            assertTrue(out, out.contains("indexed 30 of 30 documents read, besides 20 already in the index in "));
            Map<String, Object> versionsAfter = versions(running.solrUrl());
            assertEquals(50, versionsAfter.size());
            // the documents indexed by the first start were not sent again: same _version_
            versionsBefore.forEach((id, v) -> assertEquals(id, v, versionsAfter.get(id)));
            try (SolrClient solr = new Http2SolrClient.Builder(running.solrUrl())
                    .withDefaultCollection("claims")
                    .build()) {
                // the ids as a resume reads them, here 7 to a page
                assertEquals(versionsAfter.keySet(), DatasetIndexer.indexedIds(solr, 7));
            }
        }

        DemoFixtures.Started third = DemoFixtures.start(DemoFixtures.options(all, "claims", home, jar, port));
        try (Demo.Running running = third.running()) {
            assertNotNull(third.out(), running);
            assertTrue(third.out(), third.out().contains("reusing the index of claims: 50 documents"));
            assertFalse(third.out(), third.out().contains("resuming"));
        }
    }

    /** id → _version_ of every document of the demo's core. */
    private static Map<String, Object> versions(String solrUrl) throws Exception {
        Map<String, Object> versions = new HashMap<>();
        try (SolrClient solr = new Http2SolrClient.Builder(solrUrl)
                .withDefaultCollection("claims")
                .build()) {
            for (SolrDocument d : solr.query(
                            new SolrQuery("*:*").setFields("id", "_version_").setRows(1000))
                    .getResults()) {
                versions.put((String) d.get("id"), d.get("_version_"));
            }
        }
        return versions;
    }
}
