package org.hybridrerank.solr.hybrid;

import java.io.IOException;
import java.util.Arrays;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.queries.function.FunctionScoreQuery;
import org.apache.lucene.search.DoubleValues;
import org.apache.lucene.search.DoubleValuesSource;
import org.apache.lucene.search.FieldExistsQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;

/**
 * Exact nearest neighbours: every doc with a vector scores the field's similarity to the query vector (the
 * very function HNSW search scores with), so the top N are the true top N, whatever the index's graph.
 */
final class ExactVectorQuery {
    private ExactVectorQuery() {}

    static Query of(String field, float[] queryVector) {
        return new FunctionScoreQuery(new FieldExistsQuery(field), new Similarity(field, queryVector));
    }

    private static final class Similarity extends DoubleValuesSource {
        private final String field;
        private final float[] queryVector;

        Similarity(String field, float[] queryVector) {
            this.field = field;
            this.queryVector = queryVector;
        }

        @Override
        public DoubleValues getValues(LeafReaderContext ctx, DoubleValues scores) throws IOException {
            FieldInfo info = ctx.reader().getFieldInfos().fieldInfo(field);
            if (info == null || info.getVectorEncoding() != VectorEncoding.FLOAT32) return NONE;
            return DoubleValuesSource.similarityToQueryVector(ctx, queryVector, field);
        }

        private static final DoubleValues NONE = new DoubleValues() {
            @Override
            public double doubleValue() {
                return 0;
            }

            @Override
            public boolean advanceExact(int doc) {
                return false;
            }
        };

        @Override
        public boolean needsScores() {
            return false;
        }

        @Override
        public DoubleValuesSource rewrite(IndexSearcher searcher) {
            return this;
        }

        @Override
        public boolean isCacheable(LeafReaderContext ctx) {
            return false;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Similarity s && field.equals(s.field) && Arrays.equals(queryVector, s.queryVector);
        }

        @Override
        public int hashCode() {
            return 31 * field.hashCode() + Arrays.hashCode(queryVector);
        }

        @Override
        public String toString() {
            return "exactVectorSimilarity(" + field + ")";
        }
    }
}
