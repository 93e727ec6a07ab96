package org.hybridrerank.solr.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chart of {@code bin/bench points}: nDCG@10 (y) against p50 latency in ms (x), one marker per measured point,
 * labelled with its name, as SVG text built by hand (no library), and the HTML page that shows it beside the
 * report's table. Pure functions: the same points give the same text.
 *
 * <p>Both axes are linear. The plot frame spans x {@link #LEFT}..{@link #RIGHT} and y {@link #TOP}..{@link #BOTTOM}
 * (pixels, y grows downwards); the smallest p50 sits {@link #INSET} px right of the frame's left edge, the largest
 * {@code INSET} px left of its right edge, the best nDCG@10 {@code INSET} px below its top and the worst {@code
 * INSET} px above its bottom (one value only: the middle). Markers: a circle for a configuration, a square for a
 * point under a time budget ({@code reRankTimeAllowed}), a triangle for the first stage without rerank. Points that
 * share a {@link Point#curve} key are joined by a dashed line in order of p50: the budget points with their
 * unlimited point, so that the budget curve reads at a glance. A point without a finite p50 or nDCG@10 is not
 * drawn; the chart names it under the plot.
 */
public final class OperatingPointChart {
    public enum Kind {
        FIRST_STAGE,
        CONFIGURATION,
        BUDGET;

        /** The marker's class attribute (after {@code marker}). */
        String css() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * One point of the chart.
     *
     * @param curve points with the same non-null key are joined by a line (in order of p50); null for none
     */
    public record Point(String name, double p50Ms, double ndcg, Kind kind, String curve) {
        boolean drawable() {
            return Double.isFinite(p50Ms) && Double.isFinite(ndcg);
        }
    }

    static final int WIDTH = 900;
    static final int HEIGHT = 560;
    static final int LEFT = 80;
    static final int RIGHT = 680;
    static final int TOP = 50;
    static final int BOTTOM = 450;
    static final int INSET = 24;

    private static final String CONFIGURATION_COLOUR = "#1f77b4";
    private static final String BUDGET_COLOUR = "#d95f02";
    private static final String FIRST_STAGE_COLOUR = "#555555";

    /** The chart as a standalone SVG document (no XML declaration, so that it can be inlined in HTML as is). */
    public static String svg(List<Point> points) {
        List<Point> drawn = points.stream().filter(Point::drawable).toList();
        Scale x = Scale.of(drawn.stream().mapToDouble(Point::p50Ms).toArray(), LEFT + INSET, RIGHT - INSET);
        // y grows downwards: the best nDCG@10 maps to the top
        Scale y = Scale.of(drawn.stream().mapToDouble(Point::ndcg).toArray(), BOTTOM - INSET, TOP + INSET);
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH,
                HEIGHT,
                WIDTH,
                HEIGHT));
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"title\" x=\"%d\" y=\"28\" font-size=\"15\">nDCG@10 against p50 latency</text>%n",
                LEFT));
        svg.append(String.format(
                Locale.ROOT,
                "<rect class=\"frame\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n",
                LEFT,
                TOP,
                RIGHT - LEFT,
                BOTTOM - TOP));
        if (!drawn.isEmpty()) {
            axes(svg, x, y);
            curves(svg, drawn, x, y);
            for (Point p : drawn) marker(svg, p, x.pixel(p.p50Ms()), y.pixel(p.ndcg()));
            labels(svg, drawn, x, y);
        } else {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"empty\" x=\"%d\" y=\"%d\">no measured point</text>%n",
                    LEFT + 20,
                    (TOP + BOTTOM) / 2));
        }
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"axis-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">p50 latency (ms)</text>%n",
                (LEFT + RIGHT) / 2,
                BOTTOM + 42));
        svg.append(String.format(
                Locale.ROOT,
                "<text class=\"axis-title\" x=\"22\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 22 %d)"
                        + "\">nDCG@10</text>%n",
                (TOP + BOTTOM) / 2,
                (TOP + BOTTOM) / 2));
        legend(svg);
        List<String> missing = points.stream()
                .filter(p -> !p.drawable())
                .map(p -> escape(p.name()))
                .toList();
        if (!missing.isEmpty()) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"not-drawn\" x=\"%d\" y=\"%d\">not drawn (no p50 or nDCG@10): %s</text>%n",
                    LEFT,
                    HEIGHT - 8,
                    String.join(", ", missing)));
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Grid lines, ticks and tick labels at round values inside the frame. */
    private static void axes(StringBuilder svg, Scale x, Scale y) {
        double xStep = step(x.value(LEFT), x.value(RIGHT));
        for (double v : ticks(x.value(LEFT), x.value(RIGHT))) {
            double px = x.pixel(v);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#eee\"/>%n"
                            + "<line class=\"tick\" x1=\"%.2f\" y1=\"%d\" x2=\"%.2f\" y2=\"%d\" stroke=\"#999\"/>%n"
                            + "<text class=\"x-tick\" x=\"%.2f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    px,
                    TOP,
                    px,
                    BOTTOM,
                    px,
                    BOTTOM,
                    px,
                    BOTTOM + 5,
                    px,
                    BOTTOM + 19,
                    tickLabel(v, xStep)));
        }
        // the frame's top is the largest value: value(TOP) > value(BOTTOM)
        double yStep = step(y.value(BOTTOM), y.value(TOP));
        for (double v : ticks(y.value(BOTTOM), y.value(TOP))) {
            double py = y.pixel(v);
            svg.append(String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#eee\"/>%n"
                            + "<line class=\"tick\" x1=\"%d\" y1=\"%.2f\" x2=\"%d\" y2=\"%.2f\" stroke=\"#999\"/>%n"
                            + "<text class=\"y-tick\" x=\"%d\" y=\"%.2f\" text-anchor=\"end\">%s</text>%n",
                    LEFT,
                    py,
                    RIGHT,
                    py,
                    LEFT - 5,
                    py,
                    LEFT,
                    py,
                    LEFT - 8,
                    py + 4,
                    tickLabel(v, yStep)));
        }
    }

    /** A dashed line through the points of each curve key that has at least two, in order of p50. */
    private static void curves(StringBuilder svg, List<Point> drawn, Scale x, Scale y) {
        Map<String, List<Point>> byCurve = new LinkedHashMap<>();
        for (Point p : drawn) {
            if (p.curve() != null)
                byCurve.computeIfAbsent(p.curve(), k -> new ArrayList<>()).add(p);
        }
        for (Map.Entry<String, List<Point>> e : byCurve.entrySet()) {
            if (e.getValue().size() < 2) continue;
            List<String> xy = e.getValue().stream()
                    .sorted(Comparator.comparingDouble(Point::p50Ms))
                    .map(p -> String.format(Locale.ROOT, "%.2f,%.2f", x.pixel(p.p50Ms()), y.pixel(p.ndcg())))
                    .toList();
            svg.append(String.format(
                    Locale.ROOT,
                    "<polyline class=\"curve\" data-curve=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" "
                            + "stroke-width=\"1.5\" stroke-dasharray=\"5 3\"/>%n",
                    escape(e.getKey()),
                    String.join(" ", xy),
                    BUDGET_COLOUR));
        }
    }

    private static void marker(StringBuilder svg, Point p, double px, double py) {
        svg.append(String.format(
                Locale.ROOT,
                "<g class=\"marker %s\" data-name=\"%s\" transform=\"translate(%.2f,%.2f)\"><title>%s: p50 %.0f ms, "
                        + "nDCG@10 %.4f</title>%s</g>%n",
                p.kind().css(),
                escape(p.name()),
                px,
                py,
                escape(p.name()),
                p.p50Ms(),
                p.ndcg(),
                shape(p.kind())));
    }

    /** Approximate width of one character of an 11 px label, for placing labels apart. */
    private static final double CHAR_PX = 6.2;

    /**
     * Each point's name beside its marker: above right, below right, above left or below left, the first place
     * whose (estimated) box overlaps no label placed before, no other marker and stays in the picture.
     */
    private static void labels(StringBuilder svg, List<Point> drawn, Scale x, Scale y) {
        List<double[]> markers = new ArrayList<>();
        for (Point p : drawn) {
            double px = x.pixel(p.p50Ms());
            double py = y.pixel(p.ndcg());
            markers.add(new double[] {px - 6, py - 6, px + 6, py + 6});
        }
        List<double[]> labels = new ArrayList<>();
        double[][] places = {{8, -7}, {8, 16}, {-8, -7}, {-8, 16}};
        for (int i = 0; i < drawn.size(); i++) {
            Point p = drawn.get(i);
            double px = x.pixel(p.p50Ms());
            double py = y.pixel(p.ndcg());
            double width = CHAR_PX * p.name().length();
            double[] chosen = places[0];
            for (double[] place : places) {
                double[] box = labelBox(px + place[0], py + place[1], width, place[0] > 0);
                boolean inside = box[0] >= 0 && box[2] <= WIDTH && box[1] >= 0;
                boolean free = labels.stream().noneMatch(b -> overlap(b, box));
                for (int j = 0; j < markers.size() && free; j++) free = j == i || !overlap(markers.get(j), box);
                if (inside && free) {
                    chosen = place;
                    break;
                }
            }
            labels.add(labelBox(px + chosen[0], py + chosen[1], width, chosen[0] > 0));
            svg.append(String.format(
                    Locale.ROOT,
                    "<text class=\"label\" x=\"%.2f\" y=\"%.2f\" font-size=\"11\" text-anchor=\"%s\">%s</text>%n",
                    px + chosen[0],
                    py + chosen[1],
                    chosen[0] > 0 ? "start" : "end",
                    escape(p.name())));
        }
    }

    /** {x0, y0, x1, y1} of a label whose baseline starts (or, not {@code start}, ends) at (x, y). */
    private static double[] labelBox(double x, double y, double width, boolean start) {
        return start ? new double[] {x, y - 10, x + width, y + 2} : new double[] {x - width, y - 10, x, y + 2};
    }

    private static boolean overlap(double[] a, double[] b) {
        return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3];
    }

    /** The marker of a kind, centred on (0,0). */
    static String shape(Kind kind) {
        return switch (kind) {
            case CONFIGURATION -> "<circle r=\"5\" fill=\"" + CONFIGURATION_COLOUR + "\"/>";
            case BUDGET -> "<rect x=\"-5\" y=\"-5\" width=\"10\" height=\"10\" fill=\"" + BUDGET_COLOUR + "\"/>";
            case FIRST_STAGE -> "<polygon points=\"0,-6 6,5 -6,5\" fill=\"" + FIRST_STAGE_COLOUR + "\"/>";
        };
    }

    private static void legend(StringBuilder svg) {
        String[][] entries = {
            {"CONFIGURATION", "cross-encoder configuration"},
            {"BUDGET", "under reRankTimeAllowed (dashed: with its unlimited point)"},
            {"FIRST_STAGE", "first stage, no rerank"}
        };
        int px = LEFT;
        int py = BOTTOM + 72;
        for (String[] e : entries) {
            svg.append(String.format(
                    Locale.ROOT,
                    "<g class=\"legend\" transform=\"translate(%d,%d)\">%s<text x=\"10\" y=\"4\">%s</text></g>%n",
                    px + 6,
                    py,
                    shape(Kind.valueOf(e[0])),
                    e[1]));
            px += 24 + (int) (1.1 * CHAR_PX * e[1].length()); // legend text is 12 px
        }
    }

    /** Round values (1, 2 or 5 times a power of ten apart, five to nine of them) from lo to hi. */
    static List<Double> ticks(double lo, double hi) {
        double step = step(lo, hi);
        List<Double> ticks = new ArrayList<>();
        for (long i = (long) Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) ticks.add(i * step);
        return ticks;
    }

    static double step(double lo, double hi) {
        double raw = (hi - lo) / 8;
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) if (m * power >= raw) return m * power;
        return 10 * power;
    }

    /** A tick value with as many decimals as its axis's step needs (500 → "500", 0.005 → "0.735"). */
    static String tickLabel(double v, double step) {
        int decimals = (int) Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /**
     * A linear map from data values to pixels: {@code min} to {@code from}, {@code max} to {@code to}. One value
     * (or none) is widened around itself so that it lands in the middle.
     */
    record Scale(double min, double max, double from, double to) {
        static Scale of(double[] values, double from, double to) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (double v : values) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            if (values.length == 0) {
                min = 0;
                max = 1;
            } else if (max == min) {
                double half = Math.max(Math.abs(min) * 0.05, 1e-3);
                min -= half;
                max += half;
            }
            return new Scale(min, max, from, to);
        }

        double pixel(double v) {
            return from + (v - min) / (max - min) * (to - from);
        }

        double value(double pixel) {
            return min + (pixel - from) / (to - from) * (max - min);
        }
    }

    /**
     * The HTML page of a run: its date, the machine line, the report's header line, the chart inline, the report's
     * markdown table as an HTML table and the report's other lines (the cross-validation) as preformatted text.
     * Well-formed XML as well as HTML, so that it opens offline in any browser and parses in tests.
     *
     * @param report the markdown report of {@code bin/bench points}: a header line, a table, notes
     */
    public static String page(String report, String date, String machine, String svg) {
        String header = null;
        List<List<String>> rows = new ArrayList<>();
        StringBuilder notes = new StringBuilder();
        for (String line : report.split("\\R")) {
            String t = line.strip();
            if (t.startsWith("|")) {
                if (!t.matches("\\|[-|: ]+\\|")) rows.add(cells(t));
            } else if (header == null && !t.isEmpty()) {
                header = t;
            } else if (header != null) {
                notes.append(line).append('\n');
            }
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
                .append("<title>Operating points (bin/bench points)</title>\n")
                .append("<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse;")
                .append("font-size:13px}th,td{border:1px solid #ccc;padding:3px 7px;text-align:right}")
                .append("th:first-child,td:first-child{text-align:left}pre{font-size:13px}</style>\n")
                .append("</head>\n<body>\n<h1>Operating points (bin/bench points)</h1>\n")
                .append("<p class=\"date\">")
                .append(escape(date))
                .append("</p>\n<p class=\"machine\">")
                .append(escape(machine))
                .append("</p>\n<p class=\"header\">")
                .append(escape(header == null ? "" : header))
                .append("</p>\n")
                .append(svg.strip())
                .append("\n<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String cell = r == 0 ? "th" : "td";
            html.append("<tr>");
            for (String c : rows.get(r)) {
                html.append('<')
                        .append(cell)
                        .append('>')
                        .append(escape(c))
                        .append("</")
                        .append(cell)
                        .append('>');
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        String rest = notes.toString().strip();
        if (!rest.isEmpty())
            html.append("<pre class=\"notes\">").append(escape(rest)).append("</pre>\n");
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    /** The cells of a markdown table row, trimmed. */
    private static List<String> cells(String row) {
        String inner = row.substring(1, row.endsWith("|") && row.length() > 1 ? row.length() - 1 : row.length());
        List<String> cells = new ArrayList<>();
        for (String c : inner.split("\\|", -1)) cells.add(c.strip());
        return cells;
    }

    /** Text for XML content and attribute values. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    private OperatingPointChart() {}
}
