package org.hybridrerank.solr.model;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.hybridrerank.solr.testutil.OverlapOracle;
import org.junit.Test;

/**
 * The dynamic-quantization check on byte streams and files; the shared int8 and fp32 models are checked in
 * DynamicQuantizationSharedIT.
 */
public class DynamicQuantizationTest {
    @Test
    public void theOracleIsNotQuantized() {
        assertFalse(DynamicQuantization.in(OverlapOracle.dir().resolve(ModelDirectory.MODEL_FILE)));
    }

    /** The answer is kept per file version: a file rewritten with the operator is read again. */
    @Test
    public void aChangedFileIsReadAgain() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("graph", ".onnx");
        try {
            java.nio.file.Files.write(file, new byte[100]);
            assertFalse(DynamicQuantization.in(file));
            byte[] quantized = new byte[200];
            System.arraycopy(DynamicQuantization.OPERATOR, 0, quantized, 50, DynamicQuantization.OPERATOR.length);
            java.nio.file.Files.write(file, quantized);
            assertTrue(DynamicQuantization.in(file));
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    public void findsTheOperatorNameWhereverItLies() throws Exception {
        byte[] needle = DynamicQuantization.OPERATOR;
        int size = 3 * (1 << 16);
        // at the start, straddling the first read's end, and as the last bytes of the stream
        for (int at : new int[] {0, (1 << 16) - 7, (1 << 16) - needle.length + 1, size - needle.length}) {
            byte[] data = new byte[size];
            System.arraycopy(needle, 0, data, at, needle.length);
            assertTrue("at " + at, DynamicQuantization.contains(new ByteArrayInputStream(data), needle));
        }
        byte[] partial = new byte[size];
        System.arraycopy(needle, 0, partial, (1 << 16) - 5, needle.length - 1); // one byte short
        assertFalse(DynamicQuantization.contains(new ByteArrayInputStream(partial), needle));
        assertFalse(DynamicQuantization.contains(
                new ByteArrayInputStream("DynamicQuantize".getBytes(StandardCharsets.US_ASCII)), needle));
    }
}
