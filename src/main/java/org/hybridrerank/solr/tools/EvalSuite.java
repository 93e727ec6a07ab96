package org.hybridrerank.solr.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The collections one {@code bin/eval} run measures, each a dataset folder, the collection holding its documents,
 * the Solr serving that collection and the qrels split to read. Given as repeated {@code --dataset} values
 * ({@code [NAME=]PATH[@SOLR_URL]}) and/or the lines of a {@code --suite} file ({@code NAME PATH [SOLR_URL] [SPLIT]}).
 * A lone {@code --dataset PATH} with {@code --collection NAME} is the single-collection run it always was.
 */
final class EvalSuite {
    /** A collection name as Solr allows it, and as a folder name under --out needs it: no '/', '=', '@' or ':'. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]*");

    /**
     * One collection of the run.
     *
     * @param name the collection requests go to; the key of results.json and the folder of its TREC runs
     * @param dataset the dataset folder, as the user meant it (resolved against the user's folder)
     * @param solr the Solr base URL that serves the collection
     * @param split the qrels split read from the dataset
     */
    record Entry(String name, Path dataset, String solr, String split) {}

    private EvalSuite() {}

    /**
     * The run's collections, in the order given ({@code --dataset} values first, then the suite file's lines).
     *
     * @throws IllegalArgumentException naming the flag and the value to fix
     */
    static List<Entry> entries(
            List<String> datasets, Path suite, String defaultSolr, String collection, String defaultSplit) {
        List<Entry> out = new ArrayList<>();
        for (String value : datasets) out.add(parseDataset(value, defaultSolr, defaultSplit));
        if (suite != null) out.addAll(readSuite(suite, defaultSolr, defaultSplit));
        if (out.isEmpty()) throw new IllegalArgumentException("Missing required option: '--dataset' (or --suite)");
        if (collection != null) {
            if (out.size() > 1)
                throw new IllegalArgumentException("--collection names the collection of a single --dataset; with "
                        + out.size() + " datasets give each its collection as --dataset NAME=PATH");
            Entry only = out.get(0);
            if (only.name() != null && !only.name().equals(collection))
                throw new IllegalArgumentException("--collection " + collection + " and --dataset " + only.name()
                        + "=… name two collections for one dataset; give one of them");
            out.set(0, new Entry(collection, only.dataset(), only.solr(), only.split()));
        }
        List<Entry> named = new ArrayList<>();
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (Entry e : out) {
            Entry withName =
                    e.name() != null ? e : new Entry(folderName(e.dataset()), e.dataset(), e.solr(), e.split());
            Entry before = byName.put(withName.name(), withName);
            if (before != null)
                throw new IllegalArgumentException("two datasets are evaluated as collection " + withName.name() + " ("
                        + before.dataset() + " and " + withName.dataset() + "): give each its own NAME=PATH");
            named.add(withName);
        }
        return named;
    }

    /**
     * One {@code --dataset} value: {@code PATH}, {@code NAME=PATH}, {@code PATH@SOLR_URL} or {@code
     * NAME=PATH@SOLR_URL}. NAME is taken only when what stands before the first '=' is a collection name, and
     * SOLR_URL only when what follows the last '@' starts with http:// or https://, so a plain path keeps its
     * meaning; the name stays null when not given (the folder's name, or --collection, decides it).
     */
    static Entry parseDataset(String value, String defaultSolr, String defaultSplit) {
        String rest = value.strip();
        String solr = defaultSolr;
        int at = rest.lastIndexOf('@');
        if (at >= 0 && isUrl(rest.substring(at + 1))) {
            solr = trimSlash(rest.substring(at + 1));
            rest = rest.substring(0, at);
        }
        String name = null;
        int eq = rest.indexOf('=');
        if (eq > 0 && NAME.matcher(rest.substring(0, eq)).matches()) {
            name = rest.substring(0, eq);
            rest = rest.substring(eq + 1);
        }
        if (rest.isEmpty())
            throw new IllegalArgumentException(
                    "--dataset takes [NAME=]PATH[@SOLR_URL] (e.g. cisi=datasets/cisi@http://127.0.0.1:8990/solr); "
                            + "no PATH in '" + value + "'");
        return new Entry(name, UserPaths.resolve(Path.of(rest)), solr, defaultSplit);
    }

    /**
     * A suite file: one collection a line, {@code NAME PATH [SOLR_URL] [SPLIT]} separated by spaces or tabs; a third
     * field starting with http:// or https:// is the Solr, any other the split. Relative paths are relative to the
     * file's folder. Blank lines and text after '#' are ignored.
     */
    static List<Entry> readSuite(Path file, String defaultSolr, String defaultSplit) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--suite " + file + ": cannot read it (" + e + ")");
        }
        Path base = file.toAbsolutePath().normalize().getParent();
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            if (line.isBlank()) continue;
            String[] f = line.strip().split("\\s+");
            String where = "--suite " + file + " line " + (i + 1) + ": ";
            if (f.length < 2 || f.length > 4)
                throw new IllegalArgumentException(where + "expected NAME PATH [SOLR_URL] [SPLIT], got '"
                        + lines.get(i).strip() + "'");
            if (!NAME.matcher(f[0]).matches())
                throw new IllegalArgumentException(where + "'" + f[0] + "' is not a collection name (letters, digits,"
                        + " '_', '-', '.', not starting with '-' or '.')");
            String solr = defaultSolr;
            String split = defaultSplit;
            int next = 2;
            if (f.length > next && isUrl(f[next])) solr = trimSlash(f[next++]);
            if (f.length > next) split = f[next++];
            if (f.length > next)
                throw new IllegalArgumentException(where + "a fourth field must be the split after a SOLR_URL, got '"
                        + lines.get(i).strip() + "'");
            out.add(new Entry(f[0], base.resolve(f[1]).normalize(), solr, split));
        }
        if (out.isEmpty()) throw new IllegalArgumentException("--suite " + file + " lists no collection");
        return out;
    }

    /** The folder's own name, which names the collection when nothing else does (as Dataset#name). */
    static String folderName(Path dataset) {
        Path name = dataset.toAbsolutePath().normalize().getFileName();
        if (name == null)
            throw new IllegalArgumentException(
                    "--dataset " + dataset + " has no folder name: " + "give the collection as --dataset NAME=PATH");
        return name.toString();
    }

    private static boolean isUrl(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    private static String trimSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
