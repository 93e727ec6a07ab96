package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.common.util.NamedList;

/**
 * bin/eval's context recall of one mode: for each token budget, the share of judged queries whose packed context
 * ({@code context=true}) holds the passage of at least one relevant doc. Each request asks for the largest budget;
 * a smaller budget's context is derived from it: under the packing rule (stop at the first passage that does not
 * fit, docs/configuration.md) it is the longest prefix of the larger context whose tokens fit.
 */
final class ContextRecall {
    /** One packed passage: its doc and its tokens. */
    record Entry(String id, int tokens) {}

    private final List<Integer> budgets;
    /** Per query: the passages of the largest budget's context. */
    private final Map<String, List<Entry>> contexts = new LinkedHashMap<>();

    private final Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();

    /** @param budgets increasing */
    ContextRecall(List<Integer> budgets) {
        this.budgets = List.copyOf(budgets);
    }

    int largest() {
        return budgets.get(budgets.size() - 1);
    }

    List<Integer> budgets() {
        return budgets;
    }

    /** Reads a response's {@code context} section; a response without one is an error (the handler lacks it). */
    void add(String qid, Object section, Map<String, Integer> judged) {
        if (!(section instanceof NamedList<?> context)) {
            throw new UserError("the response has no 'context' section: the handler needs the context search "
                    + "component (solr-conf/solrconfig.xml, last-components) for --context-tokens");
        }
        List<Entry> entries = new ArrayList<>();
        for (Object p : (List<?>) context.get("passages")) {
            NamedList<?> passage = (NamedList<?>) p;
            entries.add(new Entry(String.valueOf(passage.get("id")), ((Number) passage.get("tokens")).intValue()));
        }
        contexts.put(qid, entries);
        judgments.put(qid, judged == null ? Map.of() : judged);
    }

    /** The context of a smaller budget: the longest prefix of {@code packed} whose tokens fit. */
    static List<Entry> within(List<Entry> packed, int budget) {
        int used = 0;
        for (int i = 0; i < packed.size(); i++) {
            used += packed.get(i).tokens();
            if (used > budget) return packed.subList(0, i);
        }
        return packed;
    }

    /** Whether the context of {@code budget} holds a relevant doc's passage. */
    boolean hit(String qid, int budget) {
        Map<String, Integer> judged = judgments.get(qid);
        for (Entry e : within(contexts.get(qid), budget)) if (judged.getOrDefault(e.id(), 0) > 0) return true;
        return false;
    }

    /** Share of the queries whose context of {@code budget} holds a relevant passage. */
    double recall(int budget) {
        if (contexts.isEmpty()) return 0;
        long hits = contexts.keySet().stream().filter(q -> hit(q, budget)).count();
        return (double) hits / contexts.size();
    }

    /** Mean number of passages packed with {@code budget}. */
    double meanPassages(int budget) {
        return contexts.values().stream()
                .mapToInt(c -> within(c, budget).size())
                .average()
                .orElse(0);
    }

    /** Mean tokens used with {@code budget}. */
    double meanTokens(int budget) {
        return contexts.values().stream()
                .mapToInt(
                        c -> within(c, budget).stream().mapToInt(Entry::tokens).sum())
                .average()
                .orElse(0);
    }

    /** For results.json: per budget, the recall, mean passages and mean tokens. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int b : budgets) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("recall", EvalReport.round(recall(b)));
            m.put("passages", EvalReport.round(meanPassages(b)));
            m.put("tokens", EvalReport.round(meanTokens(b)));
            out.put(Integer.toString(b), m);
        }
        return out;
    }

    /** Column heads of the stdout and HTML tables. */
    List<String> heads() {
        return budgets.stream()
                .map(b -> String.format(Locale.ROOT, "ctx@%d", b))
                .toList();
    }
}
