package org.hybridrerank.solr.testutil;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes tiny ONNX graphs (raw protobuf, no ONNX library needed) that break the cross-encoder or embedder
 * contract in known ways, each into a model directory with the oracle's tokenizer.json beside it.
 */
public final class OnnxGraphs {
    private OnnxGraphs() {}

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    /** The broken graphs the test configset names (fixed16, batch2), written under {@code dir}. */
    public static void writeTestConfigsetModels(Path dir) throws IOException {
        fixedSequenceLength(dir.resolve("fixed16"));
        fixedBatchOfTwo(dir.resolve("batch2"));
    }

    /** Declares a fixed sequence length of 16: loads fine, fails in ONNX Runtime on any other length. */
    public static Path fixedSequenceLength(Path dir) throws IOException {
        byte[] graph = graph(
                "fixed16",
                concat(
                        node(
                                "ReduceSum",
                                new String[] {"attention_mask"},
                                "summed",
                                intsAttribute("axes", 1),
                                intAttribute("keepdims", 1)),
                        node("Cast", new String[] {"summed"}, "logits", intAttribute("to", FLOAT))),
                concat(valueInfo("input_ids", INT64, "batch", 16), valueInfo("attention_mask", INT64, "batch", 16)),
                valueInfo("logits", FLOAT, "batch", 1));
        return writeModel(dir, graph);
    }

    /**
     * Declares a fixed batch of 2 rows (any sequence length), scoring the number of real tokens: with
     * batchSize 2, every full batch runs and a last batch of one row fails in ONNX Runtime, mid-request.
     */
    public static Path fixedBatchOfTwo(Path dir) throws IOException {
        byte[] graph = graph(
                "batch2",
                concat(
                        node(
                                "ReduceSum",
                                new String[] {"attention_mask"},
                                "summed",
                                intsAttribute("axes", 1),
                                intAttribute("keepdims", 1)),
                        node("Cast", new String[] {"summed"}, "logits", intAttribute("to", FLOAT))),
                concat(valueInfo("input_ids", INT64, 2, "sequence"), valueInfo("attention_mask", INT64, 2, "sequence")),
                valueInfo("logits", FLOAT, 2, 1));
        return writeModel(dir, graph);
    }

    /**
     * An "embedder" whose sentence vector is the 16 token ids as floats, declared for exactly 16 tokens: loads
     * with dimension 16, embeds 16-token texts, and fails in ONNX Runtime on any other length. Its config.json
     * says {@code max_length} 16, so the full-length probe at load passes and only a shorter text fails.
     */
    public static Path fixedLengthEmbedder(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"max_length\": 16}");
        byte[] graph = graph(
                "fixed16_embedder",
                node("Cast", new String[] {"input_ids"}, "sentence_embedding", intAttribute("to", FLOAT)),
                concat(valueInfo("input_ids", INT64, "batch", 16), valueInfo("attention_mask", INT64, "batch", 16)),
                valueInfo("sentence_embedding", FLOAT, "batch", 16));
        return writeModel(dir, graph);
    }

    /**
     * An embedder that fails in ONNX Runtime on any text holding the token {@code markerId} and embeds every
     * other text: token {@code t} gets the vector {@code [sin t, cos t, 1]} (mean-pooled and normalised by the
     * embedder, dimension 3). The failure is real: the marker turns a Gather index into 1 on a table of one row,
     * which ONNX Runtime refuses as out of bounds.
     */
    public static Path failsOnToken(Path dir, long markerId) throws IOException {
        byte[] graph = graph(
                "fails_on_token_" + markerId,
                concat(
                        node("Equal", new String[] {"input_ids", "marker"}, "is_marker"),
                        node("Cast", new String[] {"is_marker"}, "row", intAttribute("to", INT64)),
                        node("Gather", new String[] {"one_row", "row"}, "ones", intAttribute("axis", 0)),
                        node("Unsqueeze", new String[] {"input_ids"}, "ids", intsAttribute("axes", 2)),
                        node("Cast", new String[] {"ids"}, "ids_float", intAttribute("to", FLOAT)),
                        node("Sin", new String[] {"ids_float"}, "sin"),
                        node("Cos", new String[] {"ids_float"}, "cos"),
                        node(
                                "Concat",
                                new String[] {"sin", "cos", "ones"},
                                "token_embeddings",
                                intAttribute("axis", 2))),
                concat(int64Tensor("marker", markerId), floatTensor("one_row", new long[] {1, 1}, 1f)),
                concat(
                        valueInfo("input_ids", INT64, "batch", "sequence"),
                        valueInfo("attention_mask", INT64, "batch", "sequence")),
                valueInfo("token_embeddings", FLOAT, "batch", "sequence", 3));
        return writeModel(dir, graph);
    }

    /** Has input_ids but no attention_mask: must be refused at load. */
    public static Path withoutAttentionMask(Path dir) throws IOException {
        byte[] graph = graph(
                "no_mask",
                concat(
                        node(
                                "ReduceSum",
                                new String[] {"input_ids"},
                                "summed",
                                intsAttribute("axes", 1),
                                intAttribute("keepdims", 1)),
                        node("Cast", new String[] {"summed"}, "logits", intAttribute("to", FLOAT))),
                valueInfo("input_ids", INT64, "batch", "sequence"),
                valueInfo("logits", FLOAT, "batch", 1));
        return writeModel(dir, graph);
    }

    private static Path writeModel(Path dir, byte[] graph) throws IOException {
        Files.createDirectories(dir);
        ByteArrayOutputStream model = new ByteArrayOutputStream();
        varintField(model, 1, 7); // ir_version
        bytesField(model, 7, graph);
        ByteArrayOutputStream opset = new ByteArrayOutputStream();
        stringField(opset, 1, "");
        varintField(opset, 2, 11);
        bytesField(model, 8, opset.toByteArray());
        Files.write(dir.resolve("model.onnx"), model.toByteArray());
        Files.copy(
                OverlapOracle.dir().resolve("tokenizer.json"),
                dir.resolve("tokenizer.json"),
                StandardCopyOption.REPLACE_EXISTING);
        return dir;
    }

    private static byte[] graph(String name, byte[] nodes, byte[] inputs, byte[] outputs) {
        return graph(name, nodes, new byte[0], inputs, outputs);
    }

    private static byte[] graph(String name, byte[] nodes, byte[] initializers, byte[] inputs, byte[] outputs) {
        ByteArrayOutputStream g = new ByteArrayOutputStream();
        g.writeBytes(nodes);
        stringField(g, 2, name);
        g.writeBytes(initializers);
        g.writeBytes(inputs);
        // inputs were encoded as field 11, outputs need field 12
        g.writeBytes(retag(outputs, 11, 12));
        return g.toByteArray();
    }

    private static byte[] node(String op, String[] inputs, String output, byte[]... attributes) {
        ByteArrayOutputStream n = new ByteArrayOutputStream();
        for (String in : inputs) stringField(n, 1, in);
        stringField(n, 2, output);
        stringField(n, 4, op);
        for (byte[] a : attributes) bytesField(n, 5, a);
        ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
        bytesField(wrapped, 1, n.toByteArray());
        return wrapped.toByteArray();
    }

    private static byte[] intAttribute(String name, long value) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        stringField(a, 1, name);
        varintField(a, 3, value);
        varintField(a, 20, 2); // AttributeType.INT
        return a.toByteArray();
    }

    private static byte[] intsAttribute(String name, long value) {
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        stringField(a, 1, name);
        varintField(a, 8, value);
        varintField(a, 20, 7); // AttributeType.INTS
        return a.toByteArray();
    }

    /** A graph initializer (field 5): a one-element int64 tensor. */
    private static byte[] int64Tensor(String name, long value) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        varintField(t, 1, 1); // dims: [1]
        varintField(t, 2, INT64);
        varintField(t, 7, value); // int64_data
        stringField(t, 8, name);
        ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
        bytesField(wrapped, 5, t.toByteArray());
        return wrapped.toByteArray();
    }

    /** A graph initializer (field 5): a float tensor of {@code dims} filled with {@code value}. */
    private static byte[] floatTensor(String name, long[] dims, float value) {
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        long count = 1;
        for (long d : dims) {
            varintField(t, 1, d);
            count *= d;
        }
        varintField(t, 2, FLOAT);
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (long i = 0; i < count; i++) {
            int bits = Float.floatToIntBits(value);
            for (int b = 0; b < 4; b++) raw.write((bits >>> (8 * b)) & 0xff); // little-endian
        }
        stringField(t, 8, name);
        bytesField(t, 9, raw.toByteArray()); // raw_data
        ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
        bytesField(wrapped, 5, t.toByteArray());
        return wrapped.toByteArray();
    }

    /** A graph input (field 11) of a tensor; each dim is a name (symbolic) or a number. */
    private static byte[] valueInfo(String name, int elemType, Object... dims) {
        ByteArrayOutputStream shape = new ByteArrayOutputStream();
        for (Object dim : dims) {
            ByteArrayOutputStream d = new ByteArrayOutputStream();
            if (dim instanceof Integer size) varintField(d, 1, size);
            else stringField(d, 2, (String) dim);
            bytesField(shape, 1, d.toByteArray());
        }
        ByteArrayOutputStream tensor = new ByteArrayOutputStream();
        varintField(tensor, 1, elemType);
        bytesField(tensor, 2, shape.toByteArray());
        ByteArrayOutputStream type = new ByteArrayOutputStream();
        bytesField(type, 1, tensor.toByteArray());
        ByteArrayOutputStream info = new ByteArrayOutputStream();
        stringField(info, 1, name);
        bytesField(info, 2, type.toByteArray());
        ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
        bytesField(wrapped, 11, info.toByteArray());
        return wrapped.toByteArray();
    }

    private static byte[] retag(byte[] field, int from, int to) {
        if ((field[0] & 0xff) != ((from << 3) | 2)) throw new IllegalStateException("unexpected tag");
        byte[] out = field.clone();
        out[0] = (byte) ((to << 3) | 2);
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    private static void varint(ByteArrayOutputStream out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }

    private static void varintField(ByteArrayOutputStream out, int field, long value) {
        varint(out, (long) field << 3);
        varint(out, value);
    }

    private static void bytesField(ByteArrayOutputStream out, int field, byte[] value) {
        varint(out, ((long) field << 3) | 2);
        varint(out, value.length);
        out.writeBytes(value);
    }

    private static void stringField(ByteArrayOutputStream out, int field, String value) {
        bytesField(out, field, value.getBytes(StandardCharsets.UTF_8));
    }
}
