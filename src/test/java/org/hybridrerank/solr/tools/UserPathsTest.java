package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Paths the user types resolve against the folder bin/_run was called from ({@code -Dhybrid.user.dir}); the
 * defaults the user did not type stay relative to the repository.
 */
public class UserPathsTest {
    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @After
    public void clearUserDir() {
        System.clearProperty(UserPaths.USER_DIR);
    }

    @Test
    public void aRelativePathResolvesAgainstTheUsersFolderAnAbsoluteOneStays() throws Exception {
        Path user = tmp.newFolder("somewhere", "else").toPath();
        System.setProperty(UserPaths.USER_DIR, user.toString());
        assertEquals(user.resolve("data").resolve("x"), UserPaths.resolve(Path.of("data/x")));
        assertEquals(user.getParent().resolve("y"), UserPaths.resolve(Path.of("../y")));
        Path absolute = tmp.getRoot().toPath().resolve("abs");
        assertEquals(absolute, UserPaths.resolve(absolute));
    }

    @Test
    public void withoutTheUsersFolderTheJvmsFolderIsUsed() {
        assertEquals(Path.of("").toAbsolutePath().resolve("data"), UserPaths.resolve(Path.of("data")));
    }

    @Command(name = "paths")
    static final class PathOptions implements Callable<Integer> {
        @Option(names = "--dataset")
        Path dataset;

        @Option(names = "--out", defaultValue = "eval-out")
        Path out;

        @Option(names = "--compare", arity = "1..*")
        List<Path> compare = new ArrayList<>();

        @Option(names = "--label")
        String label;

        @Parameters(arity = "0..1")
        Path positional;

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    public void everyTypedPathOptionAndParameterIsResolvedDefaultsAreNot() throws Exception {
        Path user = tmp.newFolder("caller").toPath();
        System.setProperty(UserPaths.USER_DIR, user.toString());
        PathOptions command = new PathOptions();
        assertEquals(0, Cli.execute(command, "--dataset", "data/x", "--compare", "a", "/abs/b", "--label", "l", "p"));
        assertEquals(user.resolve("data/x"), command.dataset);
        assertEquals(List.of(user.resolve("a"), Path.of("/abs/b")), command.compare);
        assertEquals(user.resolve("p"), command.positional);
        assertEquals("a default is the repository's", Path.of("eval-out"), command.out);
        assertEquals("l", command.label);
    }

    /** Options shared by several commands through a picocli mixin (as {@link SolrOptions} is). */
    static final class SharedPathOptions {
        @Option(names = "--models")
        Path models;

        @Option(names = "--home", defaultValue = "demo-data/solr-home")
        Path home;
    }

    @Command(name = "mixed")
    static final class MixinPathOptions implements Callable<Integer> {
        @Mixin
        SharedPathOptions shared = new SharedPathOptions();

        @Option(names = "--dataset")
        Path dataset;

        @Override
        public Integer call() {
            return 0;
        }
    }

    @Test
    public void aTypedPathOptionOfAMixinIsResolvedItsDefaultIsNot() throws Exception {
        Path user = tmp.newFolder("caller").toPath();
        System.setProperty(UserPaths.USER_DIR, user.toString());
        MixinPathOptions command = new MixinPathOptions();
        assertEquals(0, Cli.execute(command, "--models", "my/models", "--dataset", "d"));
        assertEquals(user.resolve("my/models"), command.shared.models);
        assertEquals(user.resolve("d"), command.dataset);
        assertEquals("a default is the repository's", Path.of("demo-data/solr-home"), command.shared.home);
    }

    @Test
    public void evalsDatasetIsLookedForInTheUsersFolder() throws Exception {
        Path user = tmp.newFolder("caller").toPath();
        System.setProperty(UserPaths.USER_DIR, user.toString());
        CliTest.Result r = CliTest.run(new Evaluate(), "--dataset", "nowhere/scifact");
        assertEquals(r.err(), 2, r.code());
        assertTrue(r.err(), r.err().contains(user.resolve("nowhere/scifact").toString()));
    }

    @Test
    public void anEmbedderFolderIsLookedForInTheUsersFolder() throws Exception {
        Path user = tmp.newFolder("caller").toPath();
        System.setProperty(UserPaths.USER_DIR, user.toString());
        try {
            EmbedderChoice.resolve("my-embedder");
            throw new AssertionError("no model there");
        } catch (IllegalArgumentException e) {
            assertTrue(
                    e.getMessage(),
                    e.getMessage().contains(user.resolve("my-embedder").toString()));
        }
    }
}
