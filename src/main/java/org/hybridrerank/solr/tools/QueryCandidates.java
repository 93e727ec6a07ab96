package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hybridrerank.solr.hybrid.RankedList;

/**
 * Every first-stage candidate of one query as Solr ranked and scored it: its rank and score in the lexical and
 * the vector list (rank 0: not in that list) and the cross-encoder's score. bin/tune asks Solr once per query
 * and replays any configuration from these rows without inference.
 */
public record QueryCandidates(String qid, List<Row> rows) {
    /** One candidate; {@code ceScore} is the model score after the rerank's score transform, as [hybrid] reports it. */
    public record Row(
            String id, int lexicalRank, float lexicalScore, int vectorRank, float vectorScore, float ceScore) {}

    public RankedList lexical() {
        return list(true);
    }

    public RankedList vector() {
        return list(false);
    }

    public Map<String, Float> modelScores() {
        Map<String, Float> out = new HashMap<>(rows.size() * 2);
        for (Row r : rows) out.put(r.id(), r.ceScore());
        return out;
    }

    /** The list in its rank order, as the first stage held it (docids unknown offline: -1). */
    private RankedList list(boolean lexical) {
        List<Row> held = new ArrayList<>();
        for (Row r : rows) if ((lexical ? r.lexicalRank() : r.vectorRank()) > 0) held.add(r);
        held.sort(Comparator.comparingInt(r -> lexical ? r.lexicalRank() : r.vectorRank()));
        List<RankedList.Hit> hits = new ArrayList<>(held.size());
        for (int i = 0; i < held.size(); i++) {
            Row r = held.get(i);
            int rank = lexical ? r.lexicalRank() : r.vectorRank();
            if (rank != i + 1) {
                throw new IllegalArgumentException("query " + qid + ": the " + (lexical ? "lexical" : "vector")
                        + " ranks of the cached candidates are not 1.." + held.size() + " (rank " + rank
                        + " at position " + (i + 1) + "): the candidates were fetched incompletely");
            }
            hits.add(new RankedList.Hit(r.id(), -1, lexical ? r.lexicalScore() : r.vectorScore()));
        }
        return new RankedList(List.copyOf(hits));
    }
}
