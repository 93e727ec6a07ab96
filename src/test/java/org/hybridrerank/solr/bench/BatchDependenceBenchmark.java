package org.hybridrerank.solr.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
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

/**
 * Does a pair's score depend on the pairs batched with it? Dynamically quantized graphs compute activation
 * scales per call, so it can; this measures how much, per model and batch size, against the same pair scored
 * alone (batch size 1), with the batch-mates shuffled so that each pair meets other neighbours. Also reports
 * the inference time per pair of each batch size, since batch size 1 is the way out if the scores drift.
 *
 * <p>Args: [claims=20] [docsPerClaim=40] [maxLength=128] [models=scifact-minilm-l6-ce,scifact-minilm-l6-ce-int8]
 * [batchSizes=1,4,8,16]
 */
public final class BatchDependenceBenchmark {
    public static void main(String[] args) throws Exception {
        int claims = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int perClaim = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        int maxLength = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        String[] models = (args.length > 3 ? args[3] : "scifact-minilm-l6-ce,scifact-minilm-l6-ce-int8").split(",");
        String[] batchSizes = (args.length > 4 ? args[4] : "1,4,8,16").split(",");

        Dataset scifact = Dataset.open(SharedData.scifact());
        List<String> texts = new ArrayList<>();
        scifact.documents(d -> texts.add(d.title() + " " + d.text()));
        List<String> claimTexts = new ArrayList<>(scifact.queries().values()).subList(0, claims);

        System.out.printf(
                Locale.ROOT, "%d claims x %d docs, maxLength %d, longDocs=best%n", claims, perClaim, maxLength);
        System.out.println(
                "model                      batch  max|d|     mean|d|   pairs_moved  claims_reordered  ms/pair");
        for (String modelName : models) {
            ModelDirectory dir = ModelDirectory.open(SharedData.model(modelName));
            float[][] alone = null;
            for (String b : batchSizes) {
                int batch = Integer.parseInt(b.trim());
                CrossEncoderSettings settings = CrossEncoderSettings.defaultsFor(dir)
                        .maxLength(maxLength)
                        .batchSize(batch)
                        .build();
                double maxDiff = 0;
                double sumDiff = 0;
                int moved = 0;
                int reordered = 0;
                long nanos = 0;
                float[][] scores = new float[claims][];
                try (CrossEncoder model = CrossEncoder.load(dir, settings)) {
                    for (int c = 0; c < claims; c++) {
                        List<Integer> order = new ArrayList<>();
                        for (int i = 0; i < perClaim; i++) order.add(i);
                        Collections.shuffle(order, new Random(c * 31L + batch));
                        List<String> passages = new ArrayList<>();
                        for (int i : order) passages.add(texts.get((c * perClaim + i) % texts.size()));
                        ScoredPassages scored = model.score(
                                claimTexts.get(c),
                                passages,
                                new ScoringOptions(LongDocs.BEST, WindowPooling.MAX),
                                Deadline.none());
                        nanos += scored.stats().inferenceNanos();
                        scores[c] = new float[perClaim];
                        for (int k = 0; k < perClaim; k++) scores[c][order.get(k)] = scored.scores()[k];
                    }
                }
                if (alone == null) alone = scores;
                for (int c = 0; c < claims; c++) {
                    boolean changed = false;
                    for (int i = 0; i < perClaim; i++) {
                        double d = Math.abs(scores[c][i] - alone[c][i]);
                        maxDiff = Math.max(maxDiff, d);
                        sumDiff += d;
                        if (d > 0) moved++;
                        for (int j = 0; j < perClaim && !changed; j++) {
                            if (Float.compare(alone[c][i], alone[c][j]) != Float.compare(scores[c][i], scores[c][j]))
                                changed = true;
                        }
                    }
                    if (changed) reordered++;
                }
                System.out.printf(
                        Locale.ROOT,
                        "%-26s %5d  %.2e  %.2e  %11d  %16d  %7.2f%n",
                        modelName,
                        batch,
                        maxDiff,
                        sumDiff / (claims * perClaim),
                        moved,
                        reordered,
                        nanos / 1e6 / (claims * perClaim));
            }
        }
    }

    private BatchDependenceBenchmark() {}
}
