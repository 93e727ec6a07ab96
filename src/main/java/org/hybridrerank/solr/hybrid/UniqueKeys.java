package org.hybridrerank.solr.hybrid;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.Term;
import org.apache.solr.common.SolrException;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SolrIndexSearcher;
import org.hybridrerank.solr.rerank.DocumentText;

/** Unique keys of docids and back: the currency of the first stage, the same on every node. */
final class UniqueKeys {
  private UniqueKeys() {}

  static SchemaField field(SolrIndexSearcher searcher) {
    SchemaField key = searcher.getSchema().getUniqueKeyField();
    if (key == null) {
      throw new SolrException(SolrException.ErrorCode.BAD_REQUEST, "hybrid: the schema needs a uniqueKey");
    }
    return key;
  }

  /** Keys aligned with {@code docIds}. */
  static String[] of(SolrIndexSearcher searcher, int[] docIds) throws IOException {
    SchemaField key = field(searcher);
    String[] keys = new DocumentText(List.of(key.getName()), " ").load(searcher, docIds);
    for (String k : keys) {
      if (k.isEmpty()) {
        throw new SolrException(
            SolrException.ErrorCode.SERVER_ERROR,
            "hybrid: uniqueKey field '" + key.getName() + "' must be stored or docValues");
      }
    }
    return keys;
  }

  /** The live docid of a key on this searcher, or -1 when this index does not hold it. */
  static int docOf(SolrIndexSearcher searcher, SchemaField keyField, String key) throws IOException {
    return searcher.getFirstMatch(new Term(keyField.getName(), keyField.getType().readableToIndexed(key)));
  }
}
