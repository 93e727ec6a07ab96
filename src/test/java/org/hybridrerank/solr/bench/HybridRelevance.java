package org.hybridrerank.solr.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.util.TestHarness;
import org.hybridrerank.solr.testutil.Beir;
import org.hybridrerank.solr.testutil.ExampleSolr;
import org.hybridrerank.solr.testutil.SharedData;
import org.hybridrerank.solr.tools.Cli;
import org.hybridrerank.solr.tools.PositionalArgs;
import org.hybridrerank.solr.tools.RelevanceMetrics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * SciFact test relevance through Solr with the example configset: Recall@100 of the lexical, vector and
 * fused lists, and nDCG@10 / MRR@10 of lexical, vector, rrf and rrf+ce (the /hybrid handler, K=100).
 * Args: [queries=all] [k=100] [extra crossencoder local params]. Until bin/eval exists (demo issue) this is how the
 * figures are made.
 */
@Command(
        name = "relevance",
        description = "SciFact test relevance through an embedded Solr with the example configset.")
public final class HybridRelevance implements Callable<Integer> {
    @Parameters(
            arity = "0..3",
            paramLabel = "ARG",
            description =
                    "[queries=all] [k=100] [extra {!crossencoder} local params of the rrf+ce mode, in one argument]")
    List<String> args = new ArrayList<>();

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(Cli.execute(new HybridRelevance(), args));
    }

    @Override
    public Integer call() throws Exception {
        PositionalArgs positional = new PositionalArgs(spec, args);
        // the arguments are checked before the data is read: a typo is a usage error wherever the data is
        int queryLimit = positional.intAt(0, "queries", -1);
        int k = positional.intAt(1, "k", 100);
        Path scifact = SharedData.scifact();
        Map<String, String> queries = Beir.queries(scifact);
        Map<String, List<String>> qrels = Beir.qrels(scifact, "test");
        int limit = queryLimit < 0 ? qrels.size() : queryLimit;
        // extra {!crossencoder} local params for the rrf+ce mode, e.g. "reRankOperator=add reRankScale=0-1
        // reRankMainScale=0-1"
        String blend = args.size() > 2 ? " " + args.get(2) : "";

        Path home = Files.createTempDirectory("relevance-home");
        ExampleSolr.prepareHome(home, null, SharedData.model(SharedData.CROSS_ENCODER));
        TestHarness harness = new TestHarness(
                ExampleSolr.nodeConfig(home, SharedData.model(SharedData.CROSS_ENCODER)),
                new TestHarness.TestCoresLocator(
                        ExampleSolr.CORE, home.resolve("data").toString(), "solrconfig.xml", "managed-schema.xml"));
        try (EmbeddedSolrServer solr = new EmbeddedSolrServer(harness.getCoreContainer(), ExampleSolr.CORE)) {
            long start = System.nanoTime();
            Beir.index(
                    solr,
                    Beir.corpus(scifact, Integer.MAX_VALUE).values(),
                    indexed -> System.err.printf(
                            Locale.ROOT,
                            "\rindexed %d docs (%.0f docs/s)",
                            indexed,
                            indexed / ((System.nanoTime() - start) / 1e9)));
            System.err.printf(Locale.ROOT, "%nindexed with embeddings in %.0f s%n", (System.nanoTime() - start) / 1e9);

            String[] modes = {"lexical", "vector", "rrf", "rrf+ce"};
            Map<String, double[]> sums = new LinkedHashMap<>();
            Map<String, List<Double>> latencies = new LinkedHashMap<>();
            for (String m : modes) {
                sums.put(m, new double[3]);
                latencies.put(m, new ArrayList<>());
            }
            int n = 0;
            for (Map.Entry<String, List<String>> q : qrels.entrySet()) {
                if (n == limit) break;
                n++;
                Map<String, Integer> judged = new LinkedHashMap<>();
                for (String doc : q.getValue()) judged.put(doc, 1);
                for (String mode : modes) {
                    SolrQuery query = new SolrQuery(queries.get(q.getKey()));
                    query.setRows(100);
                    query.setFields("id");
                    query.set("hybrid.mode", mode.equals("rrf+ce") ? "rrf" : mode);
                    query.set(
                            "rq",
                            mode.equals("rrf+ce")
                                    ? "{!crossencoder reRankDocs=" + k + " scoreCache=false" + blend + "}"
                                    : "{!crossencoder enabled=false}");
                    QueryRequest request = new QueryRequest(query);
                    request.setPath("/hybrid");
                    long t = System.nanoTime();
                    QueryResponse rsp = request.process(solr);
                    latencies.get(mode).add((System.nanoTime() - t) / 1e6);
                    List<String> ranking = new ArrayList<>();
                    for (SolrDocument d : rsp.getResults()) ranking.add((String) d.getFieldValue("id"));
                    double[] s = sums.get(mode);
                    s[0] += RelevanceMetrics.ndcg(ranking, judged, 10);
                    s[1] += RelevanceMetrics.mrr(ranking, judged, 10);
                    s[2] += RelevanceMetrics.recall(ranking, judged, 100);
                }
                System.err.printf(Locale.ROOT, "\r%d/%d queries", n, Math.min(limit, qrels.size()));
            }
            System.err.println();
            System.out.printf(
                    Locale.ROOT, "SciFact test, %d queries, through Solr (example configset), K=%d%s%n", n, k, blend);
            System.out.println("mode      nDCG@10  MRR@10  Recall@100  p50 ms  p95 ms");
            for (String mode : modes) {
                double[] s = sums.get(mode);
                double[] lat = latencies.get(mode).stream()
                        .mapToDouble(Double::doubleValue)
                        .sorted()
                        .toArray();
                System.out.printf(
                        Locale.ROOT,
                        "%-8s  %7.4f  %6.4f  %10.4f  %6.0f  %6.0f%n",
                        mode,
                        s[0] / n,
                        s[1] / n,
                        s[2] / n,
                        lat[lat.length / 2],
                        lat[(int) Math.min(lat.length - 1, Math.ceil(lat.length * 0.95) - 1)]);
            }
        } finally {
            harness.close();
        }
        return 0;
    }

    public HybridRelevance() {}

    static double[] sorted(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v;
    }
}
