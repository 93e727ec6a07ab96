package org.hybridrerank.solr.model;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whether an ONNX graph quantizes its activations dynamically ({@code DynamicQuantizeLinear}): such a graph
 * computes one scale per tensor per call, so a row's output depends on the rows batched with it. ONNX Runtime's
 * Java API does not list a graph's operators; an operator type is stored as its plain name in the file, so a
 * byte search answers without parsing the protobuf. A graph without it is read to its end (about 0.2 s for
 * 90 MB), so the answer is kept per file version: core reloads do not read the file again.
 */
public final class DynamicQuantization {
    static final byte[] OPERATOR = "DynamicQuantizeLinear".getBytes(StandardCharsets.US_ASCII);

    private DynamicQuantization() {}

    private record FileVersion(Path file, long size, FileTime modified) {}

    private static final Map<FileVersion, Boolean> SEEN = new ConcurrentHashMap<>();

    public static boolean in(Path onnxFile) {
        try {
            Path file = onnxFile.toAbsolutePath().normalize();
            FileVersion version = new FileVersion(file, Files.size(file), Files.getLastModifiedTime(file));
            Boolean known = SEEN.get(version);
            if (known != null) return known;
            boolean found;
            try (InputStream in = Files.newInputStream(file)) {
                found = contains(in, OPERATOR);
            }
            SEEN.put(version, found);
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + onnxFile, e);
        }
    }

    /** Streams the input once; a match may straddle two reads. */
    static boolean contains(InputStream in, byte[] needle) throws IOException {
        byte[] buffer = new byte[1 << 16];
        int kept = 0; // bytes carried over from the previous read: a match's start may lie there
        for (int read; (read = in.read(buffer, kept, buffer.length - kept)) > 0; ) {
            int length = kept + read;
            for (int i = 0; i + needle.length <= length; i++) {
                if (matchesAt(buffer, i, needle)) return true;
            }
            kept = Math.min(needle.length - 1, length);
            System.arraycopy(buffer, length - kept, buffer, 0, kept);
        }
        return false;
    }

    private static boolean matchesAt(byte[] buffer, int offset, byte[] needle) {
        for (int j = 0; j < needle.length; j++) if (buffer[offset + j] != needle[j]) return false;
        return true;
    }
}
