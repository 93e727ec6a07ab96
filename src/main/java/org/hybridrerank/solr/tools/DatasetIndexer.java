package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;

/**
 * Sends a dataset's documents to Solr in batches and accounts for every one of them. Solr refuses a whole
 * batch for one bad document, so a refused batch is sent again one document at a time to name the culprits
 * and keep the rest.
 */
public final class DatasetIndexer {
    private static final int BATCH = 64;
    /** Rejections kept with their reasons; past that only counted. */
    static final int NAMED_REJECTIONS = 10;

    public record Rejection(String id, long position, String reason) {
        @Override
        public String toString() {
            return (id == null ? "(no id)" : id) + " (document #" + position + " read): " + reason;
        }
    }

    /** {@code held}: what the index holds after the commit, which is less than accepted when ids repeat. */
    public record Report(long read, long accepted, long rejected, List<Rejection> firstRejections, long held) {
        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append("indexed ").append(accepted).append(" of ").append(read).append(" documents read");
            if (rejected > 0) sb.append("; ").append(rejected).append(" rejected");
            if (held != accepted) {
                sb.append("; the index holds ").append(held).append(" (documents sharing an id replace each other)");
            }
            return sb.toString();
        }
    }

    private final SolrClient solr;
    private final LongConsumer progress;
    private final List<SolrInputDocument> batch = new ArrayList<>();
    private final List<Long> positions = new ArrayList<>();
    private final List<Rejection> firstRejections = new ArrayList<>();
    private long read;
    private long accepted;
    private long rejected;

    public DatasetIndexer(SolrClient solr, LongConsumer progress) {
        this.solr = solr;
        this.progress = progress;
    }

    /** Replaces the index's content by the dataset's documents and commits. */
    public Report index(Dataset ds) throws IOException, SolrServerException {
        solr.deleteByQuery("*:*");
        ds.documents(d -> {
            SolrInputDocument doc = new SolrInputDocument();
            if (d.id() != null) doc.addField("id", d.id());
            doc.addField("title", d.title());
            doc.addField("text", d.text());
            batch.add(doc);
            positions.add(++read);
            if (batch.size() == BATCH) flush();
        });
        flush();
        solr.commit();
        long held = solr.query(new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
        return new Report(read, accepted, rejected, List.copyOf(firstRejections), held);
    }

    private void flush() {
        if (batch.isEmpty()) return;
        try {
            try {
                solr.add(batch);
                accepted += batch.size();
            } catch (SolrException refused) {
                for (int i = 0; i < batch.size(); i++) addAlone(batch.get(i), positions.get(i));
            }
        } catch (IOException | SolrServerException e) {
            // Solr unreachable: nothing more can be indexed, unlike a refused document
            throw new IllegalStateException("indexing failed after " + accepted + " documents: " + e.getMessage(), e);
        }
        progress.accept(batch.size());
        batch.clear();
        positions.clear();
    }

    private void addAlone(SolrInputDocument doc, long position) throws IOException, SolrServerException {
        try {
            solr.add(doc);
            accepted++;
        } catch (SolrException e) {
            rejected++;
            if (firstRejections.size() < NAMED_REJECTIONS) {
                Object id = doc.getFieldValue("id");
                firstRejections.add(new Rejection(id == null ? null : id.toString(), position, e.getMessage()));
            }
        }
    }
}
