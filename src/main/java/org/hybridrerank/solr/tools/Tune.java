package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;
import org.hybridrerank.solr.fusion.Normalization;
import org.hybridrerank.solr.rerank.RerankParams.FusionMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/tune}: learns the first stage's weights and the rerank's window and fusion from judgments. Each
 * judged query goes to Solr once (every candidate with its list ranks and cross-encoder score); the grid is
 * then searched offline with the plugin's own ranking functions, nDCG@10 per configuration. The best is
 * printed as /hybrid handler defaults, with its score where it was chosen and, never used for choosing, its
 * score on held-back queries (a held-out split, or the held-back fold of a cross-validation). It also weighs the
 * best configuration that uses the cross-encoder against the best without it (the first stage alone, or
 * modelWeight=0) on the most honest scores at hand ({@link RerankAdvice}), and says to switch the rerank off when it
 * does not help by more than the noise.
 */
@Command(
        name = "tune",
        mixinStandardHelpOptions = true,
        description =
                "Learn hybrid weights, rerank window and fusion from judgments; say whether the cross-encoder helps.")
public final class Tune implements Callable<Integer> {
    @Mixin
    SolrOptions solrOptions = new SolrOptions();

    @Option(names = "--dataset", required = true, description = "BEIR folder or TREC files, as for bin/eval")
    Path dataset;

    @Option(
            names = "--split",
            defaultValue = "train",
            description = "qrels split the configuration is chosen on (default ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--holdout-split",
            description = "qrels split scored once with the chosen configuration, never used for choosing (e.g. test)")
    String holdoutSplit;

    @Option(
            names = "--folds",
            description =
                    "k-fold cross-validation on --split: choose on F-1 folds, score the held-back fold; reports the "
                            + "out-of-fold mean")
    Integer folds;

    @Option(names = "--queries", description = "use only the first N judged queries of each split")
    Integer queries;

    @Option(
            names = "--k-max",
            defaultValue = "100",
            description = "depth of both first-stage lists and largest window K (default ${DEFAULT-VALUE})")
    int kMax;

    @Option(
            names = "--grid",
            paramLabel = "NAME=V1,V2",
            description = "replace one dimension of the grid (repeatable): hybrid.weights=1:1,1:0.5 (lexical:vector), "
                    + "hybrid.rrf.k=60, reRankDocs=10,20,30,50,100, fusion=replace,rrf,linear, "
                    + "rrfK=10,30,60,100, normalization=minmax,l2,zscore, modelWeight=0,0.25,0.5,1,2 (the "
                    + "defaults shown, except hybrid.weights: 1:1,1:0.5,0.5:1,1:0.25,0.25:1)")
    List<String> grid = new ArrayList<>();

    @Option(
            names = "--out",
            defaultValue = "tune-out",
            description =
                    "folder for tune.json and the candidate cache; a re-run with the same Solr, collection and --k-max "
                            + "reads the cache instead of Solr (default ${DEFAULT-VALUE})")
    Path out;

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new Tune(), args));
    }

    /** A set of judged queries with their cached candidates. */
    record Judged(List<QueryCandidates> candidates, Map<String, Map<String, Integer>> qrels) {
        List<String> ids() {
            return candidates.stream().map(QueryCandidates::qid).toList();
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        TuneGrid tuneGrid = new TuneGrid();
        try {
            for (String g : grid) tuneGrid.set(g);
            if (kMax < 1) throw new IllegalArgumentException("--k-max must be at least 1, got " + kMax);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        List<TuneConfig> configs = tuneGrid.configs(kMax);
        if (configs.isEmpty())
            throw new CommandLine.ParameterException(
                    spec.commandLine(), "no reRankDocs value of the grid is <= --k-max " + kMax);
        Dataset data;
        try {
            data = Dataset.open(dataset);
        } catch (DatasetProblem e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        String core = solrOptions.core(data);
        Judged chosenOn;
        Judged heldOut = null;
        SolrTarget target = solrOptions.target(core);
        try (SolrClient solr = solrOptions.client(core)) {
            chosenOn = judged(solr, core, data, split, err);
            if (holdoutSplit != null) heldOut = judged(solr, core, data, holdoutSplit, err);
        } catch (DatasetProblem e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        } catch (SolrServerException | SolrException e) {
            throw target.explain(e); // not on IOException: that is also the candidate cache's
        }
        if (folds != null) {
            try {
                Folds.split(chosenOn.ids(), folds);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }

        Map<String, Object> report = search(configs, chosenOn, heldOut, stdout);
        Files.createDirectories(out);
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(out.resolve("tune.json").toFile(), report);
        stdout.println("wrote " + out.resolve("tune.json"));
        stdout.flush();
        return 0;
    }

    /** The grid search and its report: printed, and returned for tune.json. */
    Map<String, Object> search(List<TuneConfig> configs, Judged chosenOn, Judged heldOut, PrintWriter stdout) {
        List<String> ids = chosenOn.ids();
        GridSearch search = GridSearch.run(configs, kMax, chosenOn.candidates(), chosenOn.qrels());
        GridSearch.Choice best = search.best(GridSearch.all(ids.size()));
        TuneConfig reference = reference();
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("split", split);
        report.put("queries", ids.size());
        report.put("kMax", kMax);
        report.put("configurations", configs.size());
        report.put("best", best.config().params(kMax));
        report.put("ndcg@10." + split, best.ndcg());
        report.put("reference", reference.params(kMax));
        report.put("reference.ndcg@10." + split, meanNdcg(reference, chosenOn));

        stdout.printf(
                "searched %d configurations on %d queries of split '%s' (lists %d deep)%n",
                configs.size(), ids.size(), split, kMax);
        stdout.printf("best:      %s%n", best.config());
        stdout.printf("  nDCG@10 on the %d '%s' queries it was chosen on: %.4f%n", ids.size(), split, best.ndcg());
        stdout.printf("reference: %s%n", reference);
        stdout.printf("  nDCG@10 on the same queries: %.4f%n", meanNdcg(reference, chosenOn));

        List<Integer> all = GridSearch.all(ids.size());
        GridSearch.Pick with = search.bestWithModel(all);
        GridSearch.Pick without = search.bestWithoutModel(all);
        GridSearch.Pick off = search.bestRerankOff(all);
        // the estimates of the cross-encoder's worth, least honest first: the last one decides
        List<RerankAdvice.Estimate> estimates = new ArrayList<>();
        if (with != null) {
            estimates.add(RerankAdvice.estimate(
                    "ndcg@10." + split,
                    String.format(
                            "on the %d '%s' queries both were chosen on, optimistic; --folds or --holdout-split for an"
                                    + " unbiased verdict",
                            ids.size(), split),
                    search.perQuery(with.candidate(), all),
                    search.perQuery(without.candidate(), all)));
        }

        if (folds != null) {
            List<List<String>> foldIds = Folds.split(ids, folds);
            List<Map<String, Object>> perFold = new ArrayList<>();
            double outOfFoldSum = 0;
            double[] outOfFoldWith = new double[ids.size()];
            double[] outOfFoldWithout = new double[ids.size()];
            for (int f = 0; f < foldIds.size(); f++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int q = 0; q < ids.size(); q++) (foldIds.get(f).contains(ids.get(q)) ? test : train).add(q);
                GridSearch.Choice choice = search.best(train);
                double heldBack = search.mean(choice.config(), test);
                outOfFoldSum += heldBack * test.size();
                if (with != null) {
                    double[] w = search.perQuery(search.bestWithModel(train).candidate(), test);
                    double[] wo = search.perQuery(search.bestWithoutModel(train).candidate(), test);
                    for (int i = 0; i < test.size(); i++) {
                        outOfFoldWith[test.get(i)] = w[i];
                        outOfFoldWithout[test.get(i)] = wo[i];
                    }
                }
                Map<String, Object> fold = new LinkedHashMap<>();
                fold.put("fold", f + 1);
                fold.put("heldBackQueries", test.size());
                fold.put("chosen", choice.config().params(kMax));
                fold.put("ndcg@10.chosenOn", choice.ndcg());
                fold.put("ndcg@10.heldBack", heldBack);
                perFold.add(fold);
                stdout.printf(
                        "fold %d/%d: chosen on %d queries (%.4f): %s%n  held-back %d queries: %.4f%n",
                        f + 1, folds, train.size(), choice.ndcg(), choice.config(), test.size(), heldBack);
            }
            double outOfFold = outOfFoldSum / ids.size();
            report.put("folds", perFold);
            report.put("ndcg@10.outOfFold", outOfFold);
            stdout.printf(
                    "cross-validation (%d folds): out-of-fold nDCG@10 %.4f (each query scored by a configuration "
                            + "chosen without it)%n",
                    folds, outOfFold);
            if (with != null) {
                estimates.add(RerankAdvice.estimate(
                        "ndcg@10.outOfFold",
                        String.format("out-of-fold over %d '%s' queries", ids.size(), split),
                        outOfFoldWith,
                        outOfFoldWithout));
            }
        }
        if (heldOut != null) {
            double score = meanNdcg(best.config(), heldOut);
            double referenceScore = meanNdcg(reference, heldOut);
            report.put("ndcg@10." + holdoutSplit + ".heldOut", score);
            report.put("reference.ndcg@10." + holdoutSplit + ".heldOut", referenceScore);
            stdout.printf(
                    "held-out split '%s' (%d queries, never used for choosing): best %.4f, reference %.4f%n",
                    holdoutSplit, heldOut.ids().size(), score, referenceScore);
            if (with != null) {
                estimates.add(RerankAdvice.estimate(
                        "ndcg@10." + holdoutSplit + ".heldOut",
                        String.format(
                                "held-out split '%s', %d queries, both chosen on '%s'",
                                holdoutSplit, heldOut.ids().size(), split),
                        perQuery(with.candidate(), heldOut),
                        perQuery(without.candidate(), heldOut)));
            }
        }

        TuneConfig recommended = best.config();
        String recommendedXml = best.config().solrconfig(kMax);
        if (estimates.isEmpty()) {
            stdout.println("cross-encoder: no configuration of the grid uses the model's scores (modelWeight=0 "
                    + "throughout): its worth was not measured");
        } else {
            RerankAdvice.Estimate decisive = estimates.get(estimates.size() - 1);
            TuneConfig offSettings = off.candidate().firstStage();
            String offConfig = "hybrid.weights=" + offSettings.weights() + " hybrid.rrf.k="
                    + offSettings.firstStageRrfK() + String.format(" (%.4f alone on '%s')", off.ndcg(), split);
            boolean chosenIgnoresModel = !GridSearch.Candidate.of(best.config()).usesModel();
            String line =
                    RerankAdvice.recommendation(decisive, with.candidate().toString(), offConfig, chosenIgnoresModel);
            stdout.println(line);
            Map<String, Object> advice = new LinkedHashMap<>();
            advice.put("helps", decisive.helps());
            advice.put("recommendation", line);
            advice.put("basis", decisive.key());
            advice.put("with", with.candidate().params(kMax));
            advice.put("without", without.candidate().params(kMax));
            advice.put("rerankOff", off.candidate().params(kMax));
            advice.put(
                    "estimates",
                    estimates.stream().map(RerankAdvice.Estimate::json).toList());
            report.put("crossEncoder", advice);
            if (decisive.helps()) {
                if (chosenIgnoresModel) {
                    recommended = with.candidate().config();
                    recommendedXml = recommended.solrconfig(kMax);
                }
                report.put("recommended", recommended.params(kMax));
            } else {
                recommendedXml = off.candidate().solrconfig(kMax);
                report.put("recommended", off.candidate().params(kMax));
            }
        }
        stdout.println();
        stdout.println(recommendedXml);
        stdout.println();
        try {
            stdout.println(new ObjectMapper()
                    .enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(report));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        stdout.flush();
        return report;
    }

    /** nDCG@10 of {@code candidate} on each judged query, in order. */
    double[] perQuery(GridSearch.Candidate candidate, Judged judged) {
        double[] out = new double[judged.candidates().size()];
        for (int i = 0; i < out.length; i++) {
            QueryCandidates q = judged.candidates().get(i);
            out[i] = RelevanceMetrics.ndcg(
                    candidate.ranking(kMax, q), judged.qrels().get(q.qid()), GridSearch.DEPTH);
        }
        return out;
    }

    /** The shipped behaviour at this depth: RRF 1:1 k=60, the model replacing the first stage in the window. */
    TuneConfig reference() {
        return new TuneConfig(1, 1, 60, Math.min(100, kMax), FusionMethod.REPLACE, 60, Normalization.MINMAX, 1);
    }

    double meanNdcg(TuneConfig config, Judged judged) {
        double sum = 0;
        for (QueryCandidates q : judged.candidates()) {
            sum += RelevanceMetrics.ndcg(
                    OfflineRanking.ranking(config, kMax, q), judged.qrels().get(q.qid()), GridSearch.DEPTH);
        }
        return judged.candidates().isEmpty() ? 0 : sum / judged.candidates().size();
    }

    /** The split's judged queries with their candidates: from the cache file when it matches, else from Solr. */
    private Judged judged(SolrClient solr, String core, Dataset data, String qrelsSplit, PrintWriter err)
            throws Exception {
        return JudgedCandidates.load(solr, solrOptions, core, data, qrelsSplit, queries, out, kMax, err);
    }
}
