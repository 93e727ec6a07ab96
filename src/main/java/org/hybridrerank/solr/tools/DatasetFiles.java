package org.hybridrerank.solr.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The files of a dataset folder as distributed: every regular file at any depth, {@code .gz} ones read
 * decompressed, and what each holds recognised from its first lines rather than its name (collections name
 * their files every which way: {@code doc-text.trec}, {@code fbis5}, {@code topics.301-350}…).
 */
final class DatasetFiles {
    enum Kind {
        TREC_DOCUMENTS("TREC documents"),
        TREC_TOPICS("TREC topics"),
        TREC_QRELS("TREC qrels"),
        UNRECOGNISED("not recognised");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    /** {@code qid iteration docid grade}. */
    static final Pattern TREC_QRELS_LINE = Pattern.compile("^(\\S+)\\s+\\S+\\s+(\\S+)\\s+(-?\\d+)\\s*$");

    private static final Pattern DOC_START = Pattern.compile("(?i)^<DOC[\\s>].*");
    private static final Pattern TOPIC_START = Pattern.compile("(?i)<top>");
    /** Enough to see past a licence header; topic files are small and document files announce themselves at once. */
    private static final int HEAD_CHARS = 64 * 1024;

    private DatasetFiles() {}

    /**
     * Every regular file under {@code dir}, nested folders included, hidden ones ({@code .git}…) left out.
     * Links are followed: datasets are often linked into place rather than copied.
     */
    static List<Path> under(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
            return files.filter(Files::isRegularFile)
                    .filter(f -> !hidden(dir.relativize(f)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    /**
     * The file's text, decompressed when it ends in {@code .gz}. Bytes that are not UTF-8 become U+FFFD: old
     * collections mix Latin-1 into their text, and one stray byte must not cost a whole file.
     */
    static BufferedReader open(Path file) throws IOException {
        InputStream in = Files.newInputStream(file);
        try {
            if (isGzip(file)) in = new GZIPInputStream(in, 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return new BufferedReader(
                new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPLACE)
                                .onUnmappableCharacter(CodingErrorAction.REPLACE)),
                1 << 16);
    }

    static boolean isGzip(Path file) {
        return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    /** The file's name without {@code .gz}: {@code corpus.jsonl.gz} is a {@code corpus.jsonl}. */
    static String plainName(Path file) {
        String name = file.getFileName().toString();
        return isGzip(file) ? name.substring(0, name.length() - 3) : name;
    }

    static Kind kind(Path file) {
        String head;
        try (BufferedReader in = open(file)) {
            char[] buf = new char[HEAD_CHARS];
            int n = in.read(buf, 0, buf.length);
            head = n <= 0 ? "" : new String(buf, 0, n);
        } catch (IOException e) {
            // a .gz that is not gzip, an unreadable file: not something this dataset can use
            return Kind.UNRECOGNISED;
        }
        String first = head.lines()
                .map(String::trim)
                .filter(l -> !l.isEmpty())
                .findFirst()
                .orElse("");
        if (head.indexOf('\0') >= 0) return Kind.UNRECOGNISED;
        if (DOC_START.matcher(first).matches()) return Kind.TREC_DOCUMENTS;
        if (TOPIC_START.matcher(head).find()) return Kind.TREC_TOPICS;
        if (TREC_QRELS_LINE.matcher(first).matches()) return Kind.TREC_QRELS;
        return Kind.UNRECOGNISED;
    }
}
