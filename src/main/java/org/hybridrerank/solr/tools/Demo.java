package org.hybridrerank.solr.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bin/demo}: a real Solr over HTTP on localhost with the plugin jar in its lib/ and the example
 * configset, a BEIR or TREC dataset indexed with embeddings (once; a second start reuses the index), example
 * requests printed, then serving until stopped.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Serve Solr with hybrid retrieval and reranking on a dataset.")
public final class Demo implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "8983", description = "HTTP port (default ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--dataset", description = "BEIR or TREC folder (default: SciFact under the shared folder)")
  Path dataset;

  @Option(names = "--collection", description = "core name (default: the dataset folder's name)")
  String collection;

  @Option(names = "--models", description = "folder holding the cross-encoder (default: models under the shared folder, then solr-conf/models where models/fetch installs)")
  Path models;

  @Option(names = "--cross-encoder", defaultValue = "scifact-minilm-l6-ce", description = "cross-encoder folder name inside --models (default ${DEFAULT-VALUE})")
  String crossEncoder;

  @Option(names = "--embedder", defaultValue = "target/models/all-minilm-l6-v2-q", description = "embedder folder (default ${DEFAULT-VALUE}, unpacked by the build)")
  Path embedder;

  @Option(names = "--jar", defaultValue = "target/solr-hybrid-rerank-0.1.0.jar", description = "plugin jar installed into Solr's lib/ (default ${DEFAULT-VALUE})")
  Path jar;

  @Option(names = "--home", defaultValue = "demo-data/solr-home", description = "Solr home (default ${DEFAULT-VALUE})")
  Path home;

  @Option(names = "--reindex", description = "drop the index and index the dataset again")
  boolean reindex;

  @Option(names = "--cloud", description = "run a local SolrCloud (embedded ZooKeeper, nodes on consecutive ports from --port); always indexes afresh")
  boolean cloud;

  @Option(names = "--shards", defaultValue = "2", description = "with --cloud: shards of the collection (default ${DEFAULT-VALUE})")
  int shards;

  @Option(names = "--replicas", defaultValue = "2", description = "with --cloud: replicas per shard (default ${DEFAULT-VALUE})")
  int replicas;

  @Option(names = "--nodes", defaultValue = "2", description = "with --cloud: Solr nodes (default ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--check-request", description = "after indexing, send one hybrid+rerank request over HTTP and print its status", hidden = true)
  boolean checkRequest;

  @Option(names = "--exit-when-ready", description = "stop after indexing and printing the examples (for scripts)", hidden = true)
  boolean exitWhenReady;

  public static void main(String[] args) {
    int code = new CommandLine(new Demo()).execute(args);
    if (code != 0) System.exit(code);
  }

  /** The shared folder: -Dhybrid.shared.dir, $HYBRID_SHARED_DIR, or ../shared. */
  static Path sharedDir() {
    String dir = System.getProperty("hybrid.shared.dir", System.getenv().getOrDefault("HYBRID_SHARED_DIR", "../shared"));
    return Path.of(dir).toAbsolutePath().normalize();
  }

  @Override
  public Integer call() throws Exception {
    Path data = (dataset != null ? dataset : sharedDir().resolve("datasets").resolve("scifact")).toAbsolutePath().normalize();
    Dataset ds = Dataset.open(data);
    String core = collection != null ? collection : ds.name();
    CrossEncoderLookup lookup =
        CrossEncoderLookup.of(crossEncoder, models, sharedDir().resolve("models"), CrossEncoderLookup.FETCH_DEST);
    Path ce = lookup.find().orElse(null);
    if (ce == null) {
      System.err.println(lookup.missingMessage(CrossEncoderLookup.pinnedNames(CrossEncoderLookup.PINS)));
      return 2;
    }
    Path modelDir = ce.getParent();
    Path emb = embedder.toAbsolutePath().normalize();
    for (Path required : List.of(jar, emb.resolve("model.onnx"))) {
      if (!Files.exists(required)) {
        System.err.println("missing " + required.toAbsolutePath() + (required == jar ? " (run: mvn -B -ntp package -DskipTests)" : ""));
        return 2;
      }
    }
    System.setProperty("hybrid.crossencoder.dir", ce.toString());
    System.setProperty("hybrid.embedder.dir", emb.toString());
    System.setProperty("solr.allowPaths", modelDir + "," + emb);
    return cloud ? serveCloud(core, ds) : serveOneNode(core, ds);
  }

  private int serveOneNode(String core, Dataset ds) throws Exception {
    boolean schemaChanged = prepareHome(core);
    JettySolrRunner jetty = new JettySolrRunner(home.toAbsolutePath().toString(), JettyConfig.builder().setPort(port).build());
    jetty.start();
    String base = jetty.getBaseUrl().toString();
    try (SolrClient solr = new Http2SolrClient.Builder(base).withDefaultCollection(core).build()) {
      long indexed = solr.query(new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
      if (reindex || indexed == 0 || schemaChanged) {
        if (schemaChanged && !reindex && indexed > 0) System.out.println("the configset's schema changed: indexing again");
        index(solr, ds);
      } else {
        System.out.println("reusing the index of " + core + ": " + indexed + " documents (--reindex to rebuild)");
      }
      printExamples(base, core, ds);
    }
    if (checkRequest) checkRequest(base, core, ds);
    return serveUntilStopped(base, jetty::stop);
  }

  private int serveCloud(String core, Dataset ds) throws Exception {
    if (shards < 1 || replicas < 1 || nodes < 1) {
      System.err.println("--shards, --replicas and --nodes must be at least 1");
      return 2;
    }
    System.out.println("starting SolrCloud: " + nodes + " nodes, collection " + core + " with " + shards + " shards x "
        + replicas + " replicas…");
    LocalCloud local = LocalCloud.start(home.toAbsolutePath().resolveSibling("cloud"), jar, port, nodes, core, shards, replicas);
    System.out.println("nodes: " + local.nodes());
    index(local.client(), ds);
    printExamples(local.baseUrl(), core, ds);
    if (checkRequest) checkRequest(local.baseUrl(), core, ds);
    return serveUntilStopped(local.baseUrl(), local::close);
  }

  /** Serves until Ctrl-C (or returns at once with --exit-when-ready), then stops Solr. */
  private int serveUntilStopped(String base, StopAction stop) throws Exception {
    if (exitWhenReady) {
      stop.run();
      return 0;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        stop.run();
      } catch (Exception e) {
        System.err.println("stopping Solr: " + e);
      }
      stopped.countDown();
    }));
    System.out.println("Solr is serving at " + base + " — Ctrl-C to stop.");
    stopped.await();
    return 0;
  }

  @FunctionalInterface
  private interface StopAction {
    void run() throws Exception;
  }

  /** @return whether the home held a core whose schema differs from the configset's (its index is stale) */
  private boolean prepareHome(String core) throws Exception {
    Path lib = Files.createDirectories(home.resolve("lib"));
    try (Stream<Path> old = Files.list(lib)) {
      for (Path p : (Iterable<Path>) old::iterator) if (p.getFileName().toString().startsWith("solr-hybrid-rerank")) Files.delete(p);
    }
    Files.copy(jar, lib.resolve(jar.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(home.resolve("solr.xml"), "<solr><str name=\"allowPaths\">${solr.allowPaths:}</str></solr>\n");
    Path conf = Files.createDirectories(home.resolve(core).resolve("conf"));
    Path schema = conf.resolve("managed-schema.xml");
    boolean schemaChanged =
        Files.exists(schema) && !Files.readString(schema).equals(Files.readString(Path.of("solr-conf", "managed-schema.xml")));
    try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) Files.copy(f, conf.resolve(f.getFileName().toString()), StandardCopyOption.REPLACE_EXISTING);
    }
    Properties props = new Properties();
    props.setProperty("name", core);
    try (var w = Files.newBufferedWriter(home.resolve(core).resolve("core.properties"))) {
      props.store(w, "created by bin/demo");
    }
    return schemaChanged;
  }

  private static void index(SolrClient solr, Dataset ds) throws Exception {
    solr.deleteByQuery("*:*");
    AtomicLong count = new AtomicLong();
    ds.documents(d -> count.incrementAndGet());
    List<SolrInputDocument> batch = new ArrayList<>();
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName("indexing " + ds.name())
            .setInitialMax(count.get())
            .setStyle(ProgressBarStyle.ASCII)
            .setConsumer(new ConsoleProgressBarConsumer(System.err))
            .setUnit(" docs", 1)
            .showSpeed()
            .build()) {
      ds.documents(d -> {
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField("id", d.id());
        doc.addField("title", d.title());
        doc.addField("text", d.text());
        batch.add(doc);
        if (batch.size() == 64) flush(solr, batch, bar);
      });
      flush(solr, batch, bar);
    }
    solr.commit();
  }

  private static void flush(SolrClient solr, List<SolrInputDocument> batch, ProgressBar bar) {
    if (batch.isEmpty()) return;
    try {
      solr.add(batch);
    } catch (Exception e) {
      throw new IllegalStateException("indexing failed: " + e.getMessage(), e);
    }
    bar.stepBy(batch.size());
    batch.clear();
  }

  private static void printExamples(String base, String core, Dataset ds) throws Exception {
    String q = ds.queries().values().stream().findFirst().orElse("vitamin d deficiency");
    String url = base + "/" + core;
    System.out.println();
    System.out.println("Ready. Try (hybrid BM25 + kNN, RRF, cross-encoder on the fused top 100):");
    System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "'");
    System.out.println("Each stage alone, and a blended rerank with explanations:");
    String off = "&rq=" + enc("{!crossencoder enabled=false}");
    System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "&hybrid.mode=lexical" + off + "'");
    System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "&hybrid.mode=vector" + off + "'");
    System.out.println("  curl '" + url + "/hybrid?q=" + enc(q) + "&rq="
        + enc("{!crossencoder reRankDocs=50 reRankOperator=add reRankScale=0-1 reRankMainScale=0-1}") + "&debug=true'");
    System.out.println("Rerank any query:");
    System.out.println("  curl '" + url + "/select?q=" + enc(q) + "&rq=" + enc("{!crossencoder reRankDocs=20}") + "&fl="
        + enc("id,title,score,originalScore()") + "'");
    System.out.println("Measure it:");
    System.out.println("  bin/eval --solr " + base + " --collection " + core + " --dataset DATASET_DIR --queries 50");
  }

  /** One request over HTTP, the way the first printed example sends it. */
  private static void checkRequest(String base, String core, Dataset ds) throws Exception {
    String q = ds.queries().values().stream().findFirst().orElse("vitamin d deficiency");
    try (SolrClient client = new Http2SolrClient.Builder(base).withDefaultCollection(core).build()) {
      QueryRequest request = new QueryRequest(new SolrQuery(q));
      request.setPath("/hybrid");
      QueryResponse rsp = request.process(client);
      System.out.println("check: rerank.status=" + rsp.getHeader().get("rerank.status") + ", numFound="
          + rsp.getResults().getNumFound() + ", top=" + (rsp.getResults().isEmpty() ? "-" : rsp.getResults().get(0).get("id")));
    }
  }

  private static String enc(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}
