package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What bin/demo and bin/eval verify before they touch Solr: a dataset that yields nothing stops the tool with
 * the folder, the files looked at and what was expected, instead of an empty index or an empty evaluation.
 */
final class DatasetCheck {
    private DatasetCheck() {}

    /** The queries bin/eval runs: judged (a grade above 0) and with text, in qrels order. */
    record JudgedQueries(
            Map<String, String> texts,
            Map<String, Map<String, Integer>> qrels,
            List<String> ids,
            List<String> withoutText) {}

    /** Reads every document once and returns how many there are; none is a {@link DatasetProblem}. */
    static long documents(Dataset ds) throws IOException {
        long[] count = {0};
        ds.documents(d -> count[0]++);
        if (count[0] == 0)
            throw DatasetProblem.of("no documents", ds.folder(), ds.filesLookedAt(), Dataset.EXPECTED_DOCUMENTS);
        return count[0];
    }

    static JudgedQueries judgedQueries(Dataset ds, String split, TopicField field) throws IOException {
        boolean beir = ds.format().equals("beir");
        Map<String, String> texts = ds.queries(field);
        if (texts.isEmpty()) {
            String expected = beir
                    ? "queries.jsonl or queries.jsonl.gz beside corpus.jsonl (one JSON object a line: _id, text)"
                    : "a TREC topics file (plain or .gz) of <top><num>…<title>…<desc>…<narr>…</top>, with a non-empty <"
                            + (field == TopicField.DESC ? "desc" : "title") + "> (--topic-field " + field.label() + ")";
            throw DatasetProblem.of("no topics", ds.folder(), ds.filesLookedAt(), expected);
        }
        Map<String, Map<String, Integer>> qrels = ds.qrels(split);
        if (qrels.isEmpty()) {
            String expected = beir
                    ? "qrels/" + split
                            + ".tsv beside corpus.jsonl, lines 'query-id corpus-id score' (header line optional)"
                    : "a TREC qrels file (plain or .gz) of lines 'qid 0 docid grade'";
            throw DatasetProblem.of("no judgments", ds.folder(), ds.filesLookedAt(), expected);
        }
        List<String> ids = new ArrayList<>();
        List<String> withoutText = new ArrayList<>();
        for (Map.Entry<String, Map<String, Integer>> e : qrels.entrySet()) {
            if (e.getValue().values().stream().noneMatch(g -> g > 0)) continue;
            if (texts.containsKey(e.getKey())) ids.add(e.getKey());
            else withoutText.add(e.getKey());
        }
        if (ids.isEmpty()) {
            throw DatasetProblem.of(
                    "no judged query has a topic (" + texts.size() + " topics, " + qrels.size()
                            + " judged query ids, none in common" + (withoutText.isEmpty() ? ", no grade above 0" : "")
                            + ")",
                    ds.folder(),
                    ds.filesLookedAt(),
                    "qrels whose query ids are the topics' ids, with at least one grade above 0");
        }
        return new JudgedQueries(texts, qrels, ids, withoutText);
    }
}
