package org.hybridrerank.solr.rerank;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexableField;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.schema.FieldType;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.DocValuesIteratorCache;
import org.apache.solr.search.SolrDocumentFetcher;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * Reads the text the model sees for each document: the configured fields, in order, from stored values (or
 * docValues for fields that are not stored), values joined by a separator. Documents are visited in docid
 * order so stored-field blocks and docValues iterators only move forward.
 */
public final class DocumentText {
    private final List<String> fields;
    private final String separator;

    public DocumentText(List<String> fields, String separator) {
        this.fields = fields;
        this.separator = separator;
    }

    /** Texts aligned with {@code docIds} (index-wide ids). */
    public String[] load(SolrIndexSearcher searcher, int[] docIds) throws IOException {
        IndexSchema schema = searcher.getSchema();
        Set<String> stored = new HashSet<>();
        Set<String> docValuesOnly = new HashSet<>();
        for (String name : fields) {
            SchemaField field = schema.getField(name);
            (field.stored() ? stored : docValuesOnly).add(name);
        }
        Integer[] order = new Integer[docIds.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(docIds[a], docIds[b]));

        SolrDocumentFetcher fetcher = searcher.getDocFetcher();
        DocValuesIteratorCache docValues = docValuesOnly.isEmpty() ? null : new DocValuesIteratorCache(searcher);
        String[] texts = new String[docIds.length];
        for (int i : order) {
            int docId = docIds[i];
            Document document = stored.isEmpty() ? null : fetcher.doc(docId, stored);
            SolrDocument fromDocValues = null;
            if (docValues != null) {
                fromDocValues = new SolrDocument();
                fetcher.decorateDocValueFields(fromDocValues, docId, docValuesOnly, docValues);
            }
            texts[i] = join(schema, document, fromDocValues);
        }
        return texts;
    }

    private String join(IndexSchema schema, Document document, SolrDocument fromDocValues) {
        List<String> parts = new ArrayList<>();
        for (String name : fields) {
            if (document != null && document.getField(name) != null) {
                FieldType type = schema.getField(name).getType();
                for (IndexableField value : document.getFields(name)) {
                    // the external form: a numeric field stores a number, whose stringValue() is null
                    String text = type.toExternal(value);
                    if (text != null && !text.isEmpty()) parts.add(text);
                }
            } else if (fromDocValues != null) {
                for (Object value : valuesOf(fromDocValues.getFieldValue(name))) {
                    String text = value.toString();
                    if (!text.isEmpty()) parts.add(text);
                }
            }
        }
        return String.join(separator, parts);
    }

    private static Iterable<?> valuesOf(Object value) {
        if (value == null) return List.of();
        if (value instanceof Iterable<?> many) return many;
        return List.of(value);
    }
}
