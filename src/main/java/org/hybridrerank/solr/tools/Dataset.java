package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A test collection: documents, queries and graded judgments. Two layouts are read:
 *
 * <ul>
 *   <li>BEIR: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}), {@code queries.jsonl}
 *       ({@code _id}, {@code text}), {@code qrels/SPLIT.tsv} (header, then {@code query-id corpus-id score});
 *   <li>TREC: any files in the folder, recognised by content: documents as {@code <DOC><DOCNO>id</DOCNO>
 *       text</DOC>} (an optional {@code <TITLE>} is the title), topics as {@code <top><num>…<title>…}, and
 *       qrels lines {@code qid 0 docid rel}.
 * </ul>
 */
public final class Dataset {
  public record Doc(String id, String title, String text) {}

  private final Path dir;
  private final boolean beir;

  private Dataset(Path dir, boolean beir) {
    this.dir = dir;
    this.beir = beir;
  }

  public static Dataset open(Path dir) {
    if (!Files.isDirectory(dir)) throw new IllegalArgumentException("dataset folder not found: " + dir);
    return new Dataset(dir, Files.exists(dir.resolve("corpus.jsonl")));
  }

  public String name() {
    return dir.toAbsolutePath().normalize().getFileName().toString();
  }

  public String format() {
    return beir ? "beir" : "trec";
  }

  /** Streams every document to {@code sink}. */
  public void documents(Consumer<Doc> sink) throws IOException {
    if (beir) {
      ObjectMapper json = new ObjectMapper();
      try (BufferedReader in = Files.newBufferedReader(dir.resolve("corpus.jsonl"))) {
        for (String line; (line = in.readLine()) != null; ) {
          if (line.isBlank()) continue;
          JsonNode n = json.readTree(line);
          sink.accept(new Doc(n.get("_id").asText(), n.path("title").asText(""), n.path("text").asText("")));
        }
      }
      return;
    }
    Pattern doc = Pattern.compile("(?s)<DOC>(.*?)</DOC>");
    for (Path file : filesStartingWith("<DOC>")) {
      Matcher m = doc.matcher(Files.readString(file));
      while (m.find()) {
        String body = m.group(1);
        String id = tag(body, "DOCNO");
        String title = tag(body, "TITLE");
        String text = body.replaceAll("(?s)<DOCNO>.*?</DOCNO>", "").replaceAll("(?s)<TITLE>.*?</TITLE>", "").replaceAll("<[^>]+>", " ").trim();
        sink.accept(new Doc(id, title == null ? "" : title, text.replaceAll("\\s+", " ")));
      }
    }
  }

  /** Query id → text. */
  public Map<String, String> queries() throws IOException {
    Map<String, String> queries = new LinkedHashMap<>();
    if (beir) {
      ObjectMapper json = new ObjectMapper();
      for (String line : Files.readAllLines(dir.resolve("queries.jsonl"))) {
        if (line.isBlank()) continue;
        JsonNode n = json.readTree(line);
        queries.put(n.get("_id").asText(), n.get("text").asText());
      }
      return queries;
    }
    Pattern top = Pattern.compile("(?s)<top>(.*?)</top>");
    for (Path file : filesContaining("<top>")) {
      Matcher m = top.matcher(Files.readString(file));
      while (m.find()) {
        String body = m.group(1);
        String num = untilNextTag(body, "num").replaceFirst("(?i)^Number:\\s*", "");
        queries.put(num, untilNextTag(body, "title").replaceFirst("(?i)^Topic:\\s*", ""));
      }
    }
    return queries;
  }

  /** Query id → (doc id → grade), for one split (BEIR) or all qrels files (TREC). */
  public Map<String, Map<String, Integer>> qrels(String split) throws IOException {
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    if (beir) {
      Path file = dir.resolve("qrels").resolve(split + ".tsv");
      if (!Files.exists(file)) throw new IllegalArgumentException("no qrels for split '" + split + "': " + file);
      List<String> lines = Files.readAllLines(file);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        if (f.length >= 3) qrels.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], Integer.parseInt(f[2]));
      }
      return qrels;
    }
    Pattern line = Pattern.compile("^(\\S+)\\s+\\S+\\s+(\\S+)\\s+(-?\\d+)\\s*$");
    for (Path file : allFiles()) {
      List<String> lines = Files.readAllLines(file);
      if (lines.isEmpty() || !line.matcher(lines.get(0).trim()).matches()) continue;
      for (String l : lines) {
        Matcher m = line.matcher(l.trim());
        if (m.matches()) qrels.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(m.group(2), Integer.parseInt(m.group(3)));
      }
    }
    return qrels;
  }

  private List<Path> allFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  private List<Path> filesStartingWith(String prefix) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path f : allFiles()) {
      try (BufferedReader in = Files.newBufferedReader(f)) {
        for (String l; (l = in.readLine()) != null; ) {
          if (l.isBlank()) continue;
          if (l.trim().startsWith(prefix)) out.add(f);
          break;
        }
      } catch (UncheckedIOException | java.nio.charset.MalformedInputException e) {
        // not a text file
      }
    }
    return out;
  }

  private List<Path> filesContaining(String marker) throws IOException {
    List<Path> out = new ArrayList<>();
    for (Path f : allFiles()) {
      try {
        if (Files.readString(f).contains(marker)) out.add(f);
      } catch (java.nio.charset.MalformedInputException e) {
        // not a text file
      }
    }
    return out;
  }

  private static String tag(String body, String name) {
    Matcher m = Pattern.compile("(?s)<" + name + ">(.*?)</" + name + ">").matcher(body);
    return m.find() ? m.group(1).trim() : null;
  }

  /** TREC topics leave tags open: the value runs to the next tag. */
  private static String untilNextTag(String body, String name) {
    Matcher m = Pattern.compile("(?is)<" + name + ">(.*?)(?=<|$)").matcher(body);
    return m.find() ? m.group(1).trim().replaceAll("\\s+", " ") : "";
  }
}
