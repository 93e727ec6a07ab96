package org.hybridrerank.solr.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.hybridrerank.solr.bench.OperatingPointChart.Kind;
import org.hybridrerank.solr.bench.OperatingPointChart.Point;
import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The operating-point chart as a reader sees it: markers where their values put them on linear axes (higher
 * nDCG@10 higher up, slower further right, the extremes at the frame's inset), every name labelled and escaped,
 * budget points as squares on a line with their unlimited point, ticks on the same scale as the markers, and
 * well-formed XML; the HTML page carries the chart and the report's table.
 */
public class OperatingPointChartTest {
    private static final double EPS = 0.01;
    private static final String ODD = "fp32 <ref> & \"co\"";

    private static final List<Point> POINTS = List.of(
            new Point("rrf (no rerank)", 40, 0.7000, Kind.FIRST_STAGE, null),
            new Point(ODD, 3040, 0.7400, Kind.CONFIGURATION, null),
            new Point("int8-128-truncate", 1040, 0.7800, Kind.CONFIGURATION, "int8-128-truncate"),
            new Point("int8-128-truncate-budget300", 440, 0.7600, Kind.BUDGET, "int8-128-truncate"),
            new Point("not measured", Double.NaN, 0.7, Kind.CONFIGURATION, null));

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
        f.setExpandEntityReferences(false);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<Element> elements(Document doc, String tag) {
        NodeList nodes = doc.getElementsByTagName(tag);
        List<Element> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) out.add((Element) nodes.item(i));
        return out;
    }

    /** Marker name → its centre, read from its translate(x,y). */
    private static Map<String, double[]> centres(Document doc) {
        Map<String, double[]> centres = new LinkedHashMap<>();
        for (Element g : elements(doc, "g")) {
            if (!g.getAttribute("class").startsWith("marker ")) continue;
            String t = g.getAttribute("transform");
            assertTrue(t, t.startsWith("translate(") && t.endsWith(")"));
            String[] xy = t.substring("translate(".length(), t.length() - 1).split(",");
            centres.put(
                    g.getAttribute("data-name"), new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])});
        }
        return centres;
    }

    private static Element marker(Document doc, String name) {
        return elements(doc, "g").stream()
                .filter(g -> g.getAttribute("class").startsWith("marker ")
                        && g.getAttribute("data-name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no marker for " + name));
    }

    @Test
    public void markersSitWhereTheirValuesPutThemOnLinearAxes() throws Exception {
        Document doc = parse(OperatingPointChart.svg(POINTS));
        Map<String, double[]> c = centres(doc);
        assertEquals(
                List.of("rrf (no rerank)", ODD, "int8-128-truncate", "int8-128-truncate-budget300"),
                List.copyOf(c.keySet()));

        double left = OperatingPointChart.LEFT + OperatingPointChart.INSET;
        double right = OperatingPointChart.RIGHT - OperatingPointChart.INSET;
        double top = OperatingPointChart.TOP + OperatingPointChart.INSET;
        double bottom = OperatingPointChart.BOTTOM - OperatingPointChart.INSET;
        // the fastest (rrf, 40 ms) at the left inset, the slowest (3040 ms) at the right one
        assertEquals(left, c.get("rrf (no rerank)")[0], EPS);
        assertEquals(right, c.get(ODD)[0], EPS);
        // 1040 ms is a third of the way from 40 to 3040, 440 ms two fifteenths
        assertEquals(left + (right - left) / 3, c.get("int8-128-truncate")[0], EPS);
        assertEquals(left + (right - left) * 2 / 15, c.get("int8-128-truncate-budget300")[0], EPS);
        // the best nDCG@10 (0.78) at the top inset, the worst (0.70) at the bottom one; 0.74 halfway, 0.76 3/4 up
        assertEquals(top, c.get("int8-128-truncate")[1], EPS);
        assertEquals(bottom, c.get("rrf (no rerank)")[1], EPS);
        assertEquals((top + bottom) / 2, c.get(ODD)[1], EPS);
        assertEquals(bottom - (bottom - top) * 3 / 4, c.get("int8-128-truncate-budget300")[1], EPS);
        assertTrue(c.get("int8-128-truncate")[1] < c.get("int8-128-truncate-budget300")[1]);

        // a point without a p50 is named, not drawn
        assertFalse(c.containsKey("not measured"));
        assertTrue(elements(doc, "text").stream()
                .anyMatch(t -> t.getTextContent().startsWith("not drawn")
                        && t.getTextContent().contains("not measured")));
    }

    @Test
    public void ticksAreOnTheMarkersScale() throws Exception {
        Document doc = parse(OperatingPointChart.svg(POINTS));
        double left = OperatingPointChart.LEFT + OperatingPointChart.INSET;
        double right = OperatingPointChart.RIGHT - OperatingPointChart.INSET;
        double top = OperatingPointChart.TOP + OperatingPointChart.INSET;
        double bottom = OperatingPointChart.BOTTOM - OperatingPointChart.INSET;
        int xTicks = 0;
        int yTicks = 0;
        for (Element t : elements(doc, "text")) {
            if (t.getAttribute("class").equals("x-tick")) {
                double v = Double.parseDouble(t.getTextContent());
                assertEquals(
                        t.getTextContent(),
                        left + (v - 40) / 3000 * (right - left),
                        Double.parseDouble(t.getAttribute("x")),
                        EPS);
                double x = Double.parseDouble(t.getAttribute("x"));
                assertTrue(x >= OperatingPointChart.LEFT - EPS && x <= OperatingPointChart.RIGHT + EPS);
                xTicks++;
            } else if (t.getAttribute("class").equals("y-tick")) {
                double v = Double.parseDouble(t.getTextContent());
                // the label's baseline sits 4 px below the tick
                assertEquals(
                        t.getTextContent(),
                        bottom - (v - 0.70) / 0.08 * (bottom - top) + 4,
                        Double.parseDouble(t.getAttribute("y")),
                        EPS);
                yTicks++;
            }
        }
        assertTrue("x ticks: " + xTicks, xTicks >= 3 && xTicks <= 11);
        assertTrue("y ticks: " + yTicks, yTicks >= 3 && yTicks <= 11);
        List<String> titles = elements(doc, "text").stream()
                .filter(t -> t.getAttribute("class").equals("axis-title"))
                .map(Element::getTextContent)
                .toList();
        assertEquals(List.of("p50 latency (ms)", "nDCG@10"), titles);
    }

    @Test
    public void everyNameIsLabelledAndEscaped() throws Exception {
        String svg = OperatingPointChart.svg(POINTS);
        assertFalse(svg, svg.contains("<ref>"));
        assertTrue(svg, svg.contains("fp32 &lt;ref&gt; &amp; &quot;co&quot;"));
        List<String> labels = elements(parse(svg), "text").stream()
                .filter(t -> t.getAttribute("class").equals("label"))
                .map(Element::getTextContent)
                .toList();
        assertEquals(List.of("rrf (no rerank)", ODD, "int8-128-truncate", "int8-128-truncate-budget300"), labels);
    }

    @Test
    public void budgetPointsAreSquaresOnALineWithTheirUnlimitedPoint() throws Exception {
        Document doc = parse(OperatingPointChart.svg(POINTS));
        assertEquals("rect", firstChildShape(marker(doc, "int8-128-truncate-budget300")));
        assertEquals("marker budget", marker(doc, "int8-128-truncate-budget300").getAttribute("class"));
        assertEquals("circle", firstChildShape(marker(doc, "int8-128-truncate")));
        assertEquals("circle", firstChildShape(marker(doc, ODD)));
        assertEquals("polygon", firstChildShape(marker(doc, "rrf (no rerank)")));

        List<Element> curves = elements(doc, "polyline");
        assertEquals(1, curves.size()); // a curve key held by one point draws nothing
        Map<String, double[]> c = centres(doc);
        String[] xy = curves.get(0).getAttribute("points").split(" ");
        // in order of p50: the budget point, then the unlimited one
        assertEquals(2, xy.length);
        assertCentre(c.get("int8-128-truncate-budget300"), xy[0]);
        assertCentre(c.get("int8-128-truncate"), xy[1]);
    }

    @Test
    public void labelsOfNeighbouringPointsDoNotSitOnEachOther() throws Exception {
        List<Element> labels = elements(
                        parse(OperatingPointChart.svg(List.of(
                                // 3 px apart on both axes: the first place beside them is the same
                                new Point("int8-160-best", 1000, 0.7000, Kind.CONFIGURATION, null),
                                new Point("int8-192-best", 1010, 0.7010, Kind.CONFIGURATION, null),
                                new Point("fp32-256-truncate", 3000, 0.8000, Kind.CONFIGURATION, null)))),
                        "text")
                .stream()
                .filter(t -> t.getAttribute("class").equals("label"))
                .toList();
        double dy = Math.abs(Double.parseDouble(labels.get(0).getAttribute("y"))
                - Double.parseDouble(labels.get(1).getAttribute("y")));
        boolean otherSide =
                !labels.get(0).getAttribute("text-anchor").equals(labels.get(1).getAttribute("text-anchor"));
        assertTrue("labels at dy " + dy, dy >= 12 || otherSide);
    }

    @Test
    public void onePointLandsInTheMiddleAndNoneDrawsAFrame() throws Exception {
        Map<String, double[]> c =
                centres(parse(OperatingPointChart.svg(List.of(new Point("only", 500, 0.7, Kind.CONFIGURATION, null)))));
        assertEquals((OperatingPointChart.LEFT + OperatingPointChart.RIGHT) / 2.0, c.get("only")[0], EPS);
        assertEquals((OperatingPointChart.TOP + OperatingPointChart.BOTTOM) / 2.0, c.get("only")[1], EPS);
        assertTrue(centres(parse(OperatingPointChart.svg(List.of()))).isEmpty());
    }

    @Test
    public void thePageCarriesTheChartAndTheReportsTable() throws Exception {
        String report = "SciFact test, 300 queries, header & more\n\n"
                + "| point | nDCG@10 | p50 ms |\n|---|---|---|\n"
                + "| rrf (no rerank) | 0.7000 | 40 |\n| a<b | 0.7400 | — |\n\n"
                + "cross-validation skipped: fp32-256-truncate was not evaluated\n";
        String html = OperatingPointChart.page(
                report, "2026-12-01", "2 cores, 2 ONNX Runtime threads", OperatingPointChart.svg(POINTS));
        Document doc = parse(html);
        assertEquals(1, elements(doc, "svg").size());
        assertEquals(
                4,
                elements(doc, "g").stream()
                        .filter(g -> g.getAttribute("class").startsWith("marker "))
                        .count());
        List<Element> rows = elements(doc, "tr");
        assertEquals(3, rows.size());
        assertEquals(List.of("point", "nDCG@10", "p50 ms"), texts(rows.get(0), "th"));
        assertEquals(List.of("a<b", "0.7400", "—"), texts(rows.get(2), "td"));
        Map<String, String> paragraphs = new LinkedHashMap<>();
        for (Element p : elements(doc, "p")) paragraphs.put(p.getAttribute("class"), p.getTextContent());
        assertEquals("2026-12-01", paragraphs.get("date"));
        assertEquals("2 cores, 2 ONNX Runtime threads", paragraphs.get("machine"));
        assertEquals("SciFact test, 300 queries, header & more", paragraphs.get("header"));
        assertEquals(
                "cross-validation skipped: fp32-256-truncate was not evaluated",
                elements(doc, "pre").get(0).getTextContent());
    }

    private static List<String> texts(Element row, String tag) {
        NodeList cells = row.getElementsByTagName(tag);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < cells.getLength(); i++) out.add(cells.item(i).getTextContent());
        return out;
    }

    private static String firstChildShape(Element g) {
        for (org.w3c.dom.Node n = g.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && !e.getTagName().equals("title")) return e.getTagName();
        }
        throw new AssertionError("marker without a shape");
    }

    private static void assertCentre(double[] centre, String xy) {
        String[] parts = xy.split(",");
        assertEquals(centre[0], Double.parseDouble(parts[0]), EPS);
        assertEquals(centre[1], Double.parseDouble(parts[1]), EPS);
    }
}
