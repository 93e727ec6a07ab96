package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * Sends a dataset's documents to Solr in batches and accounts for every one of them. Solr refuses a whole
 * batch for one bad document, so a refused batch is sent again one document at a time to name the culprits
 * and keep the rest. {@link #resume} completes an index that holds part of the dataset, sending only the documents
 * whose id it lacks; {@link #stop} (from another thread) ends a run after the batch in flight and commits what
 * Solr acknowledged.
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

    /**
     * {@code held}: what the index holds after the commit, which is less than accepted when ids repeat;
     * {@code skipped}: documents read but not sent, their id being in the index already ({@link #resume});
     * {@code stopped}: {@link #stop} ended the run before the end of the dataset.
     */
    public record Report(
            long read,
            long accepted,
            long rejected,
            List<Rejection> firstRejections,
            long held,
            long skipped,
            boolean stopped) {
        public Report(long read, long accepted, long rejected, List<Rejection> firstRejections, long held) {
            this(read, accepted, rejected, firstRejections, held, 0, false);
        }

        /** Documents read and sent to Solr (not already in the index). */
        public long sent() {
            return read - skipped;
        }

        public String summary() {
            StringBuilder sb = new StringBuilder();
            sb.append("indexed ").append(accepted).append(" of ").append(sent()).append(" documents read");
            if (skipped > 0) sb.append(", besides ").append(skipped).append(" already in the index");
            if (rejected > 0) sb.append("; ").append(rejected).append(" rejected");
            if (held != accepted + skipped) {
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
    /** Read by the thread that stops a run, to tell how far it got when the batch in flight does not end. */
    private volatile long accepted;

    private long rejected;
    private long skipped;
    private volatile boolean stopRequested;

    /** Thrown out of the dataset's reading when a stop was asked for. */
    private static final class Stopped extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Stopped() {
            super("stopped", null, false, false);
        }
    }

    public DatasetIndexer(SolrClient solr, LongConsumer progress) {
        this.solr = solr;
        this.progress = progress;
    }

    /** Replaces the index's content by the dataset's documents and commits. */
    public Report index(Dataset ds) throws IOException, SolrServerException {
        solr.deleteByQuery("*:*");
        return send(ds, Set.of());
    }

    /**
     * Completes an index holding part of the dataset: the documents whose id is in {@code present} (the index's
     * ids, {@link #indexedIds}) are read and counted as skipped, not sent (so not embedded again); the rest are
     * added and committed.
     */
    public Report resume(Dataset ds, Set<String> present) throws IOException, SolrServerException {
        return send(ds, present);
    }

    /**
     * Asks a run to stop: no batch is sent after the one in flight, which ends as Solr answers it; the run then
     * commits what Solr acknowledged and returns a report with {@code stopped}. Callable from any thread.
     */
    public void stop() {
        stopRequested = true;
    }

    /** Documents Solr acknowledged so far in this run (they are committed when the run returns). */
    public long accepted() {
        return accepted;
    }

    private Report send(Dataset ds, Set<String> present) throws IOException, SolrServerException {
        boolean stopped = false;
        try {
            ds.documents(d -> {
                if (stopRequested) throw new Stopped();
                read++;
                if (d.id() != null && present.contains(d.id())) {
                    skipped++;
                    return;
                }
                SolrInputDocument doc = new SolrInputDocument();
                if (d.id() != null) doc.addField("id", d.id());
                doc.addField("title", d.title());
                doc.addField("text", d.text());
                batch.add(doc);
                positions.add(read);
                if (batch.size() == BATCH) flush();
            });
            flush();
        } catch (Stopped s) {
            stopped = true; // the documents read but not yet sent stay out; a resume sends them
            read -= batch.size();
            batch.clear();
            positions.clear();
        }
        solr.commit();
        long held = solr.query(new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
        return new Report(read, accepted, rejected, List.copyOf(firstRejections), held, skipped, stopped);
    }

    /** Page size of {@link #indexedIds}. */
    static final int ID_PAGE = 10_000;

    /**
     * The ids the index holds, read with a cursor over {@code id} (docValues), {@link #ID_PAGE} at a time: memory
     * and time in proportion to the index, no deep paging.
     */
    public static Set<String> indexedIds(SolrClient solr) throws IOException, SolrServerException {
        return indexedIds(solr, ID_PAGE);
    }

    static Set<String> indexedIds(SolrClient solr, int page) throws IOException, SolrServerException {
        Set<String> ids = new HashSet<>();
        String cursor = CursorMarkParams.CURSOR_MARK_START;
        while (true) {
            SolrQuery q = new SolrQuery("*:*").setFields("id").setRows(page).setSort("id", SolrQuery.ORDER.asc);
            q.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
            QueryResponse rsp = solr.query(q);
            for (SolrDocument d : rsp.getResults())
                ids.add(d.getFirstValue("id").toString());
            String next = rsp.getNextCursorMark();
            if (next == null || next.equals(cursor)) return ids;
            cursor = next;
        }
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
