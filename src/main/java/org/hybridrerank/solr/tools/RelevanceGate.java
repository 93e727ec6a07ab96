package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.Collection;
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
 * suspicious as a drop (a changed dataset, a leak of judgments, a mode silently measuring something else). A gain
 * gate bounds one mode's metric minus another's from below ({@code rrf+ce} over {@code rrf}: what the rerank adds).
 * In a run over several collections a gate names its collection ({@code cisi/rrf+ce:…}) or, without a name, holds
 * on every collection; each collection some gate applies to gets its own rerank checks.
 */
final class RelevanceGate {
    /** Share of queries above which an unchanged top 10 means the second stage did not rank. */
    static final double MAX_UNCHANGED_SHARE = 0.5;

    static final int COMPARED_DEPTH = 10;

    /**
     * A metric of a mode must lie in [low, high], on the named collection or, when {@code collection} is null, on
     * every collection of the run.
     */
    record Band(String collection, EvalMode mode, String metric, double low, double high) {
        /** {@code [COLLECTION/]MODE:METRIC:VALUE}, a floor (the older {@code --fail-below} form). */
        static Band floor(String raw) {
            Named named = Named.of(raw, "--fail-below");
            String[] parts = split(named.rest(), raw, 3, "--fail-below must be [COLLECTION/]MODE:METRIC:VALUE");
            return new Band(
                    named.collection(),
                    EvalMode.parse(parts[0]),
                    metricName(parts[1]),
                    number(parts[2], raw),
                    Double.POSITIVE_INFINITY);
        }

        /** {@code [COLLECTION/]MODE:METRIC:VALUE:TOLERANCE}, the band VALUE ± TOLERANCE. */
        static Band around(String raw) {
            Named named = Named.of(raw, "--expect");
            String[] parts = split(named.rest(), raw, 4, "--expect must be [COLLECTION/]MODE:METRIC:VALUE:TOLERANCE");
            double value = number(parts[2], raw);
            double tolerance = number(parts[3], raw);
            if (tolerance < 0) throw new IllegalArgumentException("--expect tolerance must be >= 0, got " + raw);
            return new Band(
                    named.collection(),
                    EvalMode.parse(parts[0]),
                    metricName(parts[1]),
                    value - tolerance,
                    value + tolerance);
        }
    }

    /**
     * A mode's metric minus another mode's, on the same queries of the named collection (every collection when
     * {@code collection} is null), must be at least {@code min}: {@code --expect-gain cisi/rrf+ce:rrf:-0.005} asks
     * that the rerank cost at most 0.005 nDCG@10 on cisi.
     */
    record Gain(String collection, EvalMode mode, EvalMode base, String metric, double min) {
        static final String USAGE = "--expect-gain must be [COLLECTION/]MODE:BASE[:METRIC]:MIN_GAIN "
                + "(e.g. rrf+ce:rrf:-0.005 or cisi/rrf+ce:rrf:mrr@10:0)";

        /** {@code [COLLECTION/]MODE:BASE[:METRIC]:MIN_GAIN}; the metric defaults to nDCG@10. */
        static Gain of(String raw) {
            Named named = Named.of(raw, "--expect-gain");
            String[] parts = named.rest().split(":", -1);
            if (parts.length != 3 && parts.length != 4) throw new IllegalArgumentException(USAGE + ", got " + raw);
            EvalMode mode = EvalMode.parse(parts[0]);
            EvalMode base = EvalMode.parse(parts[1]);
            if (mode == base)
                throw new IllegalArgumentException(
                        "--expect-gain compares two modes, got " + mode.label() + " twice in " + raw);
            String metric = parts.length == 4 ? metricName(parts[2]) : "ndcg@10";
            return new Gain(named.collection(), mode, base, metric, number(parts[parts.length - 1], raw));
        }

        String label() {
            return mode.label() + "-" + base.label();
        }
    }

    /** A gate's text split at its optional {@code COLLECTION/} prefix (mode labels and metrics have no '/'). */
    private record Named(String collection, String rest) {
        static Named of(String raw, String option) {
            int slash = raw.indexOf('/');
            int colon = raw.indexOf(':');
            if (slash < 0 || (colon >= 0 && colon < slash)) return new Named(null, raw);
            String collection = raw.substring(0, slash).strip();
            if (collection.isEmpty())
                throw new IllegalArgumentException(option + ": nothing names the collection before '/' in " + raw);
            return new Named(collection, raw.substring(slash + 1));
        }
    }

    /** Mode labels contain no ':', metric names neither, so a plain split is unambiguous. */
    private static String[] split(String rest, String raw, int parts, String usage) {
        String[] split = rest.split(":", -1);
        if (split.length != parts) throw new IllegalArgumentException(usage + ", got " + raw);
        return split;
    }

    private static String metricName(String raw) {
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

    /** One line of the gate's report. */
    record Verdict(String check, boolean passed) {
        @Override
        public String toString() {
            return "gate " + check + " " + (passed ? "PASS" : "FAIL");
        }
    }

    private final List<Band> bands;
    private final List<Gain> gains;

    RelevanceGate(List<Band> bands) {
        this(bands, List.of());
    }

    RelevanceGate(List<Band> bands, List<Gain> gains) {
        this.bands = List.copyOf(bands);
        this.gains = List.copyOf(gains);
    }

    boolean isEmpty() {
        return bands.isEmpty() && gains.isEmpty();
    }

    /** Fails before any query is sent when a gate names a mode that will not be measured. */
    void requireMeasured(List<EvalMode> modes) {
        List<EvalMode> named = new ArrayList<>();
        bands.forEach(b -> named.add(b.mode()));
        gains.forEach(g -> {
            named.add(g.mode());
            named.add(g.base());
        });
        for (EvalMode mode : named) {
            if (!modes.contains(mode)) {
                throw new IllegalArgumentException("a gate names mode " + mode.label() + ", which is not in --modes");
            }
        }
    }

    /** Fails before any query is sent when a gate names a collection the run does not measure. */
    void requireCollections(Collection<String> collections) {
        List<String> named = new ArrayList<>();
        bands.forEach(b -> named.add(b.collection()));
        gains.forEach(g -> named.add(g.collection()));
        for (String c : named) {
            if (c != null && !collections.contains(c)) {
                throw new IllegalArgumentException("a gate names collection " + c + ", which is not evaluated (the run"
                        + " evaluates " + String.join(", ", collections) + ")");
            }
        }
    }

    /** Every check, passed or not, of a single-collection run. */
    List<Verdict> check(Map<EvalMode, ModeResults> results) {
        return check(null, results);
    }

    /**
     * Every check of one collection, passed or not: the bands and gains naming it or no collection, and, when any
     * of them applies to it, the rerank checks for each reranked mode measured. {@code collection} (null in a
     * single-collection run, where every gate applies) leads each check's text.
     */
    List<Verdict> check(String collection, Map<EvalMode, ModeResults> results) {
        String prefix = collection == null ? "" : collection + "/";
        List<Verdict> verdicts = new ArrayList<>();
        for (Band band : bands) {
            if (!applies(band.collection(), collection)) continue;
            double value = measured(results, band.mode()).metric(band.metric());
            String range = Double.isInfinite(band.high())
                    ? String.format(Locale.ROOT, ">= %.4f", band.low())
                    : String.format(Locale.ROOT, "in [%.4f, %.4f]", band.low(), band.high());
            verdicts.add(new Verdict(
                    String.format(
                            Locale.ROOT, "%s%s %s %s: %.4f", prefix, band.mode().label(), band.metric(), range, value),
                    value >= band.low() && value <= band.high()));
        }
        for (Gain gain : gains) {
            if (!applies(gain.collection(), collection)) continue;
            double value = measured(results, gain.mode()).metric(gain.metric())
                    - measured(results, gain.base()).metric(gain.metric());
            verdicts.add(new Verdict(
                    String.format(
                            Locale.ROOT,
                            "%sgain %s %s >= %+.4f: %+.4f",
                            prefix,
                            gain.label(),
                            gain.metric(),
                            gain.min(),
                            value),
                    value >= gain.min()));
        }
        // the rerank checks guard the numbers gated: a collection no gate applies to is not checked
        boolean gated = collection == null
                || bands.stream().anyMatch(b -> applies(b.collection(), collection))
                || gains.stream().anyMatch(g -> applies(g.collection(), collection));
        for (ModeResults r : results.values()) {
            if (!gated || !r.mode().reranks()) continue;
            verdicts.add(statusesOk(prefix, r));
            verdicts.add(rankingChanged(prefix, r, results.get(r.mode().firstStage())));
        }
        return verdicts;
    }

    private static boolean applies(String gateCollection, String collection) {
        return gateCollection == null || collection == null || gateCollection.equals(collection);
    }

    private static ModeResults measured(Map<EvalMode, ModeResults> results, EvalMode mode) {
        ModeResults r = results.get(mode);
        if (r == null) throw new IllegalArgumentException("a gate names mode " + mode.label() + ", which was not run");
        return r;
    }

    private static Verdict statusesOk(String prefix, ModeResults r) {
        List<String> notOk = new ArrayList<>();
        for (ModeResults.QueryResult q : r.queries()) {
            if (!"ok".equals(q.status())) notOk.add(q.id() + "=" + q.status());
        }
        String examples =
                notOk.isEmpty() ? "" : " (" + String.join(", ", notOk.subList(0, Math.min(5, notOk.size()))) + ")";
        return new Verdict(
                String.format(
                        Locale.ROOT,
                        "%s%s rerank.status=ok on every query: %d of %d not ok%s",
                        prefix,
                        r.mode().label(),
                        notOk.size(),
                        r.queries().size(),
                        examples),
                notOk.isEmpty() && !r.queries().isEmpty());
    }

    private static Verdict rankingChanged(String prefix, ModeResults reranked, ModeResults firstStage) {
        String label = prefix + reranked.mode().label() + " top " + COMPARED_DEPTH + " differs from "
                + reranked.mode().firstStage().label();
        if (firstStage == null) {
            return new Verdict(
                    label + ": " + reranked.mode().firstStage().label() + " was not run, so it cannot be compared",
                    false);
        }
        Map<String, List<String>> before = new HashMap<>();
        for (ModeResults.QueryResult q : firstStage.queries()) before.put(q.id(), top(q.ranking()));
        // a query whose model ranking the trust rule left out (rerank.modelTrusted=false) is not counted: its order
        // is its own first stage's, which need not be the compared mode's (bin/eval reads first-stage modes 500
        // deep, the reranked mode's lists are the handler's depth); the others must mostly change the top 10
        int unchanged = 0;
        int total = 0;
        int untrusted = 0;
        for (ModeResults.QueryResult q : reranked.queries()) {
            if (Boolean.FALSE.equals(q.modelTrusted())) {
                untrusted++;
                continue;
            }
            total++;
            if (Objects.equals(before.get(q.id()), top(q.ranking()))) unchanged++;
        }
        String untrustedNote = untrusted == 0
                ? ""
                : String.format(
                        Locale.ROOT,
                        "; %d queries left the model out (rerank.modelTrusted=false), not counted",
                        untrusted);
        return new Verdict(
                String.format(
                        Locale.ROOT,
                        "%s on most queries that trusted the model: unchanged on %d of %d (at most %.0f%% allowed)%s",
                        label,
                        unchanged,
                        total,
                        MAX_UNCHANGED_SHARE * 100,
                        untrustedNote),
                total > 0 && unchanged <= MAX_UNCHANGED_SHARE * total);
    }

    private static List<String> top(List<String> ranking) {
        return ranking.subList(0, Math.min(COMPARED_DEPTH, ranking.size()));
    }
}
