package org.hybridrerank.solr.tools;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.params.SolrParams;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Request parameters given with {@code bin/eval --set NAME=VALUE}: sent with every request of the run, in every mode,
 * in place of the mode's own value for that name. A name given more than once is sent with all its values.
 */
final class RequestOverrides {
    /** What bin/eval must set itself: the query text, the mode being measured, and the fields it reads back. */
    private static final Map<String, String> RESERVED = Map.of(
            "q", "the query text comes from the dataset",
            "hybrid.mode", "each mode sets it; choose modes with --modes",
            "fl", "bin/eval reads id and score");

    record Setting(String name, String value) {}

    /** Parses one {@code --set} value; picocli turns the exception into exit 2 naming the option and the value. */
    static final class Converter implements ITypeConverter<Setting> {
        @Override
        public Setting convert(String arg) {
            int eq = arg.indexOf('=');
            if (eq < 0) throw new TypeConversionException("expected NAME=VALUE (e.g. hybrid.rrf.k=20), found no '='");
            String name = arg.substring(0, eq).trim();
            if (name.isEmpty())
                throw new TypeConversionException(
                        "expected NAME=VALUE (e.g. hybrid.rrf.k=20), found no name before '='");
            String why = RESERVED.get(name);
            if (why != null) throw new TypeConversionException(name + " cannot be set: " + why);
            return new Setting(name, arg.substring(eq + 1));
        }
    }

    private final Map<String, List<String>> values = new LinkedHashMap<>();

    RequestOverrides(List<Setting> settings) {
        for (Setting s : settings)
            values.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s.value());
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** The request with each overridden name's values replacing whatever it had. */
    SolrQuery applyTo(SolrQuery request) {
        values.forEach((name, vs) -> request.set(name, vs.toArray(String[]::new)));
        return request;
    }

    /** The overrides as results.json records them. */
    Map<String, Object> describe() {
        return describe(applyTo(new SolrQuery()));
    }

    /** Parameters by name (a lone value as itself, several as a list), sorted so runs line up; q is left out. */
    static Map<String, Object> describe(SolrParams params) {
        Map<String, Object> out = new TreeMap<>();
        for (String name : (Iterable<String>) params::getParameterNamesIterator) {
            if (name.equals("q")) continue;
            String[] vs = params.getParams(name);
            out.put(name, vs.length == 1 ? vs[0] : List.of(vs));
        }
        return out;
    }
}
