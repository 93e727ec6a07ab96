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
import org.apache.solr.client.solrj.impl.Http2SolrClient;
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
 * {@code --expect-gain}, see {@link RelevanceGate}) fails. Several collections ({@code --dataset} repeated, or
 * {@code --suite}) are measured in one run: every dataset is read and every collection reached before the first
 * query, and the reports hold a section per collection plus each one's gain of the rerank over its first stage.
 */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Measure relevance and latency through Solr.")
public final class Evaluate implements Callable<Integer> {
    @Mixin
    SolrOptions solrOptions = new SolrOptions();

    @Option(
            names = "--dataset",
            paramLabel = "[NAME=]PATH[@SOLR_URL]",
            description = "required unless --compare or --suite: BEIR folder (corpus.jsonl, queries.jsonl, qrels/) or "
                    + "TREC files, nested folders and .gz included. Repeat it to evaluate several collections in "
                    + "one run: NAME= names the collection (default: --collection, else the folder's name), "
                    + "@SOLR_URL the Solr that serves it (default: --solr)")
    List<String> datasets = new ArrayList<>();

    @Option(
            names = "--suite",
            paramLabel = "FILE",
            description = "collections to evaluate, one a line: NAME PATH [SOLR_URL] [SPLIT] (paths relative to the "
                    + "file, '#' starts a comment); with or instead of --dataset")
    Path suite;

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

    @Option(
            names = "--fail-below",
            paramLabel = "[COLLECTION/]MODE:METRIC:VALUE",
            description = "fail below VALUE, e.g. rrf+ce:ndcg@10:0.6 (repeatable); without COLLECTION/ on every "
                    + "collection")
    List<String> floors = new ArrayList<>();

    @Option(
            names = "--expect",
            paramLabel = "[COLLECTION/]MODE:METRIC:VALUE:TOLERANCE",
            description = "fail outside VALUE±TOLERANCE, e.g. rrf+ce:ndcg@10:0.616:0.03 or "
                    + "cisi/rrf+ce:ndcg@10:0.45:0.03 (repeatable). With any gate, each reranked mode must also "
                    + "answer rerank.status=ok on every query and change the top 10 of its first-stage mode on "
                    + "most queries that trusted the model (rerank.modelTrusted), keeping it on the others")
    List<String> expectations = new ArrayList<>();

    @Option(
            names = "--expect-gain",
            paramLabel = "[COLLECTION/]MODE:BASE[:METRIC]:MIN_GAIN",
            description = "fail when MODE's METRIC (default ndcg@10) minus BASE's is below MIN_GAIN, e.g. "
                    + "rrf+ce:rrf:0 or cisi/rrf+ce:rrf:-0.005 (repeatable); without COLLECTION/ on every collection")
    List<String> expectedGains = new ArrayList<>();

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
                    + " relevant passage, per mode and budget (per collection and mode with several --dataset)")
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

    /** A collection whose dataset was read and judged queries found, before any request. */
    private record Prepared(EvalSuite.Entry entry, Dataset data, DatasetCheck.JudgedQueries judged, List<String> ids) {}

    @Override
    public Integer call() throws Exception {
        if (!compare.isEmpty()) return compareRuns();
        List<EvalSuite.Entry> entries;
        List<EvalMode> evalModes;
        RelevanceGate gate;
        try {
            entries = EvalSuite.entries(datasets, suite, solrOptions.solrUrl, solrOptions.collection, split);
            evalModes = modes.stream().map(EvalMode::parse).toList();
            List<RelevanceGate.Band> bands = new ArrayList<>();
            floors.forEach(f -> bands.add(RelevanceGate.Band.floor(f)));
            expectations.forEach(e -> bands.add(RelevanceGate.Band.around(e)));
            gate = new RelevanceGate(
                    bands, expectedGains.stream().map(RelevanceGate.Gain::of).toList());
            gate.requireMeasured(evalModes);
            gate.requireCollections(entries.stream().map(EvalSuite.Entry::name).toList());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<Integer> budgets = contextBudgets();
        boolean several = entries.size() > 1;
        if (several && compareUrl != null)
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--compare-url links the queries of one collection; with several datasets report.html links each "
                            + "collection to the compare page beside its Solr when that page serves it");
        RequestOverrides overrides = new RequestOverrides(settings);
        PrintWriter err = spec.commandLine().getErr();

        // every dataset read and every collection reached before the first query: a typo in the last of them
        // should not cost the measurement of the others
        List<Prepared> prepared = new ArrayList<>();
        for (EvalSuite.Entry entry : entries) {
            String who = several ? "--dataset " + entry.name() + ": " : "";
            try {
                Dataset data = Dataset.open(entry.dataset());
                DatasetCheck.JudgedQueries judged = DatasetCheck.judgedQueries(data, entry.split(), topicField);
                if (!judged.withoutText().isEmpty()) {
                    err.println(who + judged.withoutText().size() + " judged queries have no topic text (--topic-field "
                            + topicField.label() + ") and are left out: " + EvalReport.firstIds(judged.withoutText()));
                    err.flush();
                }
                List<String> ids = judged.ids();
                if (queries != null) ids = ids.subList(0, Math.min(queries, ids.size()));
                prepared.add(new Prepared(entry, data, judged, ids));
            } catch (DatasetProblem e) {
                err.println(who + e.getMessage());
                err.flush();
                return 2;
            }
        }
        for (Prepared p : prepared) {
            SolrTarget target = target(p.entry());
            try (SolrClient solr = client(p.entry())) {
                target.check(solr); // before the progress bar: a wrong --solr or --collection is told in one line
            } catch (UserError e) {
                throw several ? new UserError("--dataset " + p.entry().name() + ": " + e.getMessage(), e) : e;
            }
        }

        String runLabel = label != null
                ? label
                : out.toAbsolutePath().normalize().getFileName().toString();
        List<MultiEvalReport.Collection> reports = new ArrayList<>();
        for (Prepared p : prepared) {
            Map<EvalMode, ModeResults> results;
            Map<EvalMode, ContextRecall> contexts = new LinkedHashMap<>();
            try {
                results = measure(p, evalModes, overrides, budgets, contexts);
            } catch (UserError e) {
                throw several ? new UserError("--dataset " + p.entry().name() + ": " + e.getMessage(), e) : e;
            }
            EvalSuite.Entry entry = p.entry();
            EvalReport report = new EvalReport(
                            runLabel,
                            overrides,
                            entry.name(),
                            p.data(),
                            entry.split(),
                            k,
                            p.ids().size(),
                            results)
                    .withContextRecall(contexts);
            String page = several
                    ? ComparePageProbe.besideFor(entry.solr(), entry.name())
                    : compareUrl != null ? compareUrl : ComparePageProbe.beside(entry.solr());
            if (page != null) report.linkQueriesTo(page, p.judged().texts());
            reports.add(new MultiEvalReport.Collection(entry.solr(), report));
        }

        Files.createDirectories(out);
        PrintWriter stdout = spec.commandLine().getOut();
        if (!several) {
            EvalReport report = reports.get(0).report();
            report.writeJson(out.resolve("results.json"));
            report.writeRuns(out);
            report.writeHtml(out.resolve("report.html"));
            stdout.println(report.table());
            stdout.print(report.gainLines());
            stdout.print(report.contextTable());
            stdout.print(report.noResultsSummary());
            stdout.println("wrote " + out.resolve("results.json") + ", " + out.resolve("report.html")
                    + " and TREC runs in " + out);
        } else {
            MultiEvalReport multi = new MultiEvalReport(runLabel, overrides, k, reports);
            for (MultiEvalReport.Collection c : reports) {
                Path runs = Files.createDirectories(out.resolve(c.name()));
                c.report().writeRuns(runs);
            }
            multi.writeJson(out.resolve("results.json"));
            multi.writeHtml(out.resolve("report.html"));
            stdout.println(multi.table());
            stdout.print(multi.contextTables());
            stdout.print(multi.noResultsSummary());
            stdout.println("wrote " + out.resolve("results.json") + ", " + out.resolve("report.html")
                    + " and TREC runs in " + out + "/COLLECTION/");
        }
        stdout.flush();

        if (gate.isEmpty()) return 0;
        boolean failed = false;
        for (MultiEvalReport.Collection c : reports) {
            for (RelevanceGate.Verdict verdict :
                    gate.check(several ? c.name() : null, c.report().results())) {
                stdout.println(verdict);
                failed |= !verdict.passed();
            }
        }
        stdout.flush();
        return failed ? 1 : 0;
    }

    /**
     * Every judged query of one collection in every mode, over HTTP; with {@code --context-tokens}, each mode's
     * context recall of this collection is added to {@code contexts}.
     */
    private Map<EvalMode, ModeResults> measure(
            Prepared p,
            List<EvalMode> evalModes,
            RequestOverrides overrides,
            List<Integer> budgets,
            Map<EvalMode, ContextRecall> contexts)
            throws Exception {
        Map<EvalMode, ModeResults> results = new LinkedHashMap<>();
        for (EvalMode m : evalModes) results.put(m, new ModeResults(m));
        if (!budgets.isEmpty()) for (EvalMode m : evalModes) contexts.put(m, new ContextRecall(budgets));
        Map<String, String> texts = p.judged().texts();
        Map<String, Map<String, Integer>> qrels = p.judged().qrels();
        SolrTarget target = target(p.entry());
        try (SolrClient solr = client(p.entry());
                ProgressBar bar = new ProgressBarBuilder()
                        .setTaskName("eval " + p.entry().name())
                        .setInitialMax((long) p.ids().size() * evalModes.size())
                        .setStyle(ProgressBarStyle.ASCII)
                        .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err))
                        .showSpeed()
                        .build()) {
            for (String qid : p.ids()) {
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
                    Object trusted = rsp.getHeader().get("rerank.modelTrusted");
                    Object coverage = rsp.getHeader().get("rerank.coverage");
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
                                    new ModeResults.RerankHeader(
                                            status == null ? null : status.toString(),
                                            trusted == null ? null : Boolean.valueOf(trusted.toString()),
                                            coverage == null ? null : coverage.toString()));
                    bar.step();
                }
            }
        } catch (SolrServerException | IOException | SolrException e) {
            throw target.explain(e);
        }
        return results;
    }

    private SolrTarget target(EvalSuite.Entry entry) {
        return new SolrTarget(entry.solr(), entry.name(), solrOptions.handler);
    }

    private static SolrClient client(EvalSuite.Entry entry) {
        return new Http2SolrClient.Builder(entry.solr())
                .withDefaultCollection(entry.name())
                .build();
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
        if (!datasets.isEmpty()
                || suite != null
                || !settings.isEmpty()
                || !floors.isEmpty()
                || !expectations.isEmpty()
                || !expectedGains.isEmpty()) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--compare reads finished runs; --dataset, --suite, --set, --fail-below, --expect and "
                            + "--expect-gain belong to a new run");
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
