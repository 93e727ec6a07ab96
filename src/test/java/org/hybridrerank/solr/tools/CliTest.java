package org.hybridrerank.solr.tools;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hybridrerank.solr.bench.HybridRelevance;
import org.hybridrerank.solr.bench.OperatingPointBenchmark;
import org.hybridrerank.solr.bench.RerankBenchmark;
import org.junit.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * What every bin/ command does as a command line: --help and --version (the pom's version), a bad flag or a bad
 * positional number as one line naming it and exit 2, a {@link UserError} as its one line and exit 2, any other
 * failure as one line and exit 1; stack traces only with --verbose.
 */
public class CliTest {
    /** The mains behind bin/demo, bin/eval, bin/tune, bin/calibrate, bin/bench, bin/bench points and bin/relevance. */
    private static List<Object> commands() {
        return List.of(
                new Demo(),
                new Evaluate(),
                new Tune(),
                new Calibrate(),
                new RerankBenchmark(),
                new OperatingPointBenchmark(),
                new HybridRelevance());
    }

    /** Exit code, stdout and stderr of {@code command} run through {@link Cli}. */
    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Cli.commandLine(command);
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    @Test
    public void everyCommandAnswersHelp() {
        for (Object command : commands()) {
            Result r = run(command, "--help");
            assertEquals(command.getClass().getSimpleName() + ": " + r.err, 0, r.code);
            assertTrue(r.out, r.out.startsWith("Usage: "));
            assertTrue(r.out, r.out.contains("--version") && r.out.contains("--verbose"));
        }
    }

    @Test
    public void everyCommandAnswersThePomsVersion() throws Exception {
        Matcher version = Pattern.compile("<artifactId>solr-hybrid-rerank</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(Path.of("pom.xml")));
        assertTrue(version.find());
        for (Object command : commands()) {
            Result r = run(command, "--version");
            assertEquals(r.err, 0, r.code);
            assertEquals("solr-hybrid-rerank " + version.group(1), r.out.strip());
        }
    }

    @Test
    public void aBadFlagIsOneLineNamingItAndExit2() {
        for (Object command : commands()) {
            Result r = run(command, "--no-such-flag");
            String name = Cli.commandLine(command).getCommandName();
            assertEquals(r.err, 2, r.code);
            assertEquals(r.err, 1, r.errLines().size());
            assertTrue(r.err, r.err.strip().endsWith("(see bin/" + name + " --help)"));
        }
        assertEquals(
                List.of("Unknown option: '--no-such-flag' (see bin/eval --help)"),
                run(new Evaluate(), "--no-such-flag").errLines());
        Result missingValue = run(new Evaluate(), "--queries");
        assertEquals(2, missingValue.code);
        assertEquals(missingValue.err, 1, missingValue.errLines().size());
        assertTrue(missingValue.err, missingValue.err.contains("--queries"));
    }

    @Test
    public void aBenchArgumentThatIsNoNumberIsOneLineNamingIt() {
        Result r = run(new RerankBenchmark(), "clients", "five");
        assertEquals(r.err, 2, r.code);
        assertEquals(List.of("queries must be a whole number, got 'five' (see bin/bench --help)"), r.errLines());
        Result points = run(new OperatingPointBenchmark(), "all", "6", "x");
        assertEquals(points.err, 2, points.code);
        assertTrue(points.err, points.err.startsWith("rawClaims must be a whole number, got 'x'"));
        // an unknown point name stops before Solr starts, listing the points
        Result name = run(new OperatingPointBenchmark(), "all", "6", "5", "3", "int8-128-truncate,int8-64");
        assertEquals(name.err, 2, name.code);
        assertEquals(name.err, 1, name.errLines().size());
        assertTrue(name.err, name.err.startsWith("points: no point 'int8-64'; the points are all, fp32-256-truncate"));
        assertTrue(name.err, name.err.contains("int8-128-truncate-budget300"));
        assertEquals(2, run(new HybridRelevance(), "ten").code);
    }

    @Command(name = "failing")
    static final class Failing implements Callable<Integer> {
        private final Exception failure;

        Failing(Exception failure) {
            this.failure = failure;
        }

        @Override
        public Integer call() throws Exception {
            throw failure;
        }
    }

    @Test
    public void aUserErrorIsItsOneLineAndExit2WithTheStackTraceOnlyWhenVerbose() {
        Result quiet = run(new Failing(new UserError("no collection x at http://h/solr (--collection)")));
        assertEquals(2, quiet.code);
        assertEquals(List.of("no collection x at http://h/solr (--collection)"), quiet.errLines());
        UserError withCause = new UserError("no collection x", new IllegalStateException("cause"));
        Result verbose = run(new Failing(withCause), "--verbose");
        assertEquals(2, verbose.code);
        assertTrue(verbose.err, verbose.err.contains("\tat ") && verbose.err.contains("IllegalStateException: cause"));
        assertTrue(verbose.err, verbose.err.strip().endsWith("no collection x"));
    }

    @Test
    public void anyOtherFailureIsOneLineAndExit1() {
        Result r = run(new Failing(new IllegalStateException("disk full\nsecond line")));
        assertEquals(1, r.code);
        assertEquals(
                List.of("failing failed: java.lang.IllegalStateException: disk full (--verbose for the stack trace)"),
                r.errLines());
        assertFalse(r.err.contains("\tat "));
    }
}
