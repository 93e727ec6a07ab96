package org.hybridrerank.solr.hybrid;

import java.util.Arrays;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.hybridrerank.solr.rerank.RerankWindow;

/**
 * Matches exactly the first stage's candidates, each scoring its fused score. Docids are those of the
 * request's searcher, which is also the only one this query runs against (caches are per searcher).
 */
public final class FusedCandidatesQuery extends Query implements RerankWindow {
    private final int[] docs; // sorted ascending
    private final float[] scores;
    private final String description;
    private final int rerankWindow;

    /**
     * @param description what produced the scores, for toString and explain (e.g. "rrf k=60")
     * @param rerankWindow how many of the best candidates a rank query may rerank, -1 for no limit
     */
    public FusedCandidatesQuery(int[] docs, float[] scores, String description, int rerankWindow) {
        Integer[] order = new Integer[docs.length];
        for (int i = 0; i < order.length; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Integer.compare(docs[a], docs[b]));
        this.docs = new int[docs.length];
        this.scores = new float[docs.length];
        for (int i = 0; i < order.length; i++) {
            this.docs[i] = docs[order[i]];
            this.scores[i] = scores[order[i]];
        }
        this.description = description;
        this.rerankWindow = rerankWindow;
    }

    @Override
    public int rerankWindow() {
        return rerankWindow;
    }

    public int size() {
        return docs.length;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
        return new Weight(this) {
            @Override
            public Scorer scorer(LeafReaderContext context) {
                int from = lowerBound(context.docBase);
                int to = lowerBound(context.docBase + context.reader().maxDoc());
                if (from == to) return null;
                return new CandidateScorer(this, context.docBase, from, to, boost);
            }

            @Override
            public Explanation explain(LeafReaderContext context, int doc) {
                int i = Arrays.binarySearch(docs, context.docBase + doc);
                if (i < 0) return Explanation.noMatch("not a first-stage candidate");
                return Explanation.match(scores[i] * boost, "first-stage " + description + " score");
            }

            @Override
            public boolean isCacheable(LeafReaderContext ctx) {
                return false;
            }
        };
    }

    private int lowerBound(int doc) {
        int i = Arrays.binarySearch(docs, doc);
        return i >= 0 ? i : -i - 1;
    }

    private final class CandidateScorer extends Scorer {
        private final int docBase;
        private final int from;
        private final int to;
        private final float boost;
        private int index;

        CandidateScorer(Weight weight, int docBase, int from, int to, float boost) {
            super(weight);
            this.docBase = docBase;
            this.from = from;
            this.to = to;
            this.boost = boost;
            this.index = from - 1;
        }

        @Override
        public int docID() {
            if (index < from) return -1;
            return index >= to ? DocIdSetIterator.NO_MORE_DOCS : docs[index] - docBase;
        }

        @Override
        public float score() {
            return scores[index] * boost;
        }

        @Override
        public float getMaxScore(int upTo) {
            float max = 0;
            for (int i = from; i < to; i++) max = Math.max(max, scores[i] * boost);
            return max;
        }

        @Override
        public DocIdSetIterator iterator() {
            return new DocIdSetIterator() {
                @Override
                public int docID() {
                    return CandidateScorer.this.docID();
                }

                @Override
                public int nextDoc() {
                    index++;
                    return docID();
                }

                @Override
                public int advance(int target) {
                    int i = lowerBound(target + docBase);
                    index = Math.max(index + 1, i);
                    return docID();
                }

                @Override
                public long cost() {
                    return to - from;
                }
            };
        }
    }

    @Override
    public void visit(QueryVisitor visitor) {
        visitor.visitLeaf(this);
    }

    @Override
    public String toString(String field) {
        return "FusedCandidates(" + description + ", " + docs.length + " docs"
                + (rerankWindow >= 0 ? ", rerankWindow=" + rerankWindow : "") + ")";
    }

    @Override
    public boolean equals(Object other) {
        return sameClassAs(other)
                && Arrays.equals(docs, ((FusedCandidatesQuery) other).docs)
                && Arrays.equals(scores, ((FusedCandidatesQuery) other).scores)
                && description.equals(((FusedCandidatesQuery) other).description)
                && rerankWindow == ((FusedCandidatesQuery) other).rerankWindow;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * classHash() + Arrays.hashCode(docs)) + Arrays.hashCode(scores)) + rerankWindow;
    }
}
