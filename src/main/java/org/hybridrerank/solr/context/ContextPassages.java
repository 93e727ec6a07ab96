package org.hybridrerank.solr.context;

import java.util.ArrayList;
import java.util.List;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.LongDocs;
import org.hybridrerank.solr.model.PassageSpan;
import org.hybridrerank.solr.rerank.ModelScore;
import org.hybridrerank.solr.rerank.RerankParams;

/**
 * The passage of each doc of the page, as one node and a SolrCloud coordinator both compute it from the same
 * inputs: a reranked doc's passage is the span the cross-encoder read (ce_passage); any other doc's is its head,
 * the span the cross-encoder would read with {@code longDocs=truncate} for this request's text (the first tokens
 * of its model text that fit beside the query). Token counts come from the context's tokenizer.
 */
final class ContextPassages {
    private ContextPassages() {}

    /**
     * One doc of the page.
     *
     * @param text its model text: the rerank's fields joined by its separator
     * @param modelScore its model score and passage when the cross-encoder reranked it, else null
     */
    record Doc(String id, String text, ModelScore modelScore) {}

    /**
     * @param reader the rerank's model: its tokenizer and window define a head
     * @param counter the model whose tokenizer counts the budget's tokens
     */
    static List<ContextPacker.Passage> of(
            List<Doc> page, RerankParams rerank, CrossEncoder reader, CrossEncoder counter) {
        List<String> heads = new ArrayList<>();
        for (Doc doc : page) if (!reranked(doc)) heads.add(doc.text());
        PassageSpan[] headSpans = heads.isEmpty()
                ? new PassageSpan[0]
                : reader.encoder()
                        .encodePairs(rerank.reRankText() == null ? "" : rerank.reRankText(), heads, LongDocs.TRUNCATE)
                        .spans();
        List<String> texts = new ArrayList<>(page.size());
        List<PassageSpan> spans = new ArrayList<>(page.size());
        int head = 0;
        for (Doc doc : page) {
            PassageSpan span = reranked(doc) ? doc.modelScore().passage() : headSpans[head++];
            int start = Math.min(span.start(), doc.text().length());
            int end = Math.max(start, Math.min(span.end(), doc.text().length()));
            spans.add(new PassageSpan(start, end));
            texts.add(doc.text().substring(start, end));
        }
        int[] tokens = counter.encoder().tokenCounts(texts);
        List<ContextPacker.Passage> out = new ArrayList<>(page.size());
        for (int i = 0; i < page.size(); i++) {
            Doc doc = page.get(i);
            boolean reranked = reranked(doc);
            Double confidence = reranked ? rerank.confidence(doc.modelScore().score()) : null;
            out.add(new ContextPacker.Passage(
                    doc.id(), reranked, spans.get(i).start(), spans.get(i).end(), texts.get(i), tokens[i], confidence));
        }
        return out;
    }

    /** Loads docs {@code [from, to)} of the page. */
    interface PageLoader {
        List<Doc> load(int from, int to) throws java.io.IOException;
    }

    /** Passages computed {@link #CHUNK} docs at a time, as packing pulls them: a long page costs what is packed. */
    static java.util.Iterator<ContextPacker.Passage> lazily(
            int pageSize, PageLoader loader, RerankParams rerank, CrossEncoder reader, CrossEncoder counter) {
        return new java.util.Iterator<>() {
            private int loaded;
            private java.util.Iterator<ContextPacker.Passage> chunk = java.util.Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                return chunk.hasNext() || loaded < pageSize;
            }

            @Override
            public ContextPacker.Passage next() {
                if (!chunk.hasNext()) {
                    if (loaded >= pageSize) throw new java.util.NoSuchElementException();
                    int to = Math.min(pageSize, loaded + CHUNK);
                    try {
                        chunk = of(loader.load(loaded, to), rerank, reader, counter)
                                .iterator();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    loaded = to;
                }
                return chunk.next();
            }
        };
    }

    /** Docs per chunk: a 2,048-token budget of 100-200-token passages takes one or two. */
    static final int CHUNK = 8;

    /** Reranked with one passage read (longDocs=window, which pools windows, is refused by the component). */
    private static boolean reranked(Doc doc) {
        return doc.modelScore() != null && doc.modelScore().passage() != null;
    }
}
