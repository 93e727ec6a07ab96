package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;

/** The pieces bin/eval's offline HTML reports share: page head, inline SVG charts, escaping. */
final class ReportHtml {
    private ReportHtml() {}

    /** Opens a page: everything up to and including {@code <body>}. */
    static String pageStart(String title) {
        return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title>"
                + "<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "th:first-child,td:first-child{text-align:left}"
                + "figure{margin:1.5em 0}</style></head><body>";
    }

    /** Grouped bars: one series per entry of {@code series}, one value per category. */
    static CategoryChart bars(String xTitle, String yTitle, List<String> categories, Map<String, List<Double>> series) {
        CategoryChart chart = new CategoryChartBuilder()
                .width(900)
                .height(420)
                .xAxisTitle(xTitle)
                .yAxisTitle(yTitle)
                .build();
        series.forEach((name, values) -> chart.addSeries(name, categories, values));
        return chart;
    }

    /** The chart as an inline {@code <svg>} element. */
    static String svg(Chart<?, ?> chart) throws IOException {
        Path tmp = Files.createTempFile("chart", ".svg");
        try {
            VectorGraphicsEncoder.saveVectorGraphic(
                    chart, tmp.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            Path written = Files.exists(Path.of(tmp + ".svg")) ? Path.of(tmp + ".svg") : tmp;
            String svg = Files.readString(written);
            Files.deleteIfExists(written);
            int start = svg.indexOf("<svg");
            return start >= 0 ? svg.substring(start) : svg;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
