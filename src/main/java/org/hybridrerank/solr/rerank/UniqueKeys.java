package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.solr.common.SolrException;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * Unique keys of docids and back: how docs are named across nodes (the hybrid first stage's lists, the model
 * scores a shard reports), since docids differ from one index to another.
 */
public final class UniqueKeys {
    private UniqueKeys() {}

    public static SchemaField field(SolrIndexSearcher searcher) {
        SchemaField key = searcher.getSchema().getUniqueKeyField();
        if (key == null) {
            throw new SolrException(
                    SolrException.ErrorCode.BAD_REQUEST, "the schema needs a uniqueKey to name docs across nodes");
        }
        return key;
    }

    /** Keys aligned with {@code docIds}. */
    public static String[] of(SolrIndexSearcher searcher, int[] docIds) throws IOException {
        SchemaField key = field(searcher);
        String[] keys = new DocumentText(List.of(key.getName()), " ").load(searcher, docIds);
        for (String k : keys) {
            if (k.isEmpty()) {
                throw new SolrException(
                        SolrException.ErrorCode.SERVER_ERROR,
                        "uniqueKey field '" + key.getName() + "' must be stored or docValues");
            }
        }
        return keys;
    }

    /** The live docid of a key on this searcher, or -1 when this index does not hold it. */
    public static int docOf(SolrIndexSearcher searcher, SchemaField keyField, String key) throws IOException {
        return searcher.getFirstMatch(
                new Term(keyField.getName(), keyField.getType().readableToIndexed(key)));
    }
}
