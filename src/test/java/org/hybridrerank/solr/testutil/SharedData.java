package org.hybridrerank.solr.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared models and datasets live: {@code -Dhybrid.shared.dir}, by default {@code ../shared}. */
public final class SharedData {
  private SharedData() {}

  public static Path sharedDir() {
    Path dir = Path.of(System.getProperty("hybrid.shared.dir", "../shared")).toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException(
          "shared models/datasets not found at " + dir + "; set -Dhybrid.shared.dir");
    }
    return dir;
  }

  public static Path modelsDir() {
    return sharedDir().resolve("models");
  }

  public static Path model(String name) {
    return modelsDir().resolve(name);
  }

  /** The default bi-encoder, unpacked by the build into target/models (see pom.xml). */
  public static Path embedderDir() {
    return Path.of(System.getProperty("hybrid.embedder.dir", "target/models/bge-small-en-v15-q")).toAbsolutePath().normalize();
  }

  /** The light bi-encoder (all-MiniLM-L6-v2), unpacked by the build beside the default one. */
  public static Path lightEmbedderDir() {
    return Path.of(System.getProperty("hybrid.light.embedder.dir", "target/models/all-minilm-l6-v2-q")).toAbsolutePath().normalize();
  }

  public static Path scifact() {
    return sharedDir().resolve("datasets").resolve("scifact");
  }
}
