package org.hybridrerank.solr.testutil;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.function.BinaryOperator;
import java.util.stream.Stream;
import org.apache.solr.core.NodeConfig;
import org.apache.solr.update.UpdateShardHandlerConfig;

/**
 * A Solr home holding one core made from the example configset, with the build's embedder and a cross-encoder
 * plugged in: the in-repo overlap-oracle unless a suite names another (the shared suites' trained model).
 */
public final class ExampleSolr {
    public static final String CORE = "collection1";

    private ExampleSolr() {}

    /**
     * Copies solr-conf/ into {@code home}/collection1/conf, rewritten by {@code edit} (null: as shipped), its
     * cross-encoder the overlap-oracle.
     */
    public static void prepareHome(Path home, BinaryOperator<String> edit) throws IOException {
        prepareHome(home, edit, OverlapOracle.dir());
    }

    /** As {@link #prepareHome(Path, BinaryOperator)}, the configset's cross-encoder read from {@code crossEncoder}. */
    public static void prepareHome(Path home, BinaryOperator<String> edit, Path crossEncoder) throws IOException {
        Path conf = Files.createDirectories(home.resolve(CORE).resolve("conf"));
        try (Stream<Path> files = Files.list(Path.of("solr-conf"))) {
            for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = file.getFileName().toString();
                String text = Files.readString(file);
                Files.writeString(conf.resolve(name), edit == null ? text : edit.apply(name, text));
            }
        }
        System.setProperty("hybrid.crossencoder.dir", crossEncoder.toString());
        OverlapOracle.setTrustGapProperty(crossEncoder);
        System.setProperty("hybrid.embedder.dir", SharedData.embedderDir().toString());
    }

    /** A node whose allowed paths hold the build's models and {@code crossEncoder}. */
    public static NodeConfig nodeConfig(Path home, Path crossEncoder) {
        Set<Path> allowed = Set.of(
                crossEncoder, SharedData.fixtureModelsDir(), SharedData.embedderDir(), SharedData.lightEmbedderDir());
        return new NodeConfig.NodeConfigBuilder("testNode", home)
                .setAllowPaths(allowed)
                .setUpdateShardHandlerConfig(UpdateShardHandlerConfig.TEST_DEFAULT)
                .build();
    }
}
