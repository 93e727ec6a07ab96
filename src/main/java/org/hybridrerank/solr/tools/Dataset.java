package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hybridrerank.solr.tools.DatasetFiles.Kind;

/**
 * A test collection: documents, queries and graded judgments, read from a folder laid out as distributed.
 * Files are found at any depth and {@code .gz} files are read decompressed. Two layouts:
 *
 * <ul>
 *   <li>BEIR: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}) anywhere in the folder, with
 *       {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/SPLIT.tsv} ({@code query-id corpus-id
 *       score}, header line optional) beside it;
 *   <li>TREC: files recognised by content: documents as {@code <DOC><DOCNO>id</DOCNO> text</DOC>} (an optional
 *       {@code <TITLE>} is the title), topics as {@code <top><num>…<title>…<desc>…<narr>…</top>}, and qrels
 *       lines {@code qid 0 docid rel}.
 * </ul>
 */
public final class Dataset {
    public record Doc(String id, String title, String text) {}

    static final String EXPECTED_DOCUMENTS =
            "a BEIR corpus.jsonl or corpus.jsonl.gz (one JSON object a line: _id, title, text), or TREC document files"
                    + " (plain or .gz) whose first line is <DOC>, each document <DOC><DOCNO>id</DOCNO>…</DOC>";

    private static final Pattern TREC_DOC = Pattern.compile("(?is)<DOC(?:\\s[^>]*)?>(.*?)</DOC>");
    private static final Pattern TREC_DOC_END = Pattern.compile("(?i)</DOC>");
    private static final Pattern TREC_TOPIC = Pattern.compile("(?is)<top>(.*?)</top>");

    private final Path dir;
    /** The folder holding corpus.jsonl; null for a TREC collection. */
    private final Path beirRoot;

    private final List<Path> files;
    private Map<Path, Kind> kinds;

    private Dataset(Path dir, Path beirRoot, List<Path> files) {
        this.dir = dir;
        this.beirRoot = beirRoot;
        this.files = files;
    }

    public static Dataset open(Path dir) throws IOException {
        if (!Files.isDirectory(dir))
            throw new DatasetProblem(
                    "dataset folder not found: " + dir.toAbsolutePath().normalize());
        List<Path> files = DatasetFiles.under(dir);
        List<Path> corpora = files.stream()
                .filter(f -> DatasetFiles.plainName(f).equals("corpus.jsonl"))
                .toList();
        if (corpora.size() > 1) {
            throw DatasetProblem.of(
                    "several BEIR corpora",
                    dir,
                    corpora.stream().map(f -> dir.relativize(f).toString()).toList(),
                    "one dataset per folder: pass the folder of one of them as --dataset");
        }
        return new Dataset(dir, corpora.isEmpty() ? null : corpora.get(0).getParent(), files);
    }

    public String name() {
        return dir.toAbsolutePath().normalize().getFileName().toString();
    }

    public Path folder() {
        return dir;
    }

    public String format() {
        return beirRoot != null ? "beir" : "trec";
    }

    /** Every file under the folder with what it was taken for, for messages about what was (not) found. */
    public List<String> filesLookedAt() {
        List<String> out = new ArrayList<>();
        for (Path f : files) out.add(dir.relativize(f) + ": " + role(f));
        return out;
    }

    private String role(Path file) {
        if (beirRoot == null) return kinds().get(file).description;
        String name = DatasetFiles.plainName(file);
        if (file.getParent().equals(beirRoot) && name.equals("corpus.jsonl")) return "BEIR corpus";
        if (file.getParent().equals(beirRoot) && name.equals("queries.jsonl")) return "BEIR queries";
        if (file.getParent().equals(beirRoot.resolve("qrels")) && name.endsWith(".tsv")) return "BEIR qrels";
        return "not used";
    }

    /** Streams every document to {@code sink}; a document without an id comes with a null id. */
    public void documents(Consumer<Doc> sink) throws IOException {
        if (beirRoot != null) {
            Path corpus = beirFile(beirRoot, "corpus.jsonl");
            if (corpus == null) return;
            readJsonLines(
                    corpus, n -> sink.accept(new Doc(text(n, "_id", null), text(n, "title", ""), text(n, "text", ""))));
            return;
        }
        for (Path file : filesOf(Kind.TREC_DOCUMENTS)) {
            // documents are taken off a buffer as their </DOC> arrives, so a multi-gigabyte file streams
            StringBuilder pending = new StringBuilder();
            try (BufferedReader in = DatasetFiles.open(file)) {
                for (String line; (line = in.readLine()) != null; ) {
                    pending.append(line).append('\n');
                    if (!TREC_DOC_END.matcher(line).find()) continue;
                    Matcher m = TREC_DOC.matcher(pending);
                    int consumed = 0;
                    while (m.find()) {
                        sink.accept(trecDoc(m.group(1)));
                        consumed = m.end();
                    }
                    pending.delete(0, consumed);
                }
            }
        }
    }

    private static Doc trecDoc(String body) {
        String id = tag(body, "DOCNO");
        String title = tag(body, "TITLE");
        String text = body.replaceAll("(?is)<DOCNO>.*?</DOCNO>", "")
                .replaceAll("(?is)<TITLE>.*?</TITLE>", "")
                .replaceAll("<[^>]+>", " ");
        return new Doc(
                id,
                title == null ? "" : title.replaceAll("\\s+", " "),
                text.trim().replaceAll("\\s+", " "));
    }

    /** Query id → the topic title (BEIR: the query text). */
    public Map<String, String> queries() throws IOException {
        return queries(TopicField.TITLE);
    }

    /** Query id → text; for TREC topics the chosen part, topics lacking it left out. */
    public Map<String, String> queries(TopicField field) throws IOException {
        Map<String, String> queries = new LinkedHashMap<>();
        if (beirRoot != null) {
            Path file = beirFile(beirRoot, "queries.jsonl");
            if (file != null) readJsonLines(file, n -> queries.put(text(n, "_id", ""), text(n, "text", "")));
            queries.remove("");
            return queries;
        }
        for (Path file : filesOf(Kind.TREC_TOPICS)) {
            String all;
            try (BufferedReader in = DatasetFiles.open(file)) {
                all = in.lines()
                        .reduce(new StringBuilder(), (sb, l) -> sb.append(l).append('\n'), StringBuilder::append)
                        .toString();
            }
            Matcher m = TREC_TOPIC.matcher(all);
            while (m.find()) {
                String body = m.group(1);
                String num = untilNextTag(body, "num").replaceFirst("(?i)^Number:\\s*", "");
                String title = untilNextTag(body, "title").replaceFirst("(?i)^Topic:\\s*", "");
                String desc = untilNextTag(body, "desc").replaceFirst("(?i)^Description:\\s*", "");
                String text = field.text(title, desc);
                if (!num.isEmpty() && !text.isEmpty()) queries.put(num, text);
            }
        }
        return queries;
    }

    /** Query id → (doc id → grade), for one split (BEIR) or all qrels files (TREC). */
    public Map<String, Map<String, Integer>> qrels(String split) throws IOException {
        Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
        if (beirRoot != null) {
            Path file = beirFile(beirRoot.resolve("qrels"), split + ".tsv");
            if (file == null) {
                throw DatasetProblem.of(
                        "no qrels for split '" + split + "'",
                        dir,
                        filesLookedAt(),
                        "qrels/" + split + ".tsv or qrels/" + split
                                + ".tsv.gz beside corpus.jsonl (--split names the file)");
            }
            readBeirQrels(file, qrels);
            return qrels;
        }
        for (Path file : filesOf(Kind.TREC_QRELS)) {
            try (BufferedReader in = DatasetFiles.open(file)) {
                for (String l; (l = in.readLine()) != null; ) {
                    Matcher m = DatasetFiles.TREC_QRELS_LINE.matcher(l.trim());
                    if (m.matches())
                        qrels.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>())
                                .put(m.group(2), Integer.parseInt(m.group(3)));
                }
            }
        }
        return qrels;
    }

    /** {@code query-id corpus-id score}, tab-separated; BEIR ships a header line, hand-made files often do not. */
    private static void readBeirQrels(Path file, Map<String, Map<String, Integer>> qrels) throws IOException {
        try (BufferedReader in = DatasetFiles.open(file)) {
            int lineNo = 0;
            boolean first = true;
            for (String l; (l = in.readLine()) != null; ) {
                lineNo++;
                String[] f = l.trim().split("\\s+");
                if (f.length < 3) continue;
                int grade;
                try {
                    grade = Integer.parseInt(f[2]);
                } catch (NumberFormatException e) {
                    if (first) {
                        first = false;
                        continue;
                    }
                    throw new IOException(file + ":" + lineNo + ": the score '" + f[2] + "' is not an integer");
                }
                first = false;
                qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], grade);
            }
        }
    }

    private Map<Path, Kind> kinds() {
        if (kinds == null) {
            kinds = new LinkedHashMap<>();
            for (Path f : files) kinds.put(f, DatasetFiles.kind(f));
        }
        return kinds;
    }

    private List<Path> filesOf(Kind kind) {
        return kinds().entrySet().stream()
                .filter(e -> e.getValue() == kind)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** {@code folder/name}, or its gzipped {@code name.gz}; null when neither is there. */
    private static Path beirFile(Path folder, String name) {
        for (Path candidate : List.of(folder.resolve(name), folder.resolve(name + ".gz"))) {
            if (Files.isRegularFile(candidate)) return candidate;
        }
        return null;
    }

    private interface JsonSink {
        void accept(JsonNode node);
    }

    private static void readJsonLines(Path file, JsonSink sink) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (BufferedReader in = DatasetFiles.open(file)) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) continue;
                JsonNode n;
                try {
                    n = json.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new IOException(file + ":" + lineNo + ": not a JSON object: " + e.getOriginalMessage(), e);
                }
                sink.accept(n);
            }
        }
    }

    private static String text(JsonNode n, String field, String absent) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? absent : v.asText();
    }

    private static String tag(String body, String name) {
        Matcher m = Pattern.compile("(?is)<" + name + ">(.*?)</" + name + ">").matcher(body);
        return m.find() ? m.group(1).trim() : null;
    }

    /** TREC topics leave tags open: the value runs to the next tag. */
    private static String untilNextTag(String body, String name) {
        Matcher m = Pattern.compile("(?is)<" + name + ">(.*?)(?=<|$)").matcher(body);
        return m.find() ? m.group(1).trim().replaceAll("\\s+", " ") : "";
    }
}
