package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What bin/eval's exit code stands for. A mean nDCG above a floor alone passes when the rerank stage fails
 * open, is switched off or times out, since the fused order then comes back; so besides the metric bands the
 * gate requires every reranked query to report {@code rerank.status=ok} and the reranked top 10 to differ from
 * the same query's first-stage top 10 on most queries. A band is two-sided: a jump up nobody explains is as
 * suspicious as a drop (a changed dataset, a leak of judgments, a mode silently measuring something else).
 */
final class RelevanceGate {
    /** Share of queries above which an unchanged top 10 means the second stage did not rank. */
    static final double MAX_UNCHANGED_SHARE = 0.5;

    static final int COMPARED_DEPTH = 10;

    /** A metric of a mode must lie in [low, high]. */
    record Band(EvalMode mode, String metric, double low, double high) {
        /** {@code MODE:METRIC:VALUE}, a floor (the older {@code --fail-below} form). */
        static Band floor(String raw) {
            String[] parts = split(raw, 3, "--fail-below must be MODE:METRIC:VALUE");
            return new Band(
                    EvalMode.parse(parts[0]), metric(parts[1]), number(parts[2], raw), Double.POSITIVE_INFINITY);
        }

        /** {@code MODE:METRIC:VALUE:TOLERANCE}, the band VALUE ± TOLERANCE. */
        static Band around(String raw) {
            String[] parts = split(raw, 4, "--expect must be MODE:METRIC:VALUE:TOLERANCE");
            double value = number(parts[2], raw);
            double tolerance = number(parts[3], raw);
            if (tolerance < 0) throw new IllegalArgumentException("--expect tolerance must be >= 0, got " + raw);
            return new Band(EvalMode.parse(parts[0]), metric(parts[1]), value - tolerance, value + tolerance);
        }

        /** Mode labels contain no ':', metric names neither, so a plain split is unambiguous. */
        private static String[] split(String raw, int parts, String usage) {
            String[] split = raw.split(":", -1);
            if (split.length != parts) throw new IllegalArgumentException(usage + ", got " + raw);
            return split;
        }

        private static String metric(String raw) {
            String metric = raw.toLowerCase(Locale.ROOT);
            if (!ModeResults.METRICS.contains(metric)) {
                throw new IllegalArgumentException("metric must be one of " + ModeResults.METRICS + ", got " + raw);
            }
            return metric;
        }

        private static double number(String raw, String whole) {
            try {
                double v = Double.parseDouble(raw);
                if (Double.isFinite(v)) return v;
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("not a finite number: '" + raw + "' in " + whole);
        }
    }

    /** One line of the gate's report. */
    record Verdict(String check, boolean passed) {
        @Override
        public String toString() {
            return "gate " + check + " " + (passed ? "PASS" : "FAIL");
        }
    }

    private final List<Band> bands;

    RelevanceGate(List<Band> bands) {
        this.bands = List.copyOf(bands);
    }

    boolean isEmpty() {
        return bands.isEmpty();
    }

    /** Fails before any query is sent when a band names a mode that will not be measured. */
    void requireMeasured(List<EvalMode> modes) {
        for (Band band : bands) {
            if (!modes.contains(band.mode())) {
                throw new IllegalArgumentException(
                        "a gate names mode " + band.mode().label() + ", which is not in --modes");
            }
        }
    }

    /** Every check, passed or not; the rerank checks run for each reranked mode measured. */
    List<Verdict> check(Map<EvalMode, ModeResults> results) {
        List<Verdict> verdicts = new ArrayList<>();
        for (Band band : bands) {
            ModeResults r = results.get(band.mode());
            if (r == null)
                throw new IllegalArgumentException(
                        "a gate names mode " + band.mode().label() + ", which was not run");
            double value = r.metric(band.metric());
            String range = Double.isInfinite(band.high())
                    ? String.format(Locale.ROOT, ">= %.4f", band.low())
                    : String.format(Locale.ROOT, "in [%.4f, %.4f]", band.low(), band.high());
            verdicts.add(new Verdict(
                    String.format(Locale.ROOT, "%s %s %s: %.4f", band.mode().label(), band.metric(), range, value),
                    value >= band.low() && value <= band.high()));
        }
        for (ModeResults r : results.values()) {
            if (!r.mode().reranks()) continue;
            verdicts.add(statusesOk(r));
            verdicts.add(rankingChanged(r, results.get(r.mode().firstStage())));
        }
        return verdicts;
    }

    private static Verdict statusesOk(ModeResults r) {
        List<String> notOk = new ArrayList<>();
        for (ModeResults.QueryResult q : r.queries()) {
            if (!"ok".equals(q.status())) notOk.add(q.id() + "=" + q.status());
        }
        String examples =
                notOk.isEmpty() ? "" : " (" + String.join(", ", notOk.subList(0, Math.min(5, notOk.size()))) + ")";
        return new Verdict(
                String.format(
                        Locale.ROOT,
                        "%s rerank.status=ok on every query: %d of %d not ok%s",
                        r.mode().label(),
                        notOk.size(),
                        r.queries().size(),
                        examples),
                notOk.isEmpty() && !r.queries().isEmpty());
    }

    private static Verdict rankingChanged(ModeResults reranked, ModeResults firstStage) {
        String label = reranked.mode().label() + " top " + COMPARED_DEPTH + " differs from "
                + reranked.mode().firstStage().label();
        if (firstStage == null) {
            return new Verdict(
                    label + ": " + reranked.mode().firstStage().label() + " was not run, so it cannot be compared",
                    false);
        }
        Map<String, List<String>> before = new HashMap<>();
        for (ModeResults.QueryResult q : firstStage.queries()) before.put(q.id(), top(q.ranking()));
        int unchanged = 0;
        for (ModeResults.QueryResult q : reranked.queries()) {
            if (Objects.equals(before.get(q.id()), top(q.ranking()))) unchanged++;
        }
        int total = reranked.queries().size();
        return new Verdict(
                String.format(
                        Locale.ROOT,
                        "%s on most queries: unchanged on %d of %d (at most %.0f%% allowed)",
                        label,
                        unchanged,
                        total,
                        MAX_UNCHANGED_SHARE * 100),
                total > 0 && unchanged <= MAX_UNCHANGED_SHARE * total);
    }

    private static List<String> top(List<String> ranking) {
        return ranking.subList(0, Math.min(COMPARED_DEPTH, ranking.size()));
    }
}
