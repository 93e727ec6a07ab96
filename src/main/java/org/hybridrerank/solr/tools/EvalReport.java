package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BoxChart;
import org.knowm.xchart.BoxChartBuilder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/** Writes what bin/eval measured: results.json, one TREC run file per mode, and report.html (inline SVG). */
final class EvalReport {
    private final String label;
    private final RequestOverrides overrides;
    private final String collection;
    private final Dataset dataset;
    private final String split;
    private final int k;
    private final int queries;
    private final Map<EvalMode, ModeResults> results;
    /** The compare page to link each judged query to, and the query texts; null: no per-query links. */
    private String compareUrl;

    /** Context recall per mode ({@code --context-tokens}); empty when not measured. */
    private Map<EvalMode, ContextRecall> contextRecall = Map.of();

    private Map<String, String> queryTexts = Map.of();

    EvalReport(
            String label,
            RequestOverrides overrides,
            String collection,
            Dataset dataset,
            String split,
            int k,
            int queries,
            Map<EvalMode, ModeResults> results) {
        this.label = label;
        this.overrides = overrides;
        this.collection = collection;
        this.dataset = dataset;
        this.split = split;
        this.k = k;
        this.queries = queries;
        this.results = results;
    }

    Map<String, Object> summary() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("label", label);
        root.put("collection", collection);
        root.put("dataset", dataset.name());
        root.put("format", dataset.format());
        root.put("split", split);
        root.put("queries", queries);
        root.put("k", k);
        root.put("set", overrides.describe());
        if (!contextRecall.isEmpty())
            root.put("context_tokens", contextRecall.values().iterator().next().budgets());
        Map<String, Object> modes = new LinkedHashMap<>();
        for (ModeResults r : results.values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String metric : ModeResults.METRICS) m.put(metric, round(r.metric(metric)));
            m.put("latency_ms", percentiles(r.latencies()));
            Map<String, Object> stages = new LinkedHashMap<>();
            r.stageLatencies().forEach((stage, v) -> stages.put(stage, percentiles(v)));
            m.put("stage_latency_ms", stages);
            Map<String, Object> segments = new LinkedHashMap<>();
            ModeResults.SEGMENTS.forEach((name, words) -> {
                double[] ndcg = r.segment("ndcg@10", words);
                segments.put(
                        name,
                        Map.of(
                                "queries",
                                (int) ndcg[1],
                                "ndcg@10",
                                round(ndcg[0]),
                                "recall@100",
                                round(r.segment("recall@100", words)[0])));
            });
            m.put("segments", segments);
            m.put("rerank_status", r.statuses());
            double[] coverage = r.coverage();
            if (coverage[1] > 0) {
                m.put("rerank_coverage", Map.of("mean", round(coverage[0]), "queries", (int) coverage[1]));
            }
            ContextRecall context = contextRecall.get(r.mode());
            if (context != null) m.put("context_recall", context.toJson());
            List<String> empty = r.noResults();
            m.put("no_results", Map.of("queries", empty.size(), "ids", empty));
            if (r.mode().reranks()) {
                List<String> untrusted = r.untrusted();
                m.put("model_untrusted", Map.of("queries", untrusted.size(), "ids", untrusted));
            }
            // what each request of this mode carried besides its query text, so runs can be compared parameter by
            // parameter
            m.put("params", RequestOverrides.describe(r.mode().request("", k, overrides)));
            modes.put(r.mode().label(), m);
        }
        root.put("modes", modes);
        root.put("gains", gains());
        return root;
    }

    /** The metrics {@link #gains()} gives, in the order tables list them. */
    static final List<String> GAIN_METRICS = List.of("ndcg@10", "mrr@10", "recall@100");

    /**
     * What each reranked mode adds to its own first stage on the same queries, keyed {@code MODE-FIRSTSTAGE}
     * ({@code rrf+ce-rrf}, {@code lexical+ce-lexical}): {@link #GAIN_METRICS} of the one minus the other, rounded;
     * only where both modes ran.
     */
    Map<String, Map<String, Double>> gains() {
        Map<String, Map<String, Double>> out = new LinkedHashMap<>();
        for (ModeResults r : results.values()) {
            ModeResults first = r.mode().reranks() ? results.get(r.mode().firstStage()) : null;
            if (first == null) continue;
            Map<String, Double> g = new LinkedHashMap<>();
            for (String metric : GAIN_METRICS) g.put(metric, round(r.metric(metric) - first.metric(metric)));
            out.put(gainLabel(r.mode()), g);
        }
        return out;
    }

    static String gainLabel(EvalMode reranked) {
        return reranked.label() + "-" + reranked.firstStage().label();
    }

    /** One line per gain of {@link #gains()}, e.g. "gain rrf+ce-rrf: nDCG@10 +0.0349 …"; "" when none. */
    String gainLines() {
        StringBuilder sb = new StringBuilder();
        gains().forEach((name, g) -> sb.append(String.format(
                Locale.ROOT,
                "gain %s: nDCG@10 %+.4f, MRR@10 %+.4f, Recall@100 %+.4f%n",
                name,
                g.get("ndcg@10"),
                g.get("mrr@10"),
                g.get("recall@100"))));
        return sb.toString();
    }

    String collection() {
        return collection;
    }

    String split() {
        return split;
    }

    int queries() {
        return queries;
    }

    Dataset dataset() {
        return dataset;
    }

    Map<EvalMode, ModeResults> results() {
        return results;
    }

    /** One line per mode that left judged queries without any result, naming them; "" when none did. */
    String noResultsSummary() {
        StringBuilder sb = new StringBuilder();
        for (ModeResults r : results.values()) {
            List<String> empty = r.noResults();
            if (empty.isEmpty()) continue;
            sb.append(String.format(
                    Locale.ROOT,
                    "%s: %d of %d judged queries returned no results: %s%n",
                    r.mode().label(),
                    empty.size(),
                    r.queries().size(),
                    firstIds(empty)));
        }
        return sb.toString();
    }

    /** Up to 20 ids, then how many more. */
    static String firstIds(List<String> ids) {
        int shown = Math.min(20, ids.size());
        String listed = String.join(", ", ids.subList(0, shown));
        return ids.size() > shown ? listed + " … and " + (ids.size() - shown) + " more" : listed;
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary());
    }

    /** run.MODE.txt: {@code qid Q0 docid rank score MODE}. */
    void writeRuns(Path dir) throws IOException {
        for (ModeResults r : results.values()) {
            try (Writer w =
                    Files.newBufferedWriter(dir.resolve("run." + r.mode().label() + ".txt"))) {
                for (ModeResults.QueryResult q : r.queries()) {
                    for (int i = 0; i < q.ranking().size(); i++) {
                        w.write(String.format(
                                Locale.ROOT,
                                "%s Q0 %s %d %.6f %s%n",
                                q.id(),
                                q.ranking().get(i),
                                i + 1,
                                q.scores().get(i),
                                r.mode().label()));
                    }
                }
            }
        }
    }

    String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s (%s, %d queries, K=%d)%n", collection, split, queries, k));
        sb.append(String.format(
                Locale.ROOT,
                "%-11s %8s %7s %10s %8s %8s %8s%n",
                "mode",
                "nDCG@10",
                "MRR@10",
                "Recall@100",
                "p50 ms",
                "p95 ms",
                "p99 ms"));
        for (ModeResults r : results.values()) {
            double[] lat = r.latencies();
            sb.append(String.format(
                    Locale.ROOT,
                    "%-11s %8.4f %7.4f %10.4f %8.0f %8.0f %8.0f%n",
                    r.mode().label(),
                    r.metric("ndcg@10"),
                    r.metric("mrr@10"),
                    r.metric("recall@100"),
                    ModeResults.percentile(lat, 50),
                    ModeResults.percentile(lat, 95),
                    ModeResults.percentile(lat, 99)));
        }
        return sb.toString();
    }

    void writeHtml(Path file) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append(ReportHtml.pageStart(label + " — solr-hybrid-rerank evaluation"));
        html.append("<h1>Evaluation: ")
                .append(escape(label))
                .append("</h1><p>Collection ")
                .append(escape(collection))
                .append(", ")
                .append(describeRun())
                .append(".</p>");
        if (!overrides.isEmpty())
            html.append("<p>--set ")
                    .append(escape(overrides.describe().toString()))
                    .append("</p>");
        html.append(body(2));
        html.append("</body></html>");
        Files.writeString(file, html);
    }

    /** "DATASET (FORMAT), split S, N queries[, cross-encoder K=k]", escaped. */
    String describeRun() {
        return escape(dataset.name()) + " (" + dataset.format() + "), split " + escape(split) + ", " + queries
                + " queries" + rerankNote();
    }

    /**
     * The report's tables and charts, headed at {@code level} ({@code <h2>} on a page of its own, {@code <h3>}
     * inside a collection's section of a multi-collection report).
     */
    String body(int level) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append(heading(level, "Metrics")).append(metricsTable()).append(contextHtml(level));
        if (!gains().isEmpty())
            html.append(heading(level, "Gain of the rerank over its first stage"))
                    .append(gainsTable());
        html.append(heading(level, "Per query length")).append("<table><tr><th>mode</th>");
        ModeResults.SEGMENTS
                .keySet()
                .forEach(s -> html.append("<th>").append(escape(s)).append(" nDCG@10</th>"));
        html.append("</tr>");
        for (ModeResults r : results.values()) {
            html.append("<tr><td>").append(r.mode().label()).append("</td>");
            ModeResults.SEGMENTS.values().forEach(w -> {
                double[] v = r.segment("ndcg@10", w);
                html.append(String.format(Locale.ROOT, "<td>%.4f (n=%d)</td>", v[0], (int) v[1]));
            });
            html.append("</tr>");
        }
        html.append("</table>");
        html.append("<figure><figcaption>Recall@K of each mode's ranking (first-stage modes are read to depth 500; "
                        + "the curve is how to choose K)</figcaption>")
                .append(svg(recallCurve()))
                .append("</figure>");
        html.append("<figure><figcaption>nDCG@10, MRR@10 and Recall@100 per mode</figcaption>")
                .append(svg(metricBars()))
                .append("</figure>");
        html.append("<figure><figcaption>Request latency per mode (ms, over HTTP)</figcaption>")
                .append(svg(latencyBoxes()))
                .append("</figure>");
        html.append(perQueryTable(level));
        return html.toString();
    }

    /** {@link #gains()} as an HTML table: one row per reranked mode whose first stage ran. */
    String gainsTable() {
        StringBuilder t = new StringBuilder("<table><tr><th>reranked − first stage</th>");
        for (String m : GAIN_METRICS) t.append("<th>").append(escape(m)).append("</th>");
        t.append("</tr>");
        gains().forEach((name, g) -> {
            t.append("<tr><td>").append(escape(name.replace("-", " − "))).append("</td>");
            for (String m : GAIN_METRICS) t.append(String.format(Locale.ROOT, "<td>%+.4f</td>", g.get(m)));
            t.append("</tr>");
        });
        return t.append("</table>").toString();
    }

    static String heading(int level, String text) {
        return "<h" + level + ">" + escape(text) + "</h" + level + ">";
    }

    /** Adds each mode's context recall (bin/eval --context-tokens) to results.json, the table and report.html. */
    EvalReport withContextRecall(Map<EvalMode, ContextRecall> recall) {
        this.contextRecall = recall;
        return this;
    }

    /**
     * The context recall table: per mode and budget, the share of judged queries whose packed context holds a
     * relevant passage; "" when not measured.
     */
    String contextTable() {
        if (contextRecall.isEmpty()) return "";
        StringBuilder sb = new StringBuilder(
                "context recall (share of judged queries whose packed context holds a relevant passage;"
                        + " mean passages packed):\n");
        ContextRecall any = contextRecall.values().iterator().next();
        sb.append(String.format(Locale.ROOT, "%-11s", "mode"));
        for (String head : any.heads()) sb.append(String.format(Locale.ROOT, " %18s", head));
        sb.append('\n');
        contextRecall.forEach((mode, r) -> {
            sb.append(String.format(Locale.ROOT, "%-11s", mode.label()));
            for (int b : r.budgets())
                sb.append(String.format(Locale.ROOT, " %8.4f (%5.2f p)", r.recall(b), r.meanPassages(b)));
            sb.append('\n');
        });
        return sb.toString();
    }

    private String contextHtml(int level) {
        if (contextRecall.isEmpty()) return "";
        StringBuilder t =
                new StringBuilder(heading(level, "Context recall") + "<p>Share of judged queries whose packed context"
                        + " (<code>context=true</code>, budget in tokens) holds the passage of a relevant doc; mean"
                        + " passages packed in brackets.</p><table><tr><th>mode</th>");
        ContextRecall any = contextRecall.values().iterator().next();
        for (int b : any.budgets()) t.append("<th>").append(b).append(" tokens</th>");
        t.append("</tr>");
        contextRecall.forEach((mode, r) -> {
            t.append("<tr><td>").append(escape(mode.label())).append("</td>");
            for (int b : r.budgets())
                t.append(String.format(Locale.ROOT, "<td>%.4f (%.2f)</td>", r.recall(b), r.meanPassages(b)));
            t.append("</tr>");
        });
        return t.append("</table>").toString();
    }

    /** Links each judged query of report.html's per-query table to the compare page at {@code url}. */
    EvalReport linkQueriesTo(String url, Map<String, String> texts) {
        this.compareUrl = url;
        this.queryTexts = texts;
        return this;
    }

    /** ", cross-encoder K=…" when a reranked mode ran; K means nothing to first-stage modes. */
    String rerankNote() {
        return results.keySet().stream().anyMatch(EvalMode::reranks) ? ", cross-encoder K=" + k : "";
    }

    /** The metrics of {@link #table()} as an HTML table. */
    String metricsTable() {
        StringBuilder t = new StringBuilder(
                        "<table><tr><th>mode</th><th>nDCG@10</th><th>MRR@10</th><th>Recall@100</th>")
                .append("<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>");
        for (ModeResults r : results.values()) {
            double[] lat = r.latencies();
            t.append(String.format(
                    Locale.ROOT,
                    "<tr><td>%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                            + "<td>%.0f</td><td>%.0f</td><td>%.0f</td></tr>",
                    escape(r.mode().label()),
                    r.metric("ndcg@10"),
                    r.metric("mrr@10"),
                    r.metric("recall@100"),
                    ModeResults.percentile(lat, 50),
                    ModeResults.percentile(lat, 95),
                    ModeResults.percentile(lat, 99)));
        }
        return t.append("</table>").toString();
    }

    /** nDCG@10 of every judged query per mode, each query linked to the compare page; "" without a page. */
    String perQueryTable(int level) {
        if (compareUrl == null || results.isEmpty()) return "";
        StringBuilder t = new StringBuilder(heading(level, "Per query"))
                .append("<p>Each query opens the compare page with its stages side by side.</p>")
                .append("<table><tr><th>query</th>");
        results.values()
                .forEach(r -> t.append("<th>").append(escape(r.mode().label())).append(" nDCG@10</th>"));
        t.append("</tr>");
        List<ModeResults.QueryResult> first = results.values().iterator().next().queries();
        for (int i = 0; i < first.size(); i++) {
            String id = first.get(i).id();
            String text = queryTexts.getOrDefault(id, id);
            String href =
                    compareUrl + "?q=" + java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
            t.append("<tr><td><a href=\"")
                    .append(escape(href).replace("\"", "&quot;"))
                    .append("\">")
                    .append(escape(id))
                    .append(": ")
                    .append(escape(text))
                    .append("</a></td>");
            for (ModeResults r : results.values()) {
                t.append(String.format(
                        Locale.ROOT,
                        "<td>%.4f</td>",
                        r.queries().get(i).metrics().get("ndcg@10")));
            }
            t.append("</tr>");
        }
        return t.append("</table>").toString();
    }

    private XYChart recallCurve() {
        XYChart chart = new XYChartBuilder()
                .width(900)
                .height(420)
                .xAxisTitle("K")
                .yAxisTitle("Recall@K")
                .build();
        List<Double> depths = new ArrayList<>();
        for (int d : ModeResults.RECALL_DEPTHS) depths.add((double) d);
        for (ModeResults r : results.values()) {
            List<Double> ys = new ArrayList<>();
            for (int d : ModeResults.RECALL_DEPTHS) ys.add(r.metric("recall@" + d));
            chart.addSeries(r.mode().label(), depths, ys);
        }
        chart.getStyler().setXAxisLogarithmic(true);
        return chart;
    }

    private CategoryChart metricBars() {
        List<String> names = List.of("ndcg@10", "mrr@10", "recall@100");
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (ModeResults r : results.values())
            series.put(r.mode().label(), names.stream().map(r::metric).toList());
        return ReportHtml.bars("metric", "value", names, series);
    }

    private BoxChart latencyBoxes() {
        BoxChart chart =
                new BoxChartBuilder().width(900).height(420).yAxisTitle("ms").build();
        for (ModeResults r : results.values()) {
            double[] lat = r.latencies();
            chart.addSeries(r.mode().label(), lat);
        }
        return chart;
    }

    /** p50, p95 and p99 of sorted milliseconds, rounded as results.json writes numbers. */
    private static Map<String, Double> percentiles(double[] sorted) {
        return Map.of(
                "p50", round(ModeResults.percentile(sorted, 50)),
                "p95", round(ModeResults.percentile(sorted, 95)),
                "p99", round(ModeResults.percentile(sorted, 99)));
    }

    static double round(double v) {
        return Double.isNaN(v) ? v : Math.round(v * 10000.0) / 10000.0;
    }

    private static String svg(Chart<?, ?> chart) throws IOException {
        return ReportHtml.svg(chart);
    }

    private static String escape(String s) {
        return ReportHtml.escape(s);
    }
}
