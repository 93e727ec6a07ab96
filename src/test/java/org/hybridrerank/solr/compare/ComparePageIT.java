package org.hybridrerank.solr.compare;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Demo;
import org.hybridrerank.solr.tools.Evaluate;
import org.hybridrerank.solr.tools.RelevanceMetrics;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import picocli.CommandLine;

/**
 * The compare page of {@code bin/demo} in headless Chromium, against the demo itself serving a SciFact slice:
 * each column's documents and order equal the same request sent straight to Solr, relevant documents are marked
 * and nDCG@10 agrees with {@link RelevanceMetrics}, the reranked column's snippets are the passages the model
 * read, K reaches the request, Solr's 400 message is shown, the URL
 * reopens the search, and the browser logs no error. Tab reaches every control in visual order with a visible focus
 * ring and the judged-query picker works by keyboard; bin/eval's report.html links each judged query to its search
 * on the page; and a {@code --cloud} demo's page shows what the sharded collection answers.
 */
public class ComparePageIT {
    private static final String[] STAGES = {"lexical", "vector", "rrf", "rrf+ce"};
    private static final String OFF = "{!crossencoder enabled=false}";
    private static final Duration SEARCH_WAIT = Duration.ofMinutes(4);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Demo.Running demo;
    private static WebDriver browser;
    private static String query;
    private static Map<String, Integer> qrels;
    /** The slice's judged queries: id to text, as the dataset states them. */
    private static final Map<String, String> judgedTexts = new LinkedHashMap<>();

    private static Path slice;
    private static Path work;

    @BeforeClass
    public static void startDemoAndBrowser() throws Exception {
        work = Files.createTempDirectory(Path.of(System.getProperty("java.io.tmpdir")), "compare-it");
        Path dataset = sciFactSlice(work.resolve("scifact-slice"));
        slice = dataset;
        int port = freePort();
        Demo command = new Demo();
        new CommandLine(command)
                .parseArgs(
                        "--port",
                        Integer.toString(port),
                        "--dataset",
                        dataset.toString(),
                        "--collection",
                        "slice",
                        "--home",
                        work.resolve("solr-home").toString(),
                        "--embedder",
                        SharedData.embedderDir().toString(),
                        "--jar",
                        System.getProperty("hybrid.plugin.jar"));
        demo = command.start();
        assertNotNull("the demo did not start", demo);
        browser = chromium();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (browser != null) browser.quit();
        if (demo != null) demo.close();
    }

    /** 40 SciFact documents plus those judged for three test queries, whose judgments are kept. */
    private static Path sciFactSlice(Path dir) throws Exception {
        Path scifact = SharedData.scifact();
        Files.createDirectories(dir.resolve("qrels"));
        List<String> qrelLines = Files.readAllLines(scifact.resolve("qrels").resolve("test.tsv"));
        Map<String, Map<String, Integer>> judged = new LinkedHashMap<>();
        for (String line : qrelLines.subList(1, qrelLines.size())) {
            String[] f = line.split("\t");
            if (judged.size() == 3 && !judged.containsKey(f[0])) break;
            judged.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2]));
        }
        Set<String> wanted = new LinkedHashSet<>();
        judged.values().forEach(m -> wanted.addAll(m.keySet()));
        List<String> corpus = new ArrayList<>();
        List<String> all = Files.readAllLines(scifact.resolve("corpus.jsonl"));
        for (int i = 0; i < all.size(); i++) {
            if (i < 40 || wanted.contains(JSON.readTree(all.get(i)).get("_id").asText())) corpus.add(all.get(i));
        }
        Files.write(dir.resolve("corpus.jsonl"), corpus);
        Files.copy(scifact.resolve("queries.jsonl"), dir.resolve("queries.jsonl"));
        List<String> kept = new ArrayList<>(List.of(qrelLines.get(0)));
        judged.forEach((q, docs) -> docs.forEach((d, g) -> kept.add(q + "\t" + d + "\t" + g)));
        Files.write(dir.resolve("qrels").resolve("test.tsv"), kept);
        // the query the test types: the first judged one, with its judgments as the dataset states them
        String qid = judged.keySet().iterator().next();
        for (String line : Files.readAllLines(scifact.resolve("queries.jsonl"))) {
            JsonNode q = JSON.readTree(line);
            if (q.get("_id").asText().equals(qid)) query = q.get("text").asText();
            if (judged.containsKey(q.get("_id").asText()))
                judgedTexts.put(q.get("_id").asText(), q.get("text").asText());
        }
        qrels = judged.get(qid);
        return dir;
    }

    private static int freePort() throws Exception {
        try (ServerSocket free = new ServerSocket(0)) {
            return free.getLocalPort();
        }
    }

    private static WebDriver chromium() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(onPath("chromium").toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,800");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(onPath("chromedriver").toFile())
                .build();
        return new ChromeDriver(service, options);
    }

    /** Debian's chromium and chromium-driver packages, found on PATH as a shell would. */
    private static Path onPath(String name) {
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        throw new AssertionError(name + " not found on PATH: apt-get install chromium chromium-driver");
    }

    @Test
    public void comparesTheStagesOfAJudgedQuery() throws Exception {
        freshWindow();
        browser.get(demo.compareUrl());
        WebElement box = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.elementToBeClickable(By.id("q")));
        assertEveryControlHasALabel();
        box.sendKeys(query, Keys.ENTER);
        Map<String, List<String>> shown = waitForColumns();

        assertTrue(
                "the URL holds the query: " + browser.getCurrentUrl(),
                browser.getCurrentUrl().contains("q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)));
        int relevantMarked = 0;
        for (String stage : STAGES) {
            List<String> direct = ids(solr(stageParams(stage, null)));
            assertEquals(stage + " column vs the same request over HTTP", direct, shown.get(stage));
            WebElement column = column(stage);
            for (WebElement doc : column.findElements(By.cssSelector("li.doc"))) {
                String id = doc.getAttribute("data-id");
                boolean relevant = qrels.getOrDefault(id, 0) > 0;
                assertEquals(
                        stage + " doc " + id + " marked relevant",
                        relevant,
                        doc.getAttribute("class").contains("relevant"));
                if (relevant) relevantMarked++;
            }
            double expected = RelevanceMetrics.ndcg(direct, qrels, 10);
            String metrics = column.findElement(By.cssSelector(".metrics")).getAttribute("data-ndcg");
            assertEquals(stage + " nDCG@10", expected, Double.parseDouble(metrics), 1e-9);
            assertEquals(
                    stage + " recall@10",
                    RelevanceMetrics.recall(direct, qrels, 10),
                    Double.parseDouble(
                            column.findElement(By.cssSelector(".metrics")).getAttribute("data-recall")),
                    1e-9);
            assertTrue(
                    stage + " shows timings",
                    !column.findElements(By.cssSelector(".timings .bar")).isEmpty());
        }
        assertTrue("the slice holds the query's relevant docs: some column must show one", relevantMarked > 0);
        assertEquals("ok", column("rrf+ce").getAttribute("data-rerank-status"));
        assertSnippetsArePassagesRead();
        assertFalse(
                "the reranked column times inference",
                column("rrf+ce")
                        .findElements(By.cssSelector(".timings .bar[data-stage=inference]"))
                        .isEmpty());
        assertNoHorizontalScroll();
        screenshot("compare-page-1280.png");

        // K goes into the reranked column's request, and the first-stage ranks are those of rrf's top K
        setField("k", "5");
        browser.findElement(By.cssSelector("#settings button[type=submit]")).click();
        new WebDriverWait(browser, SEARCH_WAIT).until(d -> {
            WebElement c = column("rrf+ce");
            return c.getAttribute("data-request").contains(URLEncoder.encode("reRankDocs=5", StandardCharsets.UTF_8))
                    && "done".equals(c.getAttribute("data-state"));
        });
        shown = waitForColumns();
        assertEquals(ids(solr(stageParams("rrf+ce", "5"))), shown.get("rrf+ce"));
        List<String> rrfTop5 = ids(solr(stageParams("rrf", null))).subList(0, 5);
        List<WebElement> reranked = column("rrf+ce").findElements(By.cssSelector("li.doc"));
        for (int i = 0; i < 5; i++) {
            String id = reranked.get(i).getAttribute("data-id");
            String firstRank =
                    reranked.get(i).findElement(By.cssSelector(".first-rank")).getAttribute("data-first-rank");
            assertEquals("rank of " + id + " in rrf", rrfTop5.indexOf(id) + 1, Integer.parseInt(firstRank));
        }

        // the URL reopens the same search
        String url = browser.getCurrentUrl();
        assertTrue(url, url.contains("k=5"));
        browser.get(url);
        assertEquals(shown, waitForColumns());

        // a value Solr rejects: its 400 message, shown beside the settings
        String rejected = solrError(Map.of("q", query, "hybrid.rrf.k", "0"));
        setField("rrfk", "0");
        browser.findElement(By.cssSelector("#settings button[type=submit]")).click();
        WebElement error = new WebDriverWait(browser, SEARCH_WAIT)
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("settings-error")));
        assertTrue(error.getText() + " vs " + rejected, error.getText().contains(rejected));
        assertEquals("error", column("rrf").getAttribute("data-state"));

        // 390 px wide: the columns stack
        setField("rrfk", "");
        browser.findElement(By.cssSelector("#settings button[type=submit]")).click();
        waitForColumns();
        browser.manage().window().setSize(new Dimension(390, 844));
        List<Integer> lefts = new ArrayList<>();
        for (String stage : STAGES) lefts.add(column(stage).getRect().getX());
        assertEquals("one column per row at 390 px: " + lefts, 1, new LinkedHashSet<>(lefts).size());
        assertNoHorizontalScroll();
        screenshot("compare-page-390.png");

        assertNoConsoleErrors();
    }

    /**
     * Every control of a fresh page, in the order a reader sees them: the query box and its button, the judged-query
     * picker, the column choosers, the request settings and Apply, then the variant form.
     */
    private static final List<String> CONTROLS_IN_VISUAL_ORDER = List.of(
            "q",
            "search>Search",
            "judged",
            "col-0",
            "col-1",
            "col-2",
            "col-3",
            "k",
            "weights",
            "rrfk",
            "settings>Apply",
            "variant-name",
            "variant-params",
            "variant-form>Save variant");

    /** A control's name in {@link #CONTROLS_IN_VISUAL_ORDER}: its id, else its form's id and its text. */
    private static final String NAME_OF = "e => e.id || ((e.form && e.form.id) || '?') + '>' + e.textContent.trim()";

    @Test
    public void tabReachesEveryControlInVisualOrderWithAVisibleFocus() throws Exception {
        freshWindow();
        browser.get(demo.compareUrl());
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("judged")));

        // what the page offers a keyboard user, whatever its tabindex: the walk below must meet each one
        Object offered = js("return [...document.querySelectorAll('a[href],button,input,select,textarea,[tabindex]')]"
                + ".filter(e => !e.disabled && e.getClientRects().length > 0).map(" + NAME_OF + ")");
        assertEquals("the page's controls", CONTROLS_IN_VISUAL_ORDER, offered);

        List<String> walked = new ArrayList<>();
        Map<String, Object> previous = null;
        for (int i = 0; i < CONTROLS_IN_VISUAL_ORDER.size(); i++) {
            browser.switchTo().activeElement().sendKeys(Keys.TAB);
            @SuppressWarnings("unchecked")
            Map<String, Object> focused = (Map<String, Object>)
                    js("const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);"
                            + "return {name: (" + NAME_OF
                            + ")(e), top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left, right: "
                            + "r.right, visible: r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && "
                            + "Number(s.opacity) > 0, ring: (s.outlineStyle !== 'none' && "
                            + "parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'}");
            String name = (String) focused.get("name");
            walked.add(name);
            assertEquals("Tab " + (i + 1) + " after " + walked.subList(0, i), CONTROLS_IN_VISUAL_ORDER.get(i), name);
            assertTrue("Tab " + (i + 1) + " focused an invisible element: " + name, (Boolean) focused.get("visible"));
            assertTrue("no visible focus indicator on " + name, (Boolean) focused.get("ring"));
            if (previous != null) assertFollows(previous, focused);
            previous = focused;
        }
        assertNoConsoleErrors();
    }

    /** The judged-query picker, by keyboard only: Tab to it from a fresh page, ArrowDown to its first query. */
    @Test
    public void judgedQueryPickerSearchesByKeyboard() throws Exception {
        freshWindow();
        browser.get(demo.compareUrl());
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("judged")));
        for (int i = 0; i < 3; i++) browser.switchTo().activeElement().sendKeys(Keys.TAB);
        assertEquals("judged", browser.switchTo().activeElement().getAttribute("id"));
        browser.switchTo().activeElement().sendKeys(Keys.ARROW_DOWN);
        String picked = browser.findElement(By.id("judged")).getAttribute("value");
        assertTrue("the picker chose a judged query: '" + picked + "'", judgedTexts.containsKey(picked));
        String text = judgedTexts.get(picked);
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .withMessage("the picker's query reaches the URL")
                .until(d -> text.equals(queryParam(d.getCurrentUrl(), "q")));
        assertSearched(demo.solrUrl(), text);
        assertNoConsoleErrors();
    }

    /** {@code next} is to the right of {@code previous} on its row, or below it. */
    private static void assertFollows(Map<String, Object> previous, Map<String, Object> next) {
        double top = num(next, "top"), bottom = num(previous, "bottom");
        boolean sameRow = top < bottom && num(next, "bottom") > num(previous, "top");
        boolean follows = sameRow ? num(next, "left") >= num(previous, "right") - 1 : top >= bottom - 1;
        assertTrue(
                next.get("name") + " comes after " + previous.get("name") + " in visual order: " + previous + " then "
                        + next,
                follows);
    }

    private static double num(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).doubleValue();
    }

    /**
     * The page shows a search for {@code text}: in the box, in the URL, and each column as Solr answers it directly.
     */
    private void assertSearched(String solrUrl, String text) throws Exception {
        Map<String, List<String>> shown = waitForColumns();
        assertEquals("the query box", text, browser.findElement(By.id("q")).getAttribute("value"));
        assertEquals("the URL's q: " + browser.getCurrentUrl(), text, queryParam(browser.getCurrentUrl(), "q"));
        for (String stage : STAGES) {
            assertFalse(stage + " column is empty", shown.get(stage).isEmpty());
            assertEquals(
                    stage + " column vs the same request over HTTP",
                    ids(solr(solrUrl, stageParams(text, stage, null))),
                    shown.get(stage));
        }
    }

    @Test
    public void reportLinksEachJudgedQueryToItsSearchOnTheComparePage() throws Exception {
        freshWindow();
        Path out = work.resolve("eval-out");
        // bin/eval finds the page beside --solr by itself
        int code = new CommandLine(new Evaluate())
                .execute(
                        "--solr",
                        demo.solrUrl(),
                        "--collection",
                        "slice",
                        "--dataset",
                        slice.toString(),
                        "--queries",
                        "3",
                        "--modes",
                        "lexical,rrf",
                        "--out",
                        out.toString());
        assertEquals("bin/eval's exit code", 0, code);
        browser.get(out.resolve("report.html").toUri().toString());

        List<WebElement> links = browser.findElements(By.xpath("//h2[.='Per query']/following-sibling::table[1]//a"));
        Map<String, WebElement> byText = new LinkedHashMap<>();
        for (WebElement link : links) {
            String href = link.getAttribute("href");
            assertTrue(href + " opens " + demo.compareUrl(), href.startsWith(demo.compareUrl() + "?"));
            byText.put(queryParam(href, "q"), link);
        }
        assertEquals("one link per judged query", judgedTexts.size(), links.size());
        assertEquals("the linked queries", new LinkedHashSet<>(judgedTexts.values()), byText.keySet());

        // the last judged query: not the one other tests type
        String text = new ArrayList<>(judgedTexts.values()).get(judgedTexts.size() - 1);
        byText.get(text).click();
        new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(d -> d.getCurrentUrl().startsWith(demo.compareUrl()));
        assertSearched(demo.solrUrl(), text);
        assertNoConsoleErrors();
    }

    /**
     * {@code bin/demo --cloud} on the same slice, two nodes and two shards: the first node's compare page sends each
     * column's request to the sharded collection, and shows what that collection answers directly.
     */
    @Test
    public void cloudDemoColumnsAreTheShardedCollectionsAnswers() throws Exception {
        freshWindow();
        Demo command = new Demo();
        new CommandLine(command)
                .parseArgs(
                        "--cloud",
                        "--nodes",
                        "2",
                        "--shards",
                        "2",
                        "--replicas",
                        "1",
                        "--port",
                        Integer.toString(freePort()),
                        "--dataset",
                        slice.toString(),
                        "--collection",
                        "slice",
                        "--home",
                        work.resolve("cloud-demo").resolve("solr-home").toString(),
                        "--embedder",
                        SharedData.embedderDir().toString(),
                        "--jar",
                        System.getProperty("hybrid.plugin.jar"));
        long started = System.nanoTime();
        try (Demo.Running cloud = command.start()) {
            assertNotNull("the cloud demo did not start", cloud);
            System.out.printf(
                    "cloud demo (2 nodes, 2 shards) on the slice started and indexed in %.1f s%n",
                    (System.nanoTime() - started) / 1e9);
            JsonNode state = JSON.readTree(HTTP.send(
                            HttpRequest.newBuilder(URI.create(cloud.solrUrl()
                                            + "/admin/collections?action=CLUSTERSTATUS&collection=slice&wt=json"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body());
            assertEquals(
                    "shards of the collection",
                    2,
                    state.at("/cluster/collections/slice/shards").size());

            browser.get(cloud.compareUrl());
            new WebDriverWait(browser, Duration.ofSeconds(30))
                    .until(ExpectedConditions.elementToBeClickable(By.id("q")))
                    .sendKeys(query, Keys.ENTER);
            assertSearched(cloud.solrUrl(), query);
            assertEquals("ok", column("rrf+ce").getAttribute("data-rerank-status"));
            assertNoConsoleErrors();
        }
    }

    /** 1280 px wide and no console messages left from an earlier test, whatever order the tests run in. */
    private void freshWindow() {
        browser.manage().window().setSize(new Dimension(1280, 800));
        browser.manage().logs().get(LogType.BROWSER);
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    /** One parameter of a URL's query string, decoded as a form would be. */
    private static String queryParam(String url, String name) {
        String query = URI.create(url).getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name))
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        }
        return null;
    }

    /**
     * The reranked column shows, for each doc, the passage the model read: the characters [hybrid]'s ce_passage
     * names, of the model text built as the configset defines it (the non-empty values of title and text joined by a
     * space).
     */
    private void assertSnippetsArePassagesRead() throws Exception {
        Map<String, String> params = stageParams("rrf+ce", null);
        params.put("fl", "id,title,text,[hybrid]");
        JsonNode docs = solr(params).at("/response/docs");
        List<WebElement> shown = column("rrf+ce").findElements(By.cssSelector("li.doc"));
        assertEquals(docs.size(), shown.size());
        int passages = 0;
        for (int i = 0; i < docs.size(); i++) {
            JsonNode doc = docs.get(i);
            JsonNode span = doc.at("/[hybrid]/ce_passage");
            String snippet =
                    shown.get(i).findElement(By.cssSelector(".snippet")).getAttribute("textContent");
            if (span.isMissingNode()) {
                assertFalse(
                        "doc " + doc.get("id") + " has no passage: its snippet is the text's head",
                        shown.get(i)
                                .findElement(By.cssSelector(".snippet"))
                                .getAttribute("class")
                                .contains("passage"));
                continue;
            }
            passages++;
            List<String> parts = new ArrayList<>(values(doc.get("title")));
            parts.addAll(values(doc.get("text")));
            String modelText = String.join(" ", parts);
            assertEquals(
                    "snippet of " + doc.get("id"),
                    modelText.substring(span.get(0).asInt(), span.get(1).asInt()),
                    snippet);
        }
        assertTrue(
                "the demo configset reranks with longDocs=truncate or best: every doc read one passage",
                passages == docs.size());
    }

    /** A field's values; empty ones are not part of the model text. */
    private static List<String> values(JsonNode field) {
        List<String> values = new ArrayList<>();
        if (field == null) return values;
        for (JsonNode v : field.isArray() ? field : List.of(field))
            if (!v.asText().isEmpty()) values.add(v.asText());
        return values;
    }

    /** Readable at this width: nothing sticks out sideways. */
    private void assertNoHorizontalScroll() {
        JavascriptExecutor js = (JavascriptExecutor) browser;
        Object overflow =
                js.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Object wide = js.executeScript(
                "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]"
                        + ".filter(e => e.getBoundingClientRect().right > w + 0.5 || e.scrollWidth > e.clientWidth + 1)"
                        + ".map(e => e.tagName + '#' + e.id + '.' + e.className).join(' ')");
        assertEquals("page wider than the window by (px), sticking out: " + wide, 0L, ((Number) overflow).longValue());
    }

    private void assertEveryControlHasALabel() {
        Object unlabelled = ((JavascriptExecutor) browser)
                .executeScript(
                        "return [...document.querySelectorAll('input,select')].filter(e => e.labels.length === 0)"
                                + ".map(e => e.id).join(',')");
        assertEquals("controls without a label", "", unlabelled);
    }

    private void assertNoConsoleErrors() {
        List<String> errors = new ArrayList<>();
        for (LogEntry e : browser.manage().logs().get(LogType.BROWSER)) {
            String m = e.getMessage();
            // the one error the test provoked: Chromium logs the 400 answer to the rejected rrf k as a failed load
            boolean provoked = m.contains("hybrid.rrf.k=0") && m.contains("400");
            if (e.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue() && !provoked) errors.add(m);
        }
        assertEquals("browser console errors", List.of(), errors);
    }

    private WebElement column(String stage) {
        return browser.findElement(By.cssSelector("section.column[data-stage='" + stage + "']"));
    }

    private void setField(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        if (!value.isEmpty()) field.sendKeys(value);
    }

    /** Waits until every column answered, then reads each one's doc ids in order. */
    private Map<String, List<String>> waitForColumns() {
        new WebDriverWait(browser, SEARCH_WAIT).until(d -> {
            List<WebElement> columns = d.findElements(By.cssSelector("section.column"));
            return columns.size() == STAGES.length
                    && columns.stream().noneMatch(c -> "loading".equals(c.getAttribute("data-state")));
        });
        Map<String, List<String>> shown = new LinkedHashMap<>();
        for (String stage : STAGES) {
            List<String> ids = new ArrayList<>();
            for (WebElement doc : column(stage).findElements(By.cssSelector("li.doc")))
                ids.add(doc.getAttribute("data-id"));
            shown.put(stage, ids);
        }
        return shown;
    }

    private void screenshot(String name) throws Exception {
        Path target = Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
        Files.write(target, ((ChromeDriver) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** The request a column stands for, written from the handler's documented parameters. */
    private static Map<String, String> stageParams(String stage, String k) {
        return stageParams(query, stage, k);
    }

    private static Map<String, String> stageParams(String q, String stage, String k) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("q", q);
        p.put("rows", "10");
        p.put("fl", "id");
        p.put("hybrid.mode", stage.equals("rrf+ce") ? "rrf" : stage);
        if (!stage.equals("rrf+ce")) p.put("rq", OFF);
        else if (k != null) p.put("rq", "{!crossencoder reRankDocs=" + k + "}");
        return p;
    }

    private static String url(Map<String, String> params) {
        return url(demo.solrUrl(), params);
    }

    private static String url(String solrUrl, Map<String, String> params) {
        StringBuilder url = new StringBuilder(solrUrl).append("/slice/hybrid?wt=json");
        params.forEach(
                (k, v) -> url.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return url.toString();
    }

    private static JsonNode solr(Map<String, String> params) throws Exception {
        return solr(demo.solrUrl(), params);
    }

    private static JsonNode solr(String solrUrl, Map<String, String> params) throws Exception {
        HttpResponse<String> rsp = HTTP.send(
                HttpRequest.newBuilder(URI.create(url(solrUrl, params))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(rsp.body(), 200, rsp.statusCode());
        return JSON.readTree(rsp.body());
    }

    private static String solrError(Map<String, String> params) throws Exception {
        HttpResponse<String> rsp = HTTP.send(
                HttpRequest.newBuilder(URI.create(url(params))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(rsp.body(), 400, rsp.statusCode());
        return JSON.readTree(rsp.body()).at("/error/msg").asText();
    }

    private static List<String> ids(JsonNode rsp) {
        List<String> ids = new ArrayList<>();
        rsp.at("/response/docs").forEach(d -> ids.add(d.get("id").asText()));
        return ids;
    }
}
