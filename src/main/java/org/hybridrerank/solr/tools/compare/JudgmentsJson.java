package org.hybridrerank.solr.tools.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;

/**
 * The judged queries of a dataset as the compare page reads them:
 * {@code {"queries":[{"id":…, "text":…, "qrels":{doc id: grade}}]}}, in the dataset's query order; queries
 * without judgments, and judgments of queries without text, are left out.
 */
public final class JudgmentsJson {
    private JudgmentsJson() {}

    public static byte[] of(Map<String, String> queries, Map<String, Map<String, Integer>> qrels) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ArrayNode list = root.putArray("queries");
        queries.forEach((id, text) -> {
            Map<String, Integer> judged = qrels.get(id);
            if (judged == null || judged.isEmpty() || text.isBlank()) return;
            ObjectNode q = list.addObject().put("id", id).put("text", text);
            ObjectNode grades = q.putObject("qrels");
            judged.forEach(grades::put);
        });
        return json.writeValueAsBytes(root);
    }

    /** The page's config: the collection to query and Solr's context path. */
    public static byte[] config(String collection, String solrContext) throws IOException {
        ObjectMapper json = new ObjectMapper();
        return json.writeValueAsBytes(
                json.createObjectNode().put("collection", collection).put("solr", solrContext));
    }
}
