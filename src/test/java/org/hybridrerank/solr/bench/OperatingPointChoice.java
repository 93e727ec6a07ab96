package org.hybridrerank.solr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Dataset;

/**
 * Which operating point the example configset adopts, by a rule checked with two-fold cross-validation over the
 * test queries (even and odd positions): on the picking fold, among the points whose nDCG@10 is within 0.005 of
 * the reference, the one with the fewest tokens per pair (maxLength), and among those the best nDCG@10. The reference
 * is fp32-256 when the run evaluated it, else today's default (int8-128-truncate).
 * Fewer tokens is the cost that matters; latency itself is too noisy on a shared machine to separate points that
 * read the same number of tokens. Each fold's pick is then scored on the held-out fold.
 *
 * <p>Budget points ({@code reRankTimeAllowed}) are not candidates: the rule picks a configuration. Without either
 * reference's run there is nothing to compare against, and the cross-validation is skipped with a line that says so.
 *
 * <p>{@code main} recomputes the choice from a finished {@code bin/bench points} run (its TREC run files).
 */
public final class OperatingPointChoice {
    static final double TOLERANCE = 0.005;

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench-points");
        Map<String, Map<String, Integer>> qrels =
                Dataset.open(SharedData.scifact()).qrels("test");
        Map<OperatingPointBenchmark.Point, Map<String, Double>> perQuery = new LinkedHashMap<>();
        for (OperatingPointBenchmark.Point p : OperatingPointBenchmark.POINTS) {
            Path run = out.resolve(p.name()).resolve("run.rrf+ce.txt");
            if (Files.exists(run)) perQuery.put(p, OperatingPointBenchmark.perQueryNdcg(run, qrels));
        }
        System.out.print(crossValidated(perQuery, new ArrayList<>(qrels.keySet())));
    }

    static String crossValidated(Map<OperatingPointBenchmark.Point, Map<String, Double>> evaluated, List<String> ids) {
        // the fp32-256 reference when it ran, else today's default: a cheaper point must not fall below either
        OperatingPointBenchmark.Point reference = evaluated.containsKey(OperatingPointBenchmark.REFERENCE)
                ? OperatingPointBenchmark.REFERENCE
                : OperatingPointBenchmark.DEFAULT;
        if (!evaluated.containsKey(reference)) {
            return String.format(
                    Locale.ROOT,
                    "cross-validation of the rule skipped: neither %s nor %s, its references, was evaluated in this "
                            + "run (name one in the points argument)%n",
                    OperatingPointBenchmark.REFERENCE.name(),
                    OperatingPointBenchmark.DEFAULT.name());
        }
        Map<OperatingPointBenchmark.Point, Map<String, Double>> perQuery = new LinkedHashMap<>();
        evaluated.forEach((p, q) -> {
            if (!p.budgeted()) perQuery.put(p, q);
        });
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "two-fold cross-validation of the rule \"fewest tokens (maxLength) within %.3f nDCG@10 of %s, then "
                        + "best nDCG@10\":%n",
                TOLERANCE,
                reference.name()));
        for (int fold = 0; fold < 2; fold++) {
            List<String> pick = new ArrayList<>(), held = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) (i % 2 == fold ? held : pick).add(ids.get(i));
            double floor = mean(perQuery.get(reference), pick) - TOLERANCE;
            OperatingPointBenchmark.Point chosen = perQuery.keySet().stream()
                    .filter(p -> mean(perQuery.get(p), pick) >= floor)
                    .min(Comparator.comparingInt(OperatingPointBenchmark.Point::maxLength)
                            .thenComparing(p -> -mean(perQuery.get(p), pick)))
                    .orElseThrow();
            sb.append(String.format(
                    Locale.ROOT,
                    "  fold %d: picked on %d queries -> %s (%.4f there); held-out nDCG@10 %.4f, %s %.4f%n",
                    fold,
                    pick.size(),
                    chosen.name(),
                    mean(perQuery.get(chosen), pick),
                    mean(perQuery.get(chosen), held),
                    reference.name(),
                    mean(perQuery.get(reference), held)));
        }
        return sb.toString();
    }

    private static double mean(Map<String, Double> perQuery, List<String> ids) {
        return ids.stream()
                .mapToDouble(id -> perQuery.getOrDefault(id, 0.0))
                .average()
                .orElse(Double.NaN);
    }

    private OperatingPointChoice() {}
}
