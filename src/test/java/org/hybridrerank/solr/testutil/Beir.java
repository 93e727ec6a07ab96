package org.hybridrerank.solr.testutil;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.common.SolrInputDocument;
import org.hybridrerank.solr.tools.Dataset;

/** Slices of a BEIR dataset for tests and benchmarks, read by the same {@link Dataset} bin/eval uses. */
public final class Beir {
    private Beir() {}

    /** The first {@code limit} documents, by id. */
    public static Map<String, Dataset.Doc> corpus(Path dataset, int limit) throws Exception {
        Map<String, Dataset.Doc> docs = new LinkedHashMap<>();
        Dataset.open(dataset).documents(d -> {
            if (docs.size() < limit) docs.put(d.id(), d);
        });
        return docs;
    }

    public static Map<String, Dataset.Doc> docsById(Path dataset, Set<String> ids) throws Exception {
        Map<String, Dataset.Doc> docs = new LinkedHashMap<>();
        Dataset.open(dataset).documents(d -> {
            if (ids.contains(d.id())) docs.put(d.id(), d);
        });
        return docs;
    }

    public static Map<String, String> queries(Path dataset) throws Exception {
        return Dataset.open(dataset).queries();
    }

    /** query id → relevant doc ids, in file order. */
    public static Map<String, List<String>> qrels(Path dataset, String split) throws Exception {
        Map<String, List<String>> relevant = new LinkedHashMap<>();
        Dataset.open(dataset)
                .qrels(split)
                .forEach((qid, judged) -> judged.forEach((doc, grade) -> {
                    if (grade > 0)
                        relevant.computeIfAbsent(qid, k -> new ArrayList<>()).add(doc);
                }));
        return relevant;
    }

    /** Adds docs (id, title, text) in batches and commits; {@code progress} sees the running count. */
    public static void index(SolrClient solr, Collection<Dataset.Doc> docs, IntConsumer progress) throws Exception {
        index(solr, docs, progress, (d, doc) -> {});
    }

    /** The same, with more fields set on each doc by {@code more}. */
    public static void index(
            SolrClient solr,
            Collection<Dataset.Doc> docs,
            IntConsumer progress,
            java.util.function.BiConsumer<Dataset.Doc, SolrInputDocument> more)
            throws Exception {
        List<SolrInputDocument> batch = new ArrayList<>();
        int added = 0;
        for (Dataset.Doc d : docs) {
            SolrInputDocument doc = new SolrInputDocument();
            doc.addField("id", d.id());
            doc.addField("title", d.title());
            doc.addField("text", d.text());
            more.accept(d, doc);
            batch.add(doc);
            if (batch.size() == 256) {
                solr.add(batch);
                added += batch.size();
                batch.clear();
                progress.accept(added);
            }
        }
        if (!batch.isEmpty()) solr.add(batch);
        solr.commit();
    }
}
