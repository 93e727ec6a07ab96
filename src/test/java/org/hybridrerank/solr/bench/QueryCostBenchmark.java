package org.hybridrerank.solr.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hybridrerank.solr.model.CrossEncoder;
import org.hybridrerank.solr.model.CrossEncoderSettings;
import org.hybridrerank.solr.model.Deadline;
import org.hybridrerank.solr.model.ModelDirectory;
import org.hybridrerank.solr.model.ScoringOptions;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;

/**
 * What a hostile query costs the cross-encoder: scoring the same K SciFact passages against a normal claim, a
 * 100 KB query of many words and a 1 MB query of one single "word", end to end through
 * {@link CrossEncoder#score} (tokenization, batching, inference). Prints medians and the ratio to the claim.
 *
 * <p>Args: [k=100] [repeats=3] [model=scifact-minilm-l6-ce]
 */
public final class QueryCostBenchmark {
    public static void main(String[] args) throws Exception {
        int k = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String modelName = args.length > 2 ? args[2] : "scifact-minilm-l6-ce";
        List<String> passages = new ArrayList<>();
        for (Dataset.Doc doc : Beir.corpus(SharedData.scifact(), k).values())
            passages.add(doc.title() + "\n" + doc.text());
        ModelDirectory dir = ModelDirectory.open(SharedData.model(modelName));
        Map<String, String> queries = Map.of(
                "claim", "0-dimensional biomaterials show inductive properties.",
                "100KB words", "vitamin deficiency fracture ".repeat(100 * 1024 / 28),
                "1MB one token", "x".repeat(1 << 20));
        CrossEncoderSettings settings =
                CrossEncoderSettings.defaultsFor(dir).batchSize(4).build();
        try (CrossEncoder model = CrossEncoder.load(dir, settings)) {
            model.score("warm up", passages, ScoringOptions.DEFAULT, Deadline.none());
            double claim = 0;
            System.out.printf(
                    Locale.ROOT, "model %s, K=%d passages, median of %d%n", modelName, passages.size(), repeats);
            System.out.println("query            chars     total_ms  tokenize_ms  ratio_to_claim");
            for (String name : List.of("claim", "100KB words", "1MB one token")) {
                String query = queries.get(name);
                double[] total = new double[repeats];
                double[] tokenize = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    long start = System.nanoTime();
                    var scored = model.score(query, passages, ScoringOptions.DEFAULT, Deadline.none());
                    total[r] = (System.nanoTime() - start) / 1e6;
                    tokenize[r] = scored.stats().tokenizeNanos() / 1e6;
                }
                double median = median(total);
                if (name.equals("claim")) claim = median;
                System.out.printf(
                        Locale.ROOT,
                        "%-15s %8d %11.1f %12.1f %10.2fx%n",
                        name,
                        query.length(),
                        median,
                        median(tokenize),
                        median / claim);
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
