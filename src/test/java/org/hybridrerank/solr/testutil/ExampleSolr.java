package org.hybridrerank.solr.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.apache.solr.core.NodeConfig;
import org.apache.solr.update.UpdateShardHandlerConfig;

/** A Solr home holding one core made from the example configset, with the shared models plugged in. */
public final class ExampleSolr {
  public static final String CORE = "collection1";

  private ExampleSolr() {}

  /** Copies solr-conf/ into {@code home}/collection1/conf, rewritten by {@code edit} (null: as shipped). */
  public static void prepareHome(Path home, BinaryOperator<String> edit) throws IOException {
    Path conf = Files.createDirectories(home.resolve(CORE).resolve("conf"));
    try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String name = file.getFileName().toString();
        String text = Files.readString(file);
        Files.writeString(conf.resolve(name), edit == null ? text : edit.apply(name, text));
      }
    }
    System.setProperty("hybrid.crossencoder.dir", SharedData.model("scifact-minilm-l6-ce").toString());
    System.setProperty("hybrid.embedder.dir", SharedData.embedderDir().toString());
  }

  public static NodeConfig nodeConfig(Path home) {
    return new NodeConfig.NodeConfigBuilder("testNode", home)
        .setAllowPaths(Set.of(SharedData.sharedDir(), SharedData.embedderDir(), SharedData.lightEmbedderDir()))
        .setUpdateShardHandlerConfig(UpdateShardHandlerConfig.TEST_DEFAULT)
        .build();
  }
}
