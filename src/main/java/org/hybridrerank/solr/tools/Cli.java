package org.hybridrerank.solr.tools;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How every bin/ command behaves as a command line: {@code --help}, {@code --version} and {@code --verbose};
 * a bad flag or a {@link UserError} as one line on stderr and exit 2; any other failure as one line and exit 1;
 * stack traces only with {@code --verbose}; paths the user typed resolved by {@link UserPaths}.
 */
public final class Cli {
    /** Exit code of a usage error or a {@link UserError}: the user can fix it. */
    public static final int USAGE = 2;
    /** Exit code of a failure the user cannot fix by changing the command line. */
    public static final int FAILURE = 1;

    private Cli() {}

    /** The options every command gets. */
    static final class Common {
        @Option(names = "--verbose", description = "print stack traces of failures")
        boolean verbose;
    }

    /** Runs {@code command} with {@code args}; the exit code. */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /** A command line for {@code command} with the common options and handling (tests set its out and err). */
    public static CommandLine commandLine(Object command) {
        CommandLine cmd = new CommandLine(command);
        CommandSpec spec = cmd.getCommandSpec();
        spec.mixinStandardHelpOptions(true);
        spec.versionProvider(new ProjectVersion());
        cmd.addMixin("common", new Common());
        cmd.setExecutionStrategy(parsed -> {
            UserPaths.resolveTyped(parsed);
            return new CommandLine.RunLast().execute(parsed);
        });
        cmd.setParameterExceptionHandler(Cli::badUsage);
        cmd.setExecutionExceptionHandler(Cli::failed);
        return cmd;
    }

    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(firstLine(e.getMessage()) + " (see bin/" + cmd.getCommandName() + " --help)");
        err.flush();
        return USAGE;
    }

    private static int failed(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        boolean verbose = verbose(cmd);
        if (verbose) e.printStackTrace(err);
        if (e instanceof UserError) {
            err.println(e.getMessage());
        } else {
            err.println(cmd.getCommandName() + " failed: " + firstLine(String.valueOf(e))
                    + (verbose ? "" : " (--verbose for the stack trace)"));
        }
        err.flush();
        return e instanceof UserError ? USAGE : FAILURE;
    }

    private static boolean verbose(CommandLine cmd) {
        CommandSpec common = cmd.getCommandSpec().mixins().get("common");
        return common != null && ((Common) common.userObject()).verbose;
    }

    static String firstLine(String text) {
        if (text == null) return "";
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
