package org.hybridrerank.solr.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.Deadline;
import org.hybridrerank.solr.model.LongDocs;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ScoredPassages;
import org.hybridrerank.solr.model.ScoringOptions;
import org.hybridrerank.solr.model.WindowPooling;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;
import org.hybridrerank.solr.tools.RelevanceMetrics;

/**
 * longDocs=best against truncate on SciFact test, cheaply: the candidates of every query are plain Lucene BM25
 * (EnglishAnalyzer, title and text in one field) top N, the same candidates for every configuration, reranked
 * by the cross-encoder on "title text" and scored by nDCG@10 against the qrels (relevant docs outside the top
 * N count as missed). Not the hybrid first stage: it compares long-document modes on one candidate list.
 *
 * <p>Args: [model=scifact-minilm-l6-ce-int8] [topN=30] [queries=all] [configs=truncate:256,best:128,...]
 */
public final class PassageSelectionBenchmark {
    public static void main(String[] args) throws Exception {
        String modelName = args.length > 0 ? args[0] : "scifact-minilm-l6-ce-int8";
        int topN = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int maxQueries = args.length > 2 ? Integer.parseInt(args[2]) : Integer.MAX_VALUE;
        String configs = args.length > 3
                ? args[3]
                : "truncate:256,truncate:128,best:128,truncate:160,best:160,truncate:192,best:192,best:256";

        Dataset scifact = Dataset.open(SharedData.scifact());
        Map<String, Dataset.Doc> docs = new HashMap<>();
        EnglishAnalyzer analyzer = new EnglishAnalyzer();
        ByteBuffersDirectory dir = new ByteBuffersDirectory();
        try (IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(analyzer))) {
            scifact.documents(d -> {
                docs.put(d.id(), d);
                Document doc = new Document();
                doc.add(new StringField("id", d.id(), Field.Store.YES));
                doc.add(new TextField("body", d.title() + " " + d.text(), Field.Store.NO));
                try {
                    writer.addDocument(doc);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
        Map<String, String> queries = scifact.queries();
        Map<String, Map<String, Integer>> qrels = scifact.qrels("test");
        List<String> qids = new ArrayList<>(qrels.keySet());
        if (qids.size() > maxQueries) qids = qids.subList(0, maxQueries);

        Map<String, List<String>> candidates = new HashMap<>();
        double bm25 = 0;
        try (DirectoryReader reader = DirectoryReader.open(dir)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            QueryParser parser = new QueryParser("body", analyzer);
            for (String qid : qids) {
                List<String> ids = new ArrayList<>();
                for (ScoreDoc hit :
                        searcher.search(parser.parse(QueryParser.escape(queries.get(qid))), topN).scoreDocs) {
                    ids.add(searcher.storedFields().document(hit.doc).get("id"));
                }
                candidates.put(qid, ids);
                bm25 += RelevanceMetrics.ndcg(ids, qrels.get(qid), 10);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "%s, %d queries, BM25 top %d; BM25 nDCG@10 %.4f%n",
                modelName,
                qids.size(),
                topN,
                bm25 / qids.size());
        System.out.println("mode      maxLength  nDCG@10  moved_windows  long_docs  tokens  infer_s");

        ModelDirectory modelDir = ModelDirectory.open(SharedData.model(modelName));
        for (String config : configs.split(",")) {
            String[] parts = config.split(":");
            LongDocs mode = LongDocs.valueOf(parts[0].toUpperCase(Locale.ROOT));
            int maxLength = Integer.parseInt(parts[1]);
            CrossEncoderSettings settings = CrossEncoderSettings.defaultsFor(modelDir)
                    .maxLength(maxLength)
                    .batchSize(8)
                    .build();
            double ndcg = 0;
            long tokens = 0;
            long inferNanos = 0;
            int moved = 0;
            int longDocs = 0;
            int pairs = 0;
            try (CrossEncoder model = CrossEncoder.load(modelDir, settings)) {
                for (String qid : qids) {
                    List<String> ids = candidates.get(qid);
                    List<String> texts = new ArrayList<>();
                    for (String id : ids)
                        texts.add(docs.get(id).title() + " " + docs.get(id).text());
                    String claim = queries.get(qid);
                    ScoredPassages scored =
                            model.score(claim, texts, new ScoringOptions(mode, WindowPooling.MAX), Deadline.none());
                    tokens += scored.stats().realTokens();
                    inferNanos += scored.stats().inferenceNanos();
                    for (int i = 0; i < texts.size(); i++) {
                        if (scored.spans()[i].start() > 0) moved++;
                        if (scored.spans()[i].end() < texts.get(i).strip().length()) longDocs++;
                    }
                    pairs += texts.size();
                    Integer[] order = new Integer[ids.size()];
                    for (int i = 0; i < order.length; i++) order[i] = i;
                    float[] s = scored.scores();
                    Arrays.sort(order, (a, b) -> Float.compare(s[b], s[a])); // stable: ties keep BM25 order
                    List<String> ranking = new ArrayList<>();
                    for (int i : order) ranking.add(ids.get(i));
                    ndcg += RelevanceMetrics.ndcg(ranking, qrels.get(qid), 10);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-9s %9d  %.4f  %13d  %9d  %6d  %7.1f%n",
                    mode.label(),
                    maxLength,
                    ndcg / qids.size(),
                    moved,
                    longDocs,
                    tokens / pairs,
                    inferNanos / 1e9);
        }
    }
}
