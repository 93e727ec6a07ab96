package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a bin/eval run over several collections measured: results.json with each collection's own report (the
 * object a single-collection run writes, plus the Solr it was read from) under {@code "collections"} and every
 * collection's gains of the rerank over its first stage under {@code "gains"}; one report.html with the gains and
 * metrics of all collections first and a section per collection; the stdout table.
 */
final class MultiEvalReport {
    /** One collection's report and the Solr base URL that served it. */
    record Collection(String solr, EvalReport report) {
        String name() {
            return report.collection();
        }
    }

    private final String label;
    private final RequestOverrides overrides;
    private final int k;
    private final List<Collection> collections;

    MultiEvalReport(String label, RequestOverrides overrides, int k, List<Collection> collections) {
        this.label = label;
        this.overrides = overrides;
        this.k = k;
        this.collections = List.copyOf(collections);
    }

    Map<String, Object> summary() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("label", label);
        root.put("set", overrides.describe());
        root.put("k", k);
        Map<String, Object> byName = new LinkedHashMap<>();
        Map<String, Object> gains = new LinkedHashMap<>();
        for (Collection c : collections) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("solr", c.solr());
            one.putAll(c.report().summary());
            byName.put(c.name(), one);
            gains.put(c.name(), c.report().gains());
        }
        root.put("collections", byName);
        root.put("gains", gains);
        return root;
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary());
    }

    /** The collections measured, one line each, then every mode of every collection, then the gains. */
    String table() {
        int width = Math.max(
                "collection".length(),
                collections.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        StringBuilder sb = new StringBuilder();
        for (Collection c : collections) {
            EvalReport r = c.report();
            sb.append(String.format(
                    Locale.ROOT,
                    "%s: %s, split %s, %d queries, K=%d, %s%n",
                    c.name(),
                    r.dataset().name(),
                    r.split(),
                    r.queries(),
                    k,
                    c.solr()));
        }
        String row = "%-" + width + "s %-11s %8s %7s %10s %8s %8s %8s%n";
        sb.append(String.format(
                Locale.ROOT,
                row,
                "collection",
                "mode",
                "nDCG@10",
                "MRR@10",
                "Recall@100",
                "p50 ms",
                "p95 ms",
                "p99 ms"));
        for (Collection c : collections) {
            for (ModeResults r : c.report().results().values()) {
                double[] lat = r.latencies();
                sb.append(String.format(
                        Locale.ROOT,
                        "%-" + width + "s %-11s %8.4f %7.4f %10.4f %8.0f %8.0f %8.0f%n",
                        c.name(),
                        r.mode().label(),
                        r.metric("ndcg@10"),
                        r.metric("mrr@10"),
                        r.metric("recall@100"),
                        ModeResults.percentile(lat, 50),
                        ModeResults.percentile(lat, 95),
                        ModeResults.percentile(lat, 99)));
            }
        }
        if (collections.stream().allMatch(c -> c.report().gains().isEmpty())) return sb.toString();
        sb.append(String.format(Locale.ROOT, "gain of the rerank over its own first stage, same queries:%n"));
        String gainRow = "%-" + width + "s %-18s %8s %8s %10s%n";
        sb.append(String.format(Locale.ROOT, gainRow, "collection", "gain", "nDCG@10", "MRR@10", "Recall@100"));
        for (Collection c : collections) {
            c.report()
                    .gains()
                    .forEach((name, g) -> sb.append(String.format(
                            Locale.ROOT,
                            "%-" + width + "s %-18s %+8.4f %+8.4f %+10.4f%n",
                            c.name(),
                            name,
                            g.get("ndcg@10"),
                            g.get("mrr@10"),
                            g.get("recall@100"))));
        }
        return sb.toString();
    }

    /** Each collection's {@link EvalReport#noResultsSummary()}, its lines led by the collection's name. */
    String noResultsSummary() {
        StringBuilder sb = new StringBuilder();
        for (Collection c : collections) {
            c.report()
                    .noResultsSummary()
                    .lines()
                    .forEach(l -> sb.append(c.name()).append('/').append(l).append(System.lineSeparator()));
        }
        return sb.toString();
    }

    /** Each collection's {@link EvalReport#contextTable()} (--context-tokens), headed by the collection's name. */
    String contextTables() {
        StringBuilder sb = new StringBuilder();
        for (Collection c : collections) {
            String table = c.report().contextTable();
            if (!table.isEmpty()) sb.append(c.name()).append(' ').append(table);
        }
        return sb.toString();
    }

    void writeHtml(Path file) throws IOException {
        StringBuilder html = new StringBuilder();
        html.append(ReportHtml.pageStart(label + " — solr-hybrid-rerank evaluation"));
        html.append("<h1>Evaluation: ")
                .append(ReportHtml.escape(label))
                .append("</h1><p>")
                .append(collections.size())
                .append(" collections: ");
        for (int i = 0; i < collections.size(); i++) {
            String name = collections.get(i).name();
            html.append(i == 0 ? "" : ", ")
                    .append("<a href=\"#")
                    .append(anchor(name))
                    .append("\">")
                    .append(ReportHtml.escape(name))
                    .append("</a>");
        }
        html.append(".</p>");
        if (!overrides.isEmpty())
            html.append("<p>--set ")
                    .append(ReportHtml.escape(overrides.describe().toString()))
                    .append("</p>");
        html.append(gainsTable());
        html.append("<h2>Metrics</h2>").append(metricsTable());
        html.append("<figure><figcaption>nDCG@10 per collection and mode</figcaption>")
                .append(ReportHtml.svg(ndcgBars()))
                .append("</figure>");
        for (Collection c : collections) {
            EvalReport r = c.report();
            html.append("<h2 id=\"")
                    .append(anchor(c.name()))
                    .append("\">Collection ")
                    .append(ReportHtml.escape(c.name()))
                    .append("</h2><p>")
                    .append(r.describeRun())
                    .append(", Solr ")
                    .append(ReportHtml.escape(c.solr()))
                    .append("; TREC runs in ")
                    .append(ReportHtml.escape(c.name()))
                    .append("/.</p>")
                    .append(r.body(3));
        }
        html.append("</body></html>");
        Files.writeString(file, html);
    }

    /** Every collection's gains of the rerank over its first stage, one row each; "" when no gain was measured. */
    String gainsTable() {
        if (collections.stream().allMatch(c -> c.report().gains().isEmpty())) return "";
        StringBuilder t = new StringBuilder("<h2>Gain of the rerank over its first stage</h2>")
                .append("<table><tr><th>collection</th><th>reranked − first stage</th>");
        for (String m : EvalReport.GAIN_METRICS)
            t.append("<th>").append(ReportHtml.escape(m)).append("</th>");
        t.append("</tr>");
        for (Collection c : collections) {
            c.report().gains().forEach((name, g) -> {
                t.append("<tr><td>")
                        .append(ReportHtml.escape(c.name()))
                        .append("</td><td>")
                        .append(ReportHtml.escape(name.replace("-", " − ")))
                        .append("</td>");
                for (String m : EvalReport.GAIN_METRICS)
                    t.append(String.format(Locale.ROOT, "<td>%+.4f</td>", g.get(m)));
                t.append("</tr>");
            });
        }
        return t.append("</table>").toString();
    }

    /** Every mode of every collection: nDCG@10, MRR@10, Recall@100 and latency. */
    String metricsTable() {
        StringBuilder t = new StringBuilder(
                "<table><tr><th>collection</th><th>mode</th><th>nDCG@10</th><th>MRR@10</th><th>Recall@100</th>"
                        + "<th>p50 ms</th><th>p95 ms</th><th>p99 ms</th></tr>");
        for (Collection c : collections) {
            for (ModeResults r : c.report().results().values()) {
                double[] lat = r.latencies();
                t.append(String.format(
                        Locale.ROOT,
                        "<tr><td>%s</td><td>%s</td><td>%.4f</td><td>%.4f</td><td>%.4f</td>"
                                + "<td>%.0f</td><td>%.0f</td><td>%.0f</td></tr>",
                        ReportHtml.escape(c.name()),
                        ReportHtml.escape(r.mode().label()),
                        r.metric("ndcg@10"),
                        r.metric("mrr@10"),
                        r.metric("recall@100"),
                        ModeResults.percentile(lat, 50),
                        ModeResults.percentile(lat, 95),
                        ModeResults.percentile(lat, 99)));
            }
        }
        return t.append("</table>").toString();
    }

    /** One group of bars per collection, one bar per mode (0 where a mode did not run on a collection). */
    private org.knowm.xchart.CategoryChart ndcgBars() {
        List<String> names = collections.stream().map(Collection::name).toList();
        Set<EvalMode> modes = new LinkedHashSet<>();
        collections.forEach(c -> modes.addAll(c.report().results().keySet()));
        Map<String, List<Double>> series = new LinkedHashMap<>();
        for (EvalMode mode : modes) {
            List<Double> values = new ArrayList<>();
            for (Collection c : collections) {
                ModeResults r = c.report().results().get(mode);
                values.add(r == null ? 0.0 : r.metric("ndcg@10"));
            }
            series.put(mode.label(), values);
        }
        return ReportHtml.bars("collection", "nDCG@10", names, series);
    }

    /** Collection names are [A-Za-z0-9._-] or a folder's name: kept to those characters for an id. */
    static String anchor(String name) {
        return "collection-" + name.replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
