package org.hybridrerank.solr.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.SolrParams;

/**
 * Reads typed parameters and turns every bad value into a {@link SolrException} that names the parameter and
 * what it accepts. The same reader serves request parameters (a 400) and solrconfig.xml defaults (a core load
 * failure), so both are validated by one set of rules.
 */
public final class ParamReader {
    private final SolrParams params;
    private final SolrException.ErrorCode errorCode;
    private final String context;

    private ParamReader(SolrParams params, SolrException.ErrorCode errorCode, String context) {
        this.params = params;
        this.errorCode = errorCode;
        this.context = context;
    }

    /** For request parameters: errors are 400s. */
    public static ParamReader forRequest(SolrParams params, String context) {
        return new ParamReader(params, SolrException.ErrorCode.BAD_REQUEST, context);
    }

    /** For configuration: errors are server errors that fail the core load. */
    public static ParamReader forConfig(SolrParams params, String context) {
        return new ParamReader(params, SolrException.ErrorCode.SERVER_ERROR, context);
    }

    /** Where the parameters come from, as error messages name it. */
    public String context() {
        return context;
    }

    public SolrParams params() {
        return params;
    }

    public SolrException error(String message) {
        return new SolrException(errorCode, context + ": " + message);
    }

    public String string(String name, String fallback) {
        String value = params.get(name);
        return value == null ? fallback : value;
    }

    public int intIn(String name, int fallback, int min, int max) {
        return (int) longIn(name, fallback, min, max);
    }

    public long longIn(String name, long fallback, long min, long max) {
        String raw = params.get(name);
        if (raw == null) return fallback;
        String allowed = "an integer in [" + min + ", " + max + "]";
        long value;
        try {
            value = Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw error("parameter '" + name + "' must be " + allowed + ", got '" + abbreviate(raw) + "'");
        }
        if (value < min || value > max) {
            throw error("parameter '" + name + "' must be " + allowed + ", got " + value);
        }
        return value;
    }

    /** A finite number, or {@code fallback} when absent. */
    public Double finiteDouble(String name, Double fallback) {
        String raw = params.get(name);
        if (raw == null) return fallback;
        double value;
        try {
            value = Double.parseDouble(raw.trim());
        } catch (NumberFormatException e) {
            throw error("parameter '" + name + "' must be a finite number, got '" + abbreviate(raw) + "'");
        }
        if (!Double.isFinite(value) || Math.abs(value) > Float.MAX_VALUE) {
            throw error("parameter '" + name + "' must be a finite number, got '" + abbreviate(raw) + "'");
        }
        return value;
    }

    public boolean bool(String name, boolean fallback) {
        String raw = params.get(name);
        if (raw == null) return fallback;
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "on", "yes" -> true;
            case "false", "off", "no" -> false;
            default -> throw error("parameter '" + name + "' must be true or false, got '" + abbreviate(raw) + "'");
        };
    }

    /** One of an enum's constants, matched case-insensitively. */
    public <E extends Enum<E>> E oneOf(String name, E fallback, Class<E> type) {
        String raw = params.get(name);
        if (raw == null) return fallback;
        for (E candidate : type.getEnumConstants()) {
            if (candidate.name().equalsIgnoreCase(raw.trim())) return candidate;
        }
        String allowed = String.join(
                "|",
                Arrays.stream(type.getEnumConstants())
                        .map(e -> e.name().toLowerCase(Locale.ROOT))
                        .toList());
        throw error("parameter '" + name + "' must be one of " + allowed + ", got '" + abbreviate(raw) + "'");
    }

    /** A value parsed by {@code parser}, which throws IllegalArgumentException with what it allows. */
    public <T> T parsed(String name, T fallback, Function<String, T> parser) {
        String raw = params.get(name);
        if (raw == null) return fallback;
        try {
            return parser.apply(raw);
        } catch (IllegalArgumentException e) {
            throw error("parameter '" + name + "' " + e.getMessage() + ", got '" + abbreviate(raw) + "'");
        }
    }

    /** Bad input can be huge or full of control characters; echo a short, printable prefix. */
    public static String abbreviate(String raw) {
        String printable = raw.codePoints()
                .limit(80)
                .map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return raw.codePointCount(0, raw.length()) > 80 ? printable + "…" : printable;
    }
}
