package org.hybridrerank.solr.tools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.ParseResult;

/**
 * Paths the user typed resolve against the folder the user was in. bin/_run changes into the repository (so
 * that defaults such as solr-conf/, target/models and ../shared hold wherever it is called from) and passes
 * the caller's folder as {@code -Dhybrid.user.dir}; without it (tests, an IDE) the JVM's own folder is used.
 * Defaults the user did not type are left as they are: they are relative to the repository.
 */
public final class UserPaths {
    static final String USER_DIR = "hybrid.user.dir";

    private UserPaths() {}

    /** The folder the user called the command from. */
    public static Path userDir() {
        String dir = System.getProperty(USER_DIR);
        return (dir == null || dir.isEmpty() ? Path.of("") : Path.of(dir))
                .toAbsolutePath()
                .normalize();
    }

    /** {@code given} as the user meant it: unchanged when absolute, else against {@link #userDir()}. */
    public static Path resolve(Path given) {
        return given.isAbsolute() ? given : userDir().resolve(given).normalize();
    }

    /** Rewrites every path option and parameter the user typed (a Path, or a list of them) with {@link #resolve}. */
    static void resolveTyped(ParseResult parsed) {
        List<ArgSpec> typed = new ArrayList<>(parsed.matchedOptions());
        typed.addAll(parsed.matchedPositionals());
        for (ArgSpec arg : typed) {
            Object value = arg.getValue();
            if (value instanceof Path path) {
                arg.setValue(resolve(path));
            } else if (value instanceof Collection<?> values && isPaths(values)) {
                arg.setValue(new ArrayList<>(
                        values.stream().map(p -> resolve((Path) p)).toList()));
            }
        }
    }

    private static boolean isPaths(Collection<?> values) {
        return !values.isEmpty() && values.stream().allMatch(Path.class::isInstance);
    }
}
