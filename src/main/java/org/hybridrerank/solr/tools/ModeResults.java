package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything measured for one mode: per-query metrics, rankings, latencies and stage timings. */
public final class ModeResults {
    public static final int[] RECALL_DEPTHS = {10, 20, 50, 100, 200, 500};
    public static final List<String> METRICS;

    static {
        List<String> m = new ArrayList<>(List.of("ndcg@10", "mrr@10"));
        for (int k : RECALL_DEPTHS) m.add("recall@" + k);
        METRICS = List.copyOf(m);
    }

    /** Query-length segments, in words. */
    public static final Map<String, int[]> SEGMENTS =
            orderedSegments(); // short, medium, long: the order reports list them in

    private static Map<String, int[]> orderedSegments() {
        Map<String, int[]> segments = new LinkedHashMap<>();
        segments.put("short (1-5 words)", new int[] {1, 5});
        segments.put("medium (6-10 words)", new int[] {6, 10});
        segments.put("long (11+ words)", new int[] {11, Integer.MAX_VALUE});
        return java.util.Collections.unmodifiableMap(segments);
    }

    record QueryResult(
            String id,
            int words,
            List<String> ranking,
            List<Float> scores,
            Map<String, Double> metrics,
            double latencyMs,
            Map<String, Double> stages,
            String status,
            Boolean modelTrusted,
            String coverage) {}

    private final EvalMode mode;
    private final List<QueryResult> queries = new ArrayList<>();

    ModeResults(EvalMode mode) {
        this.mode = mode;
    }

    public EvalMode mode() {
        return mode;
    }

    List<QueryResult> queries() {
        return queries;
    }

    /**
     * What a reranked answer's header said: {@code rerank.status}, {@code rerank.modelTrusted} (null when the trust
     * rule did not judge the query) and {@code rerank.coverage} ({@code N/K}, sent with {@code partial}); all null
     * for a mode that does not rerank.
     */
    record RerankHeader(String status, Boolean modelTrusted, String coverage) {
        static final RerankHeader NONE = new RerankHeader(null, null, null);

        static RerankHeader status(String status) {
            return new RerankHeader(status, null, null);
        }
    }

    /** One query's answer. */
    void add(
            String id,
            String text,
            List<String> ranking,
            List<Float> scores,
            Map<String, Integer> judged,
            double latencyMs,
            Map<String, Double> stages,
            RerankHeader header) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("ndcg@10", RelevanceMetrics.ndcg(ranking, judged, 10));
        m.put("mrr@10", RelevanceMetrics.mrr(ranking, judged, 10));
        for (int k : RECALL_DEPTHS) m.put("recall@" + k, RelevanceMetrics.recall(ranking, judged, k));
        int words = text.trim().isEmpty() ? 0 : text.trim().split("\\s+").length;
        queries.add(new QueryResult(
                id,
                words,
                ranking,
                scores,
                m,
                latencyMs,
                stages,
                header.status(),
                header.modelTrusted(),
                header.coverage()));
    }

    /** Mean of a metric over all queries. */
    public double metric(String name) {
        return queries.stream()
                .mapToDouble(q -> q.metrics().get(name))
                .average()
                .orElse(0);
    }

    /** Mean of a metric over the queries of a length segment, and their count. */
    double[] segment(String metric, int[] words) {
        double[] values = queries.stream()
                .filter(q -> q.words() >= words[0] && q.words() <= words[1])
                .mapToDouble(q -> q.metrics().get(metric))
                .toArray();
        return new double[] {Arrays.stream(values).average().orElse(Double.NaN), values.length};
    }

    /** Ids of the judged queries this mode returned no document for, in the order they ran. */
    List<String> noResults() {
        return queries.stream()
                .filter(q -> q.ranking().isEmpty())
                .map(QueryResult::id)
                .toList();
    }

    /** Ids of the queries whose model ranking the trust rule left out ({@code rerank.modelTrusted=false}). */
    List<String> untrusted() {
        return queries.stream()
                .filter(q -> Boolean.FALSE.equals(q.modelTrusted()))
                .map(QueryResult::id)
                .toList();
    }

    double[] latencies() {
        return queries.stream().mapToDouble(QueryResult::latencyMs).sorted().toArray();
    }

    /** Stage name → sorted milliseconds over the queries that report it. */
    Map<String, double[]> stageLatencies() {
        Map<String, List<Double>> by = new LinkedHashMap<>();
        for (QueryResult q : queries)
            q.stages().forEach((stage, ms) -> by.computeIfAbsent(stage, s -> new ArrayList<>())
                    .add(ms));
        Map<String, double[]> out = new LinkedHashMap<>();
        by.forEach((stage, list) -> out.put(
                stage, list.stream().mapToDouble(Double::doubleValue).sorted().toArray()));
        return out;
    }

    /** Nearest-rank percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) return Double.NaN;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    Map<String, Long> statuses() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (QueryResult q : queries) if (q.status() != null) counts.merge(q.status(), 1L, Long::sum);
        return counts;
    }

    /**
     * {mean, queries}: the share of the rerank window the model scored, averaged over the queries whose rerank ran
     * or was cut short ({@code ok} 1, {@code partial} N/K of its {@code rerank.coverage}, {@code timeout} and
     * {@code error} 0); {@code skipped} answers (nothing to rerank), answers without a status and partial answers
     * without a readable coverage are not counted. The mean is NaN when no query counts.
     */
    double[] coverage() {
        double sum = 0;
        int counted = 0;
        for (QueryResult q : queries) {
            double c = coverageOf(q.status(), q.coverage());
            if (Double.isNaN(c)) continue;
            sum += c;
            counted++;
        }
        return new double[] {counted == 0 ? Double.NaN : sum / counted, counted};
    }

    /** One answer's coverage as {@link #coverage()} counts it, NaN when not counted. */
    static double coverageOf(String status, String coverage) {
        if (status == null) return Double.NaN;
        return switch (status) {
            case "ok" -> 1;
            case "timeout", "error" -> 0;
            case "partial" -> fraction(coverage);
            default -> Double.NaN;
        };
    }

    /** N/K of a {@code rerank.coverage} header, NaN when it is absent or unreadable. */
    private static double fraction(String coverage) {
        String[] nk = coverage == null ? new String[0] : coverage.split("/");
        if (nk.length != 2) return Double.NaN;
        try {
            double n = Integer.parseInt(nk[0].trim());
            double k = Integer.parseInt(nk[1].trim());
            return k > 0 ? n / k : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
