package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/eval}: runs a test collection's queries through a running Solr with the plugin, in several modes,
 * and measures relevance (trec_eval's nDCG@10, MRR@10, Recall@K) and latency per mode and stage. Writes
 * results.json, TREC run files and an offline report.html; exits 1 when a gate ({@code --fail-below}, {@code --expect},
 * see {@link RelevanceGate}) fails.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Measure relevance and latency through Solr.")
public final class Evaluate implements Callable<Integer> {
    @Mixin
    SolrOptions solrOptions = new SolrOptions();

    @Option(
            names = "--dataset",
            description = "required unless --compare: BEIR folder (corpus.jsonl, queries.jsonl, qrels/) or TREC files, "
                    + "nested folders and .gz included")
    Path dataset;

    @Option(
            names = "--topic-field",
            defaultValue = "title",
            converter = TopicField.Converter.class,
            description =
                    "part of a TREC topic sent as the query: title, desc or title+desc (default ${DEFAULT-VALUE})")
    TopicField topicField;

    @Option(
            names = "--split",
            defaultValue = "test",
            description = "qrels split of a BEIR dataset (default ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--modes",
            defaultValue = "lexical,vector,rrf,lexical+ce,rrf+ce",
            split = ",",
            description = "modes (default ${DEFAULT-VALUE})")
    List<String> modes;

    @Option(
            names = "--k",
            defaultValue = "100",
            description = "docs reranked by the cross-encoder (default ${DEFAULT-VALUE})")
    int k;

    @Option(names = "--queries", description = "evaluate only the first N judged queries")
    Integer queries;

    @Option(names = "--out", defaultValue = "eval-out", description = "output folder (default ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--compare-url",
            description =
                    "compare page that report.html links each query to (default: the demo's /compare/ beside --solr, "
                            + "when it serves one)")
    String compareUrl;

    @Option(names = "--fail-below", description = "MODE:METRIC:VALUE, e.g. rrf+ce:ndcg@10:0.6 (repeatable)")
    List<String> floors = new ArrayList<>();

    @Option(
            names = "--expect",
            description = "MODE:METRIC:VALUE:TOLERANCE, fail outside VALUE±TOLERANCE, e.g. rrf+ce:ndcg@10:0.616:0.03 "
                    + "(repeatable). With any gate, each reranked mode must also answer rerank.status=ok on "
                    + "every query and change the top 10 of its first-stage mode on most queries")
    List<String> expectations = new ArrayList<>();

    @Option(
            names = "--set",
            paramLabel = "NAME=VALUE",
            converter = RequestOverrides.Converter.class,
            description = "request parameter sent in every request of every mode, replacing the mode's own value (e.g. "
                    + "hybrid.rrf.k=20, 'rq={!crossencoder reRankDocs=30}'); repeat for more, or for several "
                    + "values of one name. q, hybrid.mode and fl are bin/eval's own and refused (choose modes "
                    + "with --modes)")
    List<RequestOverrides.Setting> settings = new ArrayList<>();

    @Option(
            names = "--context-tokens",
            split = ",",
            paramLabel = "N",
            description = "measure context recall at these token budgets (e.g. 512,2048): each request also asks for"
                    + " context=true with the largest; the share of judged queries whose packed context holds a"
                    + " relevant passage, per mode and budget")
    List<Integer> contextTokens = new ArrayList<>();

    @Option(
            names = "--label",
            description =
                    "name of the run in results.json, report.html and comparisons (default: the --out folder's name);"
                            + " with --compare, the comparison's title")
    String label;

    @Option(
            names = "--compare",
            arity = "1..*",
            paramLabel = "DIR",
            description =
                    "earlier --out folders (each with results.json): write compare.html and compare.json into --out, "
                            + "side by side, with the parameters that differ; Solr is not contacted")
    List<Path> compare = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new Evaluate(), args));
    }

    @Override
    public Integer call() throws Exception {
        if (!compare.isEmpty()) return compareRuns();
        if (dataset == null)
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "Missing required option: '--dataset=<dataset>'");
        RequestOverrides overrides = new RequestOverrides(settings);
        List<EvalMode> evalModes = modes.stream().map(EvalMode::parse).toList();
        List<RelevanceGate.Band> bands = new ArrayList<>();
        floors.forEach(f -> bands.add(RelevanceGate.Band.floor(f)));
        expectations.forEach(e -> bands.add(RelevanceGate.Band.around(e)));
        RelevanceGate gate = new RelevanceGate(bands);
        gate.requireMeasured(evalModes);
        PrintWriter err = spec.commandLine().getErr();
        Dataset data;
        DatasetCheck.JudgedQueries judged;
        try {
            data = Dataset.open(dataset);
            judged = DatasetCheck.judgedQueries(data, split, topicField);
        } catch (DatasetProblem e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        if (!judged.withoutText().isEmpty()) {
            err.println(judged.withoutText().size() + " judged queries have no topic text (--topic-field "
                    + topicField.label() + ") and are left out: " + EvalReport.firstIds(judged.withoutText()));
            err.flush();
        }
        String core = solrOptions.core(data);
        Map<String, String> texts = judged.texts();
        Map<String, Map<String, Integer>> qrels = judged.qrels();
        List<String> ids = judged.ids();
        if (queries != null) ids = ids.subList(0, Math.min(queries, ids.size()));

        Map<EvalMode, ModeResults> results = new LinkedHashMap<>();
        for (EvalMode m : evalModes) results.put(m, new ModeResults(m));
        List<Integer> budgets = contextBudgets();
        Map<EvalMode, ContextRecall> contexts = new LinkedHashMap<>();
        if (!budgets.isEmpty()) for (EvalMode m : evalModes) contexts.put(m, new ContextRecall(budgets));
        SolrTarget target = solrOptions.target(core);
        try (SolrClient solr = solrOptions.client(core)) {
            target.check(solr); // before the progress bar: a wrong --solr or --collection is told in one line
            try (ProgressBar bar = new ProgressBarBuilder()
                    .setTaskName("eval " + core)
                    .setInitialMax((long) ids.size() * evalModes.size())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                    .showSpeed()
                    .build()) {
                for (String qid : ids) {
                    String text = texts.get(qid);
                    for (EvalMode mode : evalModes) {
                        QueryRequest request = request(mode, text, overrides);
                        long start = System.nanoTime();
                        QueryResponse rsp = request.process(solr);
                        double ms = (System.nanoTime() - start) / 1e6;
                        List<String> ranking = new ArrayList<>();
                        List<Float> scores = new ArrayList<>();
                        for (SolrDocument d : rsp.getResults()) {
                            ranking.add(String.valueOf(d.getFieldValue("id")));
                            scores.add((Float) d.getFieldValue("score"));
                        }
                        Object status = rsp.getHeader().get("rerank.status");
                        ContextRecall context = contexts.get(mode);
                        if (context != null) context.add(qid, rsp.getResponse().get("context"), qrels.get(qid));
                        results.get(mode)
                                .add(
                                        qid,
                                        text,
                                        ranking,
                                        scores,
                                        qrels.get(qid),
                                        ms,
                                        stageTimings(rsp),
                                        status == null ? null : status.toString());
                        bar.step();
                    }
                }
            }
        } catch (SolrServerException | IOException | SolrException e) {
            throw target.explain(e);
        }

        Files.createDirectories(out);
        String runLabel = label != null
                ? label
                : out.toAbsolutePath().normalize().getFileName().toString();
        EvalReport report = new EvalReport(runLabel, overrides, core, data, split, k, ids.size(), results)
                .withContextRecall(contexts);
        report.writeJson(out.resolve("results.json"));
        report.writeRuns(out);
        String page = compareUrl != null ? compareUrl : ComparePageProbe.beside(solrOptions.solrUrl);
        if (page != null) report.linkQueriesTo(page, texts);
        report.writeHtml(out.resolve("report.html"));
        System.out.println(report.table());
        System.out.print(report.contextTable());
        System.out.print(report.noResultsSummary());
        System.out.println("wrote " + out.resolve("results.json") + ", " + out.resolve("report.html")
                + " and TREC runs in " + out);

        if (gate.isEmpty()) return 0;
        boolean failed = false;
        for (RelevanceGate.Verdict verdict : gate.check(results)) {
            System.out.println(verdict);
            failed |= !verdict.passed();
        }
        return failed ? 1 : 0;
    }

    /** What is sent for one query in one mode: the mode's parameters with --set's in their place, to --handler. */
    QueryRequest request(EvalMode mode, String text, RequestOverrides overrides) {
        org.apache.solr.client.solrj.SolrQuery q = mode.request(text, k, overrides);
        List<Integer> budgets = contextBudgets();
        if (!budgets.isEmpty()) {
            q.set("context", true);
            q.set("context.tokens", budgets.get(budgets.size() - 1));
        }
        QueryRequest request = new QueryRequest(q);
        request.setPath(solrOptions.handler);
        return request;
    }

    /** --context-tokens, sorted and checked (each at least 1). */
    private List<Integer> contextBudgets() {
        for (int b : contextTokens) {
            if (b < 1)
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--context-tokens must be integers >= 1, got " + b);
        }
        return contextTokens.stream().distinct().sorted().toList();
    }

    /** --compare: reads the earlier runs and writes the comparison; exit 2 naming the folder when one is unreadable. */
    private int compareRuns() throws java.io.IOException {
        if (dataset != null || !settings.isEmpty() || !floors.isEmpty() || !expectations.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--compare reads finished runs; --dataset, --set, --fail-below and --expect belong to a new run");
        }
        EvalComparison comparison;
        try {
            comparison = EvalComparison.read(label, compare);
        } catch (EvalComparison.UnreadableRun e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        Files.createDirectories(out);
        comparison.writeJson(out.resolve("compare.json"));
        comparison.writeHtml(out.resolve("compare.html"));
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.print(comparison.table());
        stdout.println("wrote " + out.resolve("compare.html") + " and " + out.resolve("compare.json"));
        stdout.flush();
        return 0;
    }

    /** Per-stage milliseconds from debug.hybrid and debug.rerank. */
    private static Map<String, Double> stageTimings(QueryResponse rsp) {
        Map<String, Double> stages = new LinkedHashMap<>();
        Map<String, Object> debug = rsp.getDebugMap();
        if (debug == null) return stages;
        for (String section : new String[] {"hybrid", "rerank"}) {
            if (debug.get(section) instanceof NamedList<?> nl) {
                for (Map.Entry<String, ?> e : nl) {
                    if (e.getKey().endsWith("Ms") && e.getValue() instanceof Number n) {
                        stages.put(e.getKey().substring(0, e.getKey().length() - 2), n.doubleValue());
                    }
                }
            }
        }
        return stages;
    }
}
