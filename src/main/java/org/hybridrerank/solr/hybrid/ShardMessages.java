package org.hybridrerank.solr.hybrid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.hybridrerank.solr.rerank.ModelScore;

/**
 * What the SolrCloud coordinator and the shards tell each other about the first stage, in request
 * parameters (coordinator to shard) and response sections (shard to coordinator). Scores travel as
 * {@link Float#toString} text or as javabin floats, so every node sees bit-identical values.
 */
final class ShardMessages {
    /** Shard request marker: return your lexical and vector lists, nothing else. */
    static final String LISTS_PHASE = "hybrid.shard.lists";
    /** Shard response section holding those lists. */
    static final String LISTS_SECTION = "hybrid.lists";
    /** The global candidates, in rank order, and how many of them the rank query reranks. */
    static final String CANDIDATES = org.hybridrerank.solr.rerank.RerankScores.HYBRID_CANDIDATES;
    /** Model scores and passages of the reranked docs, by key, forwarded to the field-fetching shard requests. */
    static final String MODEL_SCORES = "hybrid.shard.modelScores";

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShardMessages() {}

    /** The global ranking a shard needs: every candidate (key, scores, ranks) and the rerank window. */
    record Candidates(List<FusedCandidate> ranked, int rerankWindow) {}

    static String encodeCandidates(List<FusedCandidate> ranked, int rerankWindow) {
        ObjectNode root = JSON.createObjectNode();
        root.put("window", rerankWindow);
        ArrayNode docs = root.putArray("docs");
        for (FusedCandidate c : ranked) {
            docs.addArray()
                    .add(c.key())
                    .add(Float.toString(c.fusedScore()))
                    .add(c.lexicalRank())
                    .add(Float.toString(c.lexicalScore()))
                    .add(c.vectorRank())
                    .add(Float.toString(c.vectorScore()));
        }
        return root.toString();
    }

    static Candidates decodeCandidates(String raw) {
        try {
            JsonNode root = JSON.readTree(raw);
            List<FusedCandidate> ranked = new ArrayList<>();
            for (JsonNode d : root.get("docs")) {
                ranked.add(new FusedCandidate(
                        d.get(0).asText(),
                        -1,
                        Float.parseFloat(d.get(1).asText()),
                        d.get(2).asInt(),
                        Float.parseFloat(d.get(3).asText()),
                        d.get(4).asInt(),
                        Float.parseFloat(d.get(5).asText())));
            }
            return new Candidates(ranked, root.get("window").asInt());
        } catch (Exception e) {
            throw malformed(CANDIDATES, e);
        }
    }

    /** {key: [score, start, end]}, or {key: [score]} where no single passage was read. */
    static String encodeScores(Map<String, ModelScore> scores) {
        ObjectNode root = JSON.createObjectNode();
        // the score as its decimal string: a JSON number would come back as a double, rounded a second time
        scores.forEach((key, score) -> root.set(key, JSON.valueToTree(score.toEntry(Float.toString(score.score())))));
        return root.toString();
    }

    static Map<String, ModelScore> decodeScores(String raw) {
        try {
            Map<String, ModelScore> scores = new LinkedHashMap<>();
            JSON.readTree(raw)
                    .fields()
                    .forEachRemaining(e ->
                            scores.put(e.getKey(), ModelScore.fromEntry(JSON.convertValue(e.getValue(), List.class))));
            return scores;
        } catch (Exception e) {
            throw malformed(MODEL_SCORES, e);
        }
    }

    /** A shard's lists as a response section: {lexical: [[key, score], ...], vector: [...]}. */
    static SimpleOrderedMap<Object> listsSection(RankedList lexical, RankedList vector) {
        SimpleOrderedMap<Object> section = new SimpleOrderedMap<>();
        section.add("lexical", hitsOf(lexical));
        section.add("vector", hitsOf(vector));
        return section;
    }

    private static List<List<Object>> hitsOf(RankedList list) {
        List<List<Object>> out = new ArrayList<>(list.size());
        for (RankedList.Hit hit : list.hits()) out.add(List.of(hit.key(), hit.score()));
        return out;
    }

    /** The hits of one list of a shard's lists section, appended to {@code into}. */
    static void readHits(NamedList<?> section, String list, List<RankedList.Hit> into) {
        Object hits = section.get(list);
        if (!(hits instanceof List<?> rows)) return;
        for (Object row : rows) {
            List<?> pair = (List<?>) row;
            into.add(new RankedList.Hit(pair.get(0).toString(), -1, ((Number) pair.get(1)).floatValue()));
        }
    }

    private static SolrException malformed(String param, Exception e) {
        return new SolrException(
                SolrException.ErrorCode.BAD_REQUEST,
                "hybrid: internal shard parameter '" + param + "' is malformed (it is set by the SolrCloud coordinator,"
                        + " not by clients): " + e.getMessage(),
                e);
    }
}
