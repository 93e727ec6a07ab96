package org.hybridrerank.solr.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrException;
import org.hybridrerank.solr.model.Calibration;
import org.hybridrerank.solr.model.ModelDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code bin/calibrate}: learns how the configured cross-encoder's score maps to the probability that a doc is
 * relevant (Platt scaling, {@link PlattFit}) from a split's judgments: every first-stage candidate of every
 * judged query with its model score (bin/tune's candidate fetch and cache), relevant when judged above 0, not
 * relevant otherwise (unjudged included). It prints reliability tables and the expected calibration error before
 * (the sigmoid of the raw logit) and after, cross-validated on the split and on a held-out split, and writes the
 * calibration where the plugin reads it: {@code "calibration"} in the model folder's config.json.
 */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        description = "Fit a calibration of the cross-encoder's scores (Platt scaling) from judgments.")
public final class Calibrate implements Callable<Integer> {
    @Mixin
    SolrOptions solrOptions = new SolrOptions();

    @Option(names = "--dataset", required = true, description = "BEIR folder or TREC files, as for bin/eval")
    Path dataset;

    @Option(
            names = "--split",
            defaultValue = "train",
            description = "qrels split the calibration is fitted on (default ${DEFAULT-VALUE})")
    String split;

    @Option(
            names = "--holdout-split",
            description = "qrels split the calibration is measured on once, never fitted on (e.g. test)")
    String holdoutSplit;

    @Option(
            names = "--folds",
            defaultValue = "5",
            description = "k-fold cross-validation on --split by query: each fold's confidences come from a fit on"
                    + " the other folds (default ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--queries", description = "use only the first N judged queries of each split")
    Integer queries;

    @Option(
            names = "--k-max",
            defaultValue = "100",
            description =
                    "depth of both first-stage lists whose union is scored, as bin/tune (default ${DEFAULT-VALUE})")
    int kMax;

    @Option(
            names = "--out",
            defaultValue = "tune-out",
            description = "folder for calibration.json, calibrate.json and the candidate cache, which bin/tune shares"
                    + " (default ${DEFAULT-VALUE})")
    Path out;

    @Option(
            names = "--write-model",
            paramLabel = "DIR",
            description = "also write the calibration into DIR/config.json (the cross-encoder's model folder, a copy"
                    + " you may change); the plugin reads it at the next core load")
    Path writeModel;

    @Spec
    CommandSpec spec;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static void main(String[] args) {
        System.exit(Cli.execute(new Calibrate(), args));
    }

    /** Scores and labels of every candidate of a set of queries, in query order. */
    record Pairs(List<String> qids, double[] scores, boolean[] relevant, int[] query) {
        int positives() {
            int p = 0;
            for (boolean r : relevant) if (r) p++;
            return p;
        }

        static Pairs of(Tune.Judged judged) {
            List<String> qids = new ArrayList<>();
            List<Double> scores = new ArrayList<>();
            List<Boolean> labels = new ArrayList<>();
            List<Integer> query = new ArrayList<>();
            for (QueryCandidates q : judged.candidates()) {
                Map<String, Integer> grades = judged.qrels().getOrDefault(q.qid(), Map.of());
                for (QueryCandidates.Row row : q.rows()) {
                    scores.add((double) row.ceScore());
                    labels.add(grades.getOrDefault(row.id(), 0) > 0);
                    query.add(qids.size());
                }
                qids.add(q.qid());
            }
            double[] s = new double[scores.size()];
            boolean[] r = new boolean[scores.size()];
            int[] qi = new int[scores.size()];
            for (int i = 0; i < s.length; i++) {
                s[i] = scores.get(i);
                r[i] = labels.get(i);
                qi[i] = query.get(i);
            }
            return new Pairs(qids, s, r, qi);
        }

        Pairs subset(Set<String> keep) {
            int n = 0;
            for (int i = 0; i < scores.length; i++) if (keep.contains(qids.get(query[i]))) n++;
            double[] s = new double[n];
            boolean[] r = new boolean[n];
            int[] qi = new int[n];
            int j = 0;
            for (int i = 0; i < scores.length; i++) {
                if (!keep.contains(qids.get(query[i]))) continue;
                s[j] = scores[i];
                r[j] = relevant[i];
                qi[j++] = query[i];
            }
            return new Pairs(qids, s, r, qi);
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        if (kMax < 1) throw new CommandLine.ParameterException(spec.commandLine(), "--k-max must be at least 1");
        if (writeModel != null && !Files.isRegularFile(writeModel.resolve(ModelDirectory.MODEL_FILE))) {
            throw new CommandLine.ParameterException(
                    spec.commandLine(),
                    "--write-model " + writeModel + " is not a model folder (no " + ModelDirectory.MODEL_FILE + ")");
        }
        Dataset data;
        try {
            data = Dataset.open(dataset);
        } catch (DatasetProblem e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        }
        String core = solrOptions.core(data);
        Tune.Judged fitOn;
        Tune.Judged heldOut = null;
        SolrTarget target = solrOptions.target(core);
        try (SolrClient solr = solrOptions.client(core)) {
            fitOn = JudgedCandidates.load(solr, solrOptions, core, data, split, queries, out, kMax, err);
            if (holdoutSplit != null)
                heldOut = JudgedCandidates.load(solr, solrOptions, core, data, holdoutSplit, queries, out, kMax, err);
        } catch (DatasetProblem e) {
            err.println(e.getMessage());
            err.flush();
            return 2;
        } catch (SolrServerException | SolrException e) {
            throw target.explain(e);
        }
        try {
            Folds.split(fitOn.ids(), folds);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }

        Map<String, Object> report = new LinkedHashMap<>();
        Calibration calibration = run(fitOn, heldOut, data.name(), core, stdout, report);
        Files.createDirectories(out);
        Path calibrationFile = out.resolve("calibration.json");
        JSON.writeValue(calibrationFile.toFile(), calibration.toConfig());
        JSON.writeValue(out.resolve("calibrate.json").toFile(), report);
        stdout.println("wrote " + calibrationFile + " and " + out.resolve("calibrate.json"));
        if (writeModel != null) {
            writeInto(writeModel, calibration);
            stdout.println(
                    "wrote \"" + Calibration.CONFIG_KEY + "\" into " + writeModel.resolve(ModelDirectory.CONFIG_FILE)
                            + "; reload the core (or restart Solr) to read it");
        } else {
            stdout.println("to use it, put that object under \"" + Calibration.CONFIG_KEY + "\" in the model folder's "
                    + ModelDirectory.CONFIG_FILE + " (or run again with --write-model DIR) and reload the core");
        }
        stdout.flush();
        return 0;
    }

    /** Fits, measures and prints; fills {@code report}; returns the calibration fitted on the whole split. */
    Calibration run(
            Tune.Judged fitOn,
            Tune.Judged heldOut,
            String datasetName,
            String core,
            PrintWriter stdout,
            Map<String, Object> report) {
        Pairs train = Pairs.of(fitOn);
        if (train.positives() == 0) {
            throw new UserError("no candidate of the " + train.qids().size() + " '" + split + "' queries is judged "
                    + "relevant: nothing to calibrate on (are the candidates from this dataset's collection?)");
        }
        PlattFit fit = PlattFit.fit(train.scores(), train.relevant());
        Map<String, Object> fittedOn = new LinkedHashMap<>();
        fittedOn.put("dataset", datasetName);
        fittedOn.put("collection", core);
        fittedOn.put("split", split);
        fittedOn.put("queries", train.qids().size());
        fittedOn.put("candidates", train.scores().length);
        fittedOn.put("relevant", train.positives());
        fittedOn.put("kMax", kMax);
        fittedOn.put("date", LocalDate.now(ZoneOffset.UTC).toString());
        JsonNode fittedOnNode = JSON.valueToTree(fittedOn);
        Calibration calibration = new Calibration(fit.a(), fit.b(), fittedOnNode);
        stdout.printf(
                Locale.ROOT,
                "fitted on %d '%s' queries, %d candidates (%d relevant): confidence = 1 / (1 + exp(-(a*score + b))),"
                        + " a=%.6f (±%.4f), b=%.6f (±%.4f)%n",
                train.qids().size(),
                split,
                train.scores().length,
                train.positives(),
                fit.a(),
                fit.seA(),
                fit.b(),
                fit.seB());
        report.put("calibration", calibration.toConfig());
        report.put("standardErrors", Map.of("a", fit.seA(), "b", fit.seB()));

        // cross-validation: each query's candidates get confidences from a fit on the other folds
        double[] plattOof = new double[train.scores().length];
        double[] isotonicOof = new double[train.scores().length];
        List<List<String>> foldIds = Folds.split(train.qids(), folds);
        for (List<String> fold : foldIds) {
            Set<String> heldBack = new HashSet<>(fold);
            Set<String> rest = new HashSet<>(train.qids());
            rest.removeAll(heldBack);
            Pairs fitPairs = train.subset(rest);
            PlattFit foldFit = PlattFit.fit(fitPairs.scores(), fitPairs.relevant());
            Isotonic foldIsotonic = Isotonic.fit(fitPairs.scores(), fitPairs.relevant());
            for (int i = 0; i < train.scores().length; i++) {
                if (!heldBack.contains(train.qids().get(train.query()[i]))) continue;
                plattOof[i] = foldFit.confidence(train.scores()[i]);
                isotonicOof[i] = foldIsotonic.confidence(train.scores()[i]);
            }
        }
        stdout.printf(
                Locale.ROOT,
                "%n'%s', %d-fold cross-validated by query (a candidate's confidence from a fit without its query):%n",
                split,
                folds);
        report.put(split + ".crossValidated", measure(train, plattOof, isotonicOof, stdout));

        if (heldOut != null) {
            Pairs test = Pairs.of(heldOut);
            Isotonic isotonic = Isotonic.fit(train.scores(), train.relevant());
            double[] platt = new double[test.scores().length];
            double[] iso = new double[test.scores().length];
            for (int i = 0; i < platt.length; i++) {
                platt[i] = fit.confidence(test.scores()[i]);
                iso[i] = isotonic.confidence(test.scores()[i]);
            }
            stdout.printf(
                    Locale.ROOT,
                    "%nheld-out split '%s' (%d queries, %d candidates, %d relevant; fitted on all of '%s'):%n",
                    holdoutSplit,
                    test.qids().size(),
                    test.scores().length,
                    test.positives(),
                    split);
            report.put(holdoutSplit + ".heldOut", measure(test, platt, iso, stdout));
        }
        stdout.println();
        return calibration;
    }

    /** Prints the reliability tables before (sigmoid of the score) and after; returns them for the report. */
    private static Map<String, Object> measure(Pairs pairs, double[] platt, double[] isotonic, PrintWriter stdout) {
        double[] naive = new double[pairs.scores().length];
        for (int i = 0; i < naive.length; i++) naive[i] = PlattFit.sigmoid(pairs.scores()[i]);
        Reliability before = Reliability.of(naive, pairs.relevant());
        Reliability after = Reliability.of(platt, pairs.relevant());
        Reliability iso = Reliability.of(isotonic, pairs.relevant());
        stdout.printf(Locale.ROOT, "  %-11s | %-33s | %-33s%n", "confidence", "before: sigmoid(score)", "after: platt");
        stdout.printf(
                Locale.ROOT,
                "  %-11s | %9s %11s %11s | %9s %11s %11s%n",
                "bin",
                "count",
                "mean",
                "observed",
                "count",
                "mean",
                "observed");
        for (int b = 0; b < Reliability.BINS; b++) {
            Reliability.Bin x = before.bins().get(b);
            Reliability.Bin y = after.bins().get(b);
            stdout.printf(
                    Locale.ROOT,
                    "  [%.1f, %.1f%s | %9d %11s %11s | %9d %11s %11s%n",
                    x.low(),
                    x.high(),
                    b == Reliability.BINS - 1 ? "]" : ")",
                    x.count(),
                    rate(x.meanPredicted()),
                    rate(x.observed()),
                    y.count(),
                    rate(y.meanPredicted()),
                    rate(y.observed()));
        }
        stdout.printf(
                Locale.ROOT,
                "  ECE (10 bins): before %.4f, after %.4f (isotonic regression, for comparison, not written: %.4f)%n",
                before.ece(),
                after.ece(),
                iso.ece());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("queries", pairs.qids().size());
        out.put("candidates", pairs.scores().length);
        out.put("relevant", pairs.positives());
        out.put("before", before.toJson());
        out.put("after", after.toJson());
        out.put("isotonic", iso.toJson());
        return out;
    }

    private static String rate(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    /** Sets "calibration" in DIR/config.json, keeping every other key. */
    static void writeInto(Path modelDir, Calibration calibration) throws java.io.IOException {
        Path config = modelDir.resolve(ModelDirectory.CONFIG_FILE);
        ObjectNode root =
                Files.isRegularFile(config) ? (ObjectNode) JSON.readTree(config.toFile()) : JSON.createObjectNode();
        root.set(Calibration.CONFIG_KEY, JSON.valueToTree(calibration.toConfig()));
        JSON.writeValue(config.toFile(), root);
    }
}
