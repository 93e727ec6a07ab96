package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bin/eval --compare}: earlier runs' results.json side by side, one row per mode and run, with the request
 * parameters that differ between runs of the same mode. Reads files only; Solr is not contacted.
 */
final class EvalComparison {
    static final List<String> METRICS = List.of("ndcg@10", "mrr@10", "recall@100");
    static final List<String> LATENCIES = List.of("p50", "p95");
    /** Run-wide settings, compared like request parameters: a different dataset or K explains a difference too. */
    private static final List<String> RUN_FIELDS = List.of("collection", "dataset", "split", "queries", "k");

    /** A run folder that holds no readable results.json. */
    static final class UnreadableRun extends Exception {
        UnreadableRun(String message) {
            super(message);
        }
    }

    record Row(
            String run,
            String mode,
            Map<String, Double> metrics,
            Map<String, Double> latencyMs,
            Map<String, String> params) {}

    private final String title;
    private final List<Row> rows;
    private final List<String> differing;

    private EvalComparison(String title, List<Row> rows) {
        this.title = title;
        this.rows = rows;
        this.differing = differingParams(rows);
    }

    /**
     * Reads DIR/results.json of each folder; the title defaults to the run labels joined by "vs". A run over
     * several collections gives one run per collection, labelled {@code LABEL/COLLECTION}.
     */
    static EvalComparison read(String title, List<Path> dirs) throws UnreadableRun {
        List<Row> byRun = new ArrayList<>();
        Set<String> labels = new HashSet<>();
        for (Path dir : dirs) {
            JsonNode root = results(dir);
            String label = root.path("label")
                    .asText(dir.toAbsolutePath().normalize().getFileName().toString());
            Map<String, JsonNode> runs = new LinkedHashMap<>();
            if (root.has("collections")) {
                root.get("collections").properties().forEach(c -> runs.put(label + "/" + c.getKey(), c.getValue()));
            } else {
                runs.put(label, root);
            }
            for (Map.Entry<String, JsonNode> run : runs.entrySet()) {
                String runLabel = run.getKey();
                if (!labels.add(runLabel)) runLabel = runLabel + " (" + dir + ")";
                labels.add(runLabel);
                byRun.addAll(rows(runLabel, run.getValue()));
            }
        }
        // mode by mode, so the runs of one mode sit next to each other
        List<String> modeOrder = byRun.stream().map(Row::mode).distinct().toList();
        List<Row> rows = new ArrayList<>();
        for (String mode : modeOrder)
            byRun.stream().filter(r -> r.mode().equals(mode)).forEach(rows::add);
        String runs = byRun.stream().map(Row::run).distinct().collect(Collectors.joining(" vs "));
        return new EvalComparison(title != null ? title : runs, rows);
    }

    /** One row per mode of one collection's results (a single-collection results.json, or one of "collections"). */
    private static List<Row> rows(String label, JsonNode run) {
        Map<String, String> runFields = new LinkedHashMap<>();
        for (String f : RUN_FIELDS) if (run.has(f)) runFields.put(f, text(run.get(f)));
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, JsonNode> mode : run.get("modes").properties()) {
            JsonNode m = mode.getValue();
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (String metric : METRICS) metrics.put(metric, number(m.get(metric)));
            Map<String, Double> latency = new LinkedHashMap<>();
            for (String p : LATENCIES)
                latency.put(p, number(m.path("latency_ms").get(p)));
            Map<String, String> params = new LinkedHashMap<>(runFields);
            m.path("params").properties().forEach(e -> params.put(e.getKey(), text(e.getValue())));
            rows.add(new Row(label, mode.getKey(), metrics, latency, params));
        }
        return rows;
    }

    private static JsonNode results(Path dir) throws UnreadableRun {
        Path file = dir.resolve("results.json");
        if (!Files.isRegularFile(file)) {
            throw new UnreadableRun(
                    "--compare " + dir + ": no results.json there; give folders that bin/eval --out wrote");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new UnreadableRun("--compare " + file + ": not readable JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnreadableRun("--compare " + file + ": " + e);
        }
        if (root != null
                && root.path("collections").isObject()
                && !root.get("collections").isEmpty()) {
            for (Map.Entry<String, JsonNode> c : root.get("collections").properties()) {
                if (!hasModes(c.getValue()))
                    throw new UnreadableRun("--compare " + file + ": collection " + c.getKey()
                            + " has no \"modes\" object with measured modes; not a bin/eval results.json");
            }
            return root;
        }
        if (root == null || !hasModes(root)) {
            throw new UnreadableRun("--compare " + file + ": no \"modes\" object with measured modes (nor "
                    + "\"collections\" holding them); not a bin/eval results.json");
        }
        return root;
    }

    private static boolean hasModes(JsonNode run) {
        return run.path("modes").isObject() && !run.get("modes").isEmpty();
    }

    private static String text(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    private static double number(JsonNode value) {
        return value == null || value.isNull() ? Double.NaN : value.asDouble(Double.NaN);
    }

    /** Names whose value (absence included) is not the same in every run of some mode. */
    private static List<String> differingParams(List<Row> rows) {
        Set<String> names = new LinkedHashSet<>();
        rows.forEach(r -> names.addAll(r.params().keySet()));
        List<String> out = new ArrayList<>();
        for (String name : names) {
            boolean differs = rows.stream()
                    .map(Row::mode)
                    .distinct()
                    .anyMatch(mode -> rows.stream()
                                    .filter(r -> r.mode().equals(mode))
                                    .map(r -> r.params().get(name))
                                    .distinct()
                                    .count()
                            > 1);
            if (differs) out.add(name);
        }
        return out;
    }

    List<Row> rows() {
        return rows;
    }

    List<String> differing() {
        return differing;
    }

    String table() {
        int runWidth =
                Math.max(3, rows.stream().mapToInt(r -> r.run().length()).max().orElse(0));
        String head = "%-" + runWidth + "s %-11s %8s %7s %10s %8s %8s%n";
        StringBuilder sb = new StringBuilder(
                String.format(Locale.ROOT, head, "run", "mode", "nDCG@10", "MRR@10", "Recall@100", "p50 ms", "p95 ms"));
        for (Row r : rows) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-" + runWidth + "s %-11s %8.4f %7.4f %10.4f %8.0f %8.0f%n",
                    r.run(),
                    r.mode(),
                    r.metrics().get("ndcg@10"),
                    r.metrics().get("mrr@10"),
                    r.metrics().get("recall@100"),
                    r.latencyMs().get("p50"),
                    r.latencyMs().get("p95")));
        }
        if (differing.isEmpty())
            return sb.append("no parameter differs between the runs")
                    .append(System.lineSeparator())
                    .toString();
        sb.append("parameters that differ:").append(System.lineSeparator());
        for (String name : differing) {
            String values = rows.stream()
                    .map(r -> r.run() + "/" + r.mode() + "="
                            + Objects.requireNonNullElse(r.params().get(name), "(unset)"))
                    .collect(Collectors.joining(", "));
            sb.append("  ").append(name).append(": ").append(values).append(System.lineSeparator());
        }
        return sb.toString();
    }

    Map<String, Object> summary() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("title", title);
        root.put("differing_params", differing);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("run", r.run());
            row.put("mode", r.mode());
            row.putAll(r.metrics());
            row.put("latency_ms", r.latencyMs());
            Map<String, String> params = new LinkedHashMap<>();
            differing.forEach(name -> params.put(name, r.params().get(name)));
            row.put("differing_params", params);
            out.add(row);
        }
        root.put("rows", out);
        return root;
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary());
    }

    void writeHtml(Path file) throws IOException {
        StringBuilder html = new StringBuilder(ReportHtml.pageStart(title + " — solr-hybrid-rerank comparison"));
        html.append("<h1>Comparison: ").append(ReportHtml.escape(title)).append("</h1>");
        html.append("<table id=\"compare\"><tr><th>run</th><th>mode</th><th>nDCG@10</th><th>MRR@10</th><th>"
                        + "Recall@100</th>")
                .append("<th>p50 ms</th><th>p95 ms</th>");
        differing.forEach(
                name -> html.append("<th>").append(ReportHtml.escape(name)).append("</th>"));
        html.append("</tr>");
        for (Row r : rows) {
            html.append("<tr><td>")
                    .append(ReportHtml.escape(r.run()))
                    .append("</td><td>")
                    .append(ReportHtml.escape(r.mode()))
                    .append("</td>");
            for (String metric : METRICS)
                html.append(
                        String.format(Locale.ROOT, "<td>%.4f</td>", r.metrics().get(metric)));
            for (String p : LATENCIES)
                html.append(String.format(
                        Locale.ROOT, "<td>%.0f</td>", r.latencyMs().get(p)));
            differing.forEach(name -> html.append("<td>")
                    .append(ReportHtml.escape(
                            Objects.requireNonNullElse(r.params().get(name), "—")))
                    .append("</td>"));
            html.append("</tr>");
        }
        html.append("</table>");
        if (!differing.isEmpty())
            html.append("<p>The last columns are the parameters that differ between runs of a mode (— unset).</p>");
        html.append("<figure><figcaption>nDCG@10, MRR@10 and Recall@100 per run and mode</figcaption>")
                .append(ReportHtml.svg(ReportHtml.bars("metric", "value", METRICS, series(Row::metrics, METRICS))))
                .append("</figure>");
        html.append("<figure><figcaption>Request latency p50 and p95 per run and mode (ms, over HTTP)</figcaption>")
                .append(ReportHtml.svg(
                        ReportHtml.bars("percentile", "ms", LATENCIES, series(Row::latencyMs, LATENCIES))))
                .append("</figure>");
        html.append("</body></html>");
        Files.writeString(file, html);
    }

    private Map<String, List<Double>> series(
            java.util.function.Function<Row, Map<String, Double>> values, List<String> names) {
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (Row r : rows)
            series.put(
                    r.run() + " · " + r.mode(),
                    names.stream().map(n -> values.apply(r).get(n)).toList());
        return series;
    }
}
