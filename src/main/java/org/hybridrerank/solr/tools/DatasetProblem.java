package org.hybridrerank.solr.tools;

import java.nio.file.Path;
import java.util.List;

/**
 * A dataset folder that cannot give a tool what it needs. The message names the folder, the files looked at
 * and what was expected there, so the user can fix the layout rather than guess.
 */
public final class DatasetProblem extends IllegalArgumentException {
    /** Files listed in a message; a collection of thousands of files would otherwise drown the point. */
    private static final int LISTED_FILES = 20;

    DatasetProblem(String message) {
        super(message);
    }

    static DatasetProblem of(String what, Path folder, List<String> filesLookedAt, String expected) {
        StringBuilder sb = new StringBuilder(what)
                .append(" in ")
                .append(folder.toAbsolutePath().normalize())
                .append('\n');
        if (filesLookedAt.isEmpty()) {
            sb.append("  looked at no files: the folder (nested folders included) holds none\n");
        } else {
            sb.append("  looked at ")
                    .append(filesLookedAt.size())
                    .append(filesLookedAt.size() == 1 ? " file" : " files")
                    .append(" (nested folders included, .gz decompressed):\n");
            for (String f : filesLookedAt.subList(0, Math.min(LISTED_FILES, filesLookedAt.size())))
                sb.append("    ").append(f).append('\n');
            if (filesLookedAt.size() > LISTED_FILES)
                sb.append("    … and ")
                        .append(filesLookedAt.size() - LISTED_FILES)
                        .append(" more\n");
        }
        sb.append("  expected: ").append(expected);
        return new DatasetProblem(sb.toString());
    }
}
