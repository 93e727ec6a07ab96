package org.hybridrerank.solr.testutil;

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

/** Minimal reader of a BEIR-format dataset for tests: corpus, queries and qrels. */
public final class Beir {
  public record Doc(String id, String title, String text) {}

  private Beir() {}

  public static Map<String, Doc> corpus(Path dataset, int limit) throws IOException {
    Map<String, Doc> docs = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in = Files.newBufferedReader(dataset.resolve("corpus.jsonl"))) {
      String line;
      while ((line = in.readLine()) != null && docs.size() < limit) {
        JsonNode n = json.readTree(line);
        docs.put(n.get("_id").asText(), new Doc(n.get("_id").asText(), n.path("title").asText(""), n.path("text").asText("")));
      }
    }
    return docs;
  }

  public static Map<String, Doc> docsById(Path dataset, java.util.Set<String> ids) throws IOException {
    Map<String, Doc> docs = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    try (BufferedReader in = Files.newBufferedReader(dataset.resolve("corpus.jsonl"))) {
      String line;
      while ((line = in.readLine()) != null) {
        JsonNode n = json.readTree(line);
        String id = n.get("_id").asText();
        if (ids.contains(id)) docs.put(id, new Doc(id, n.path("title").asText(""), n.path("text").asText("")));
      }
    }
    return docs;
  }

  /** Adds docs (id, title, text) in batches and commits; {@code progress} sees the running count. */
  public static void index(
      org.apache.solr.client.solrj.SolrClient solr, java.util.Collection<Doc> docs, java.util.function.IntConsumer progress)
      throws Exception {
    List<org.apache.solr.common.SolrInputDocument> batch = new ArrayList<>();
    int added = 0;
    for (Doc d : docs) {
      org.apache.solr.common.SolrInputDocument doc = new org.apache.solr.common.SolrInputDocument();
      doc.addField("id", d.id());
      doc.addField("title", d.title());
      doc.addField("text", d.text());
      batch.add(doc);
      if (batch.size() == 256) {
        solr.add(batch);
        added += batch.size();
        batch.clear();
        progress.accept(added);
      }
    }
    if (!batch.isEmpty()) solr.add(batch);
    solr.commit();
  }

  public static Map<String, String> queries(Path dataset) throws IOException {
    Map<String, String> queries = new LinkedHashMap<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(dataset.resolve("queries.jsonl"))) {
      JsonNode n = json.readTree(line);
      queries.put(n.get("_id").asText(), n.get("text").asText());
    }
    return queries;
  }

  /** query id → relevant doc ids, in file order. */
  public static Map<String, List<String>> qrels(Path dataset, String split) throws IOException {
    Map<String, List<String>> qrels = new LinkedHashMap<>();
    List<String> lines = Files.readAllLines(dataset.resolve("qrels").resolve(split + ".tsv"));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split("\t");
      if (f.length >= 3 && Integer.parseInt(f[2].trim()) > 0) {
        qrels.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f[1]);
      }
    }
    return qrels;
  }
}
