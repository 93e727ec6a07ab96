package org.hybridrerank.solr.tools;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Positional arguments read by position with a default ({@code bin/bench [queries=5] [repeats=3]}): a number
 * that is not one is a usage error naming the argument, not a NumberFormatException.
 */
public final class PositionalArgs {
    private final CommandSpec spec;
    private final List<String> values;

    public PositionalArgs(CommandSpec spec, List<String> values) {
        this.spec = spec;
        this.values = values;
    }

    /** The argument at {@code index}, or {@code fallback} when fewer were given. */
    public String at(int index, String fallback) {
        return index < values.size() ? values.get(index) : fallback;
    }

    /** The whole number at {@code index}, or {@code fallback}; {@code name} is what the help calls it. */
    public int intAt(int index, String name, int fallback) {
        if (index >= values.size()) return fallback;
        try {
            return Integer.parseInt(values.get(index));
        } catch (NumberFormatException e) {
            String message = name + " must be a whole number, got '" + values.get(index) + "'";
            throw new ParameterException(spec.commandLine(), message);
        }
    }

    /** The arguments after the first {@code count}. */
    public PositionalArgs after(int count) {
        return new PositionalArgs(spec, values.subList(Math.min(count, values.size()), values.size()));
    }
}
