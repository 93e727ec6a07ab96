package org.hybridrerank.solr.tools;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SyntaxError;
import org.hybridrerank.solr.config.ParamReader;
import org.hybridrerank.solr.fusion.Normalization;
import org.hybridrerank.solr.hybrid.HybridParams;
import org.hybridrerank.solr.rerank.RerankParams;
import org.hybridrerank.solr.rerank.RerankParams.FusionMethod;

/**
 * One point of bin/tune's grid: the first stage (RRF of the lexical and vector lists with their weights and k)
 * and the rerank window (K docs, fused with the model by replace, rrf or linear). It is written as the
 * request parameters a user would send, and resolved through the plugin's own parameter parsing, so the
 * printed configuration is exactly the one that was scored.
 */
public record TuneConfig(
        double lexicalWeight,
        double vectorWeight,
        int firstStageRrfK,
        int reRankDocs,
        FusionMethod fusion,
        int rrfK,
        Normalization normalization,
        double modelWeight,
        double trustGap) {

    /** A configuration that always trusts the model ({@code trustGap=0}). */
    public TuneConfig(
            double lexicalWeight,
            double vectorWeight,
            int firstStageRrfK,
            int reRankDocs,
            FusionMethod fusion,
            int rrfK,
            Normalization normalization,
            double modelWeight) {
        this(lexicalWeight, vectorWeight, firstStageRrfK, reRankDocs, fusion, rrfK, normalization, modelWeight, 0);
    }

    /** The name the window's model goes by offline; the printed rq leaves the model to the handler's default. */
    private static final String MODEL = "tuned";

    public String weights() {
        return "lexical:" + number(lexicalWeight) + ",vector:" + number(vectorWeight);
    }

    /** The rq parameter, naming only what the fusion method reads. */
    public String rq() {
        StringBuilder rq = new StringBuilder("{!crossencoder reRankDocs=")
                .append(reRankDocs)
                .append(" fusion=")
                .append(label(fusion));
        if (fusion == FusionMethod.RRF) rq.append(" rrfK=").append(rrfK);
        if (fusion == FusionMethod.LINEAR) rq.append(" normalization=").append(normalization.label());
        if (fusion != FusionMethod.REPLACE) rq.append(" modelWeight=").append(number(modelWeight));
        if (trustGap > 0) rq.append(" trustGap=").append(number(trustGap));
        return rq.append('}').toString();
    }

    /** The first stage as the plugin resolves it, with both lists {@code topN} deep. */
    public HybridParams hybrid(int topN) {
        return new HybridParams(
                HybridParams.Mode.RRF,
                "offline",
                org.hybridrerank.solr.hybrid.LexicalSyntax.TEXT,
                topN,
                "offline",
                topN,
                0,
                firstStageRrfK,
                Normalization.MINMAX,
                lexicalWeight,
                vectorWeight,
                null);
    }

    /** {@link #rq()} parsed as Solr parses local params and resolved by the plugin's own rules. */
    public RerankParams rerank() {
        SolrParams local;
        try {
            local = QueryParsing.getLocalParams(rq(), new ModifiableSolrParams());
        } catch (SyntaxError e) {
            throw new IllegalStateException("bin/tune wrote an unparsable rq: " + rq(), e);
        }
        return RerankParams.resolve(
                ParamReader.forRequest(local, "bin/tune"), Map.of(MODEL, ""), MODEL, Integer.MAX_VALUE, null, null);
    }

    /** The /hybrid handler's defaults that reproduce this configuration. */
    public String solrconfig(int topN) {
        return String.join(
                "\n",
                "<requestHandler name=\"/hybrid\" class=\"solr.SearchHandler\">",
                "  <lst name=\"defaults\">",
                "    <str name=\"hybrid\">true</str>",
                "    <str name=\"hybrid.mode\">rrf</str>",
                "    <str name=\"hybrid.weights\">" + weights() + "</str>",
                "    <int name=\"hybrid.rrf.k\">" + firstStageRrfK + "</int>",
                "    <int name=\"hybrid.lexical.topN\">" + topN + "</int>",
                "    <int name=\"hybrid.vector.topN\">" + topN + "</int>",
                "    <str name=\"rq\">" + rq() + "</str>",
                "    <!-- the handler's other defaults (defType, qf, fl, rows) as before -->",
                "  </lst>",
                "</requestHandler>");
    }

    /** The request parameters, for JSON output. */
    public Map<String, Object> params(int topN) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hybrid.mode", "rrf");
        out.put("hybrid.weights", weights());
        out.put("hybrid.rrf.k", firstStageRrfK);
        out.put("hybrid.lexical.topN", topN);
        out.put("hybrid.vector.topN", topN);
        out.put("rq", rq());
        return out;
    }

    @Override
    public String toString() {
        return "hybrid.weights=" + weights() + " hybrid.rrf.k=" + firstStageRrfK + " rq=" + rq();
    }

    static String label(FusionMethod method) {
        return method.name().toLowerCase(Locale.ROOT);
    }

    /** 1 rather than 1.0, 0.25 as is. */
    static String number(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}
