package org.hybridrerank.solr.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a query and passages into model input with the model's own tokenizer. The query is tokenized once per
 * call, not once per passage: its characters are first capped (see {@link TextCap}), then its tokens at
 * {@code maxQueryLength}. Each passage is tokenized alone, and pairs are assembled with the tokenizer's own
 * pair template ({@link PairTemplate}); only the passage is truncated, split into overlapping windows, or cut
 * to the one window that best matches the query ({@link BestWindow}).
 * The result is token for token what the tokenizer's pair encoding with "truncate the second sequence only"
 * gives for the capped query. Whatever truncation or padding tokenizer.json carries is overridden: sequences
 * come out unpadded.
 */
public final class PairEncoder implements AutoCloseable {
    /** Every encode holds the native tokenizer; close waits for them (see NativeHandle). */
    private final NativeHandle<HuggingFaceTokenizer> tokenizer;

    private final PairTemplate template;
    private final int maxLength;
    private final int maxQueryLength;
    private final int windowOverlap;

    public PairEncoder(Path tokenizerFile, CrossEncoderSettings settings) {
        this.maxLength = settings.maxLength();
        this.maxQueryLength = settings.maxQueryLength();
        this.windowOverlap = settings.windowOverlap();
        NativeLibraryLogging.quietCudaProbe();
        HuggingFaceTokenizer plain = null;
        try {
            plain = builder(tokenizerFile).optAddSpecialTokens(false).build();
            try (HuggingFaceTokenizer withSpecials =
                    builder(tokenizerFile).optAddSpecialTokens(true).build()) {
                this.template = PairTemplate.learn(plain, withSpecials, tokenizerFile);
            }
        } catch (IOException | RuntimeException e) {
            if (plain != null) plain.close();
            if (e instanceof ModelLoadException m) throw m;
            throw new ModelLoadException("cannot load tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
        }
        this.tokenizer = new NativeHandle<>(plain, "tokenizer " + tokenizerFile, HuggingFaceTokenizer::close);
        int room = maxLength - maxQueryLength - template.specialTokens();
        if (room <= windowOverlap) {
            plain.close();
            throw new ModelLoadException(tokenizerFile + ": its pair template adds " + template.specialTokens()
                    + " special tokens, which leaves "
                    + room + " passage tokens with maxLength " + maxLength + " and maxQueryLength " + maxQueryLength
                    + "; the window overlap (" + windowOverlap + ") must be smaller");
        }
    }

    private static HuggingFaceTokenizer.Builder builder(Path tokenizerFile) {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(tokenizerFile)
                .optTruncation(false)
                .optPadding(false);
    }

    /** The query's token ids as the model sees them: characters capped, then at most {@code maxQueryLength}. */
    public long[] queryIds(String query) {
        String capped = TextCap.forTokens(query, maxQueryLength);
        return capped(tokenizer.use(t -> t.encode(capped, false, false)).getIds());
    }

    private long[] capped(long[] ids) {
        return ids.length <= maxQueryLength ? ids : Arrays.copyOf(ids, maxQueryLength);
    }

    /** The query cut after its {@code maxQueryLength}-th token, at the character boundary the tokenizer chose. */
    public String capQuery(String query) {
        String capped = TextCap.forTokens(query, maxQueryLength);
        Encoding encoding = tokenizer.use(t -> t.encode(capped, false, false));
        if (encoding.getIds().length <= maxQueryLength) return capped;
        CharSpan last = encoding.getCharTokenSpans()[maxQueryLength - 1];
        return capped.substring(0, last.getEnd());
    }

    /** How many tokens each text is on its own: no special tokens, no truncation (e.g. to fill a token budget). */
    public int[] tokenCounts(List<String> texts) {
        if (texts.isEmpty()) return new int[0];
        Encoding[] encoded = tokenizer.use(t -> t.batchEncode(texts, false, false));
        int[] counts = new int[encoded.length];
        for (int i = 0; i < encoded.length; i++) counts[i] = encoded[i].getIds().length;
        return counts;
    }

    /** One sequence per passage (truncate, best) or one per window (window), in passage order. */
    public List<EncodedSequence> encode(String query, List<String> passages, LongDocs longDocs) {
        return encodePairs(query, passages, longDocs).sequences();
    }

    /** The sequences of {@link #encode}, and per passage the characters they cover (none in window mode). */
    public EncodedPairs encodePairs(String query, List<String> passages, LongDocs longDocs) {
        String cappedQuery = TextCap.forTokens(query, maxQueryLength);
        Encoding queryEncoding = tokenizer.use(t -> t.encode(cappedQuery, false, false));
        long[] queryIds = capped(queryEncoding.getIds());
        BestWindow bestWindow = longDocs == LongDocs.BEST
                ? BestWindow.forQuery(queryIds, Arrays.copyOf(queryEncoding.getTokens(), queryIds.length))
                : null;
        int room = maxLength - template.specialTokens() - queryIds.length;
        Encoding[] encoded = longDocs == LongDocs.TRUNCATE ? headTokens(passages, room) : encodeAll(passages);
        List<EncodedSequence> out = new ArrayList<>(encoded.length);
        PassageSpan[] spans = longDocs == LongDocs.WINDOW ? null : new PassageSpan[encoded.length];
        for (int p = 0; p < encoded.length; p++) {
            long[] passage = encoded[p].getIds();
            if (passage.length <= room) {
                out.add(template.pair(p, queryIds, passage, 0, passage.length));
                if (spans != null) spans[p] = span(passages.get(p), encoded[p], 0, passage.length);
            } else if (longDocs == LongDocs.TRUNCATE) {
                out.add(template.pair(p, queryIds, passage, 0, room));
                spans[p] = span(passages.get(p), encoded[p], 0, room);
            } else if (longDocs == LongDocs.BEST) {
                int from = bestWindow.start(passage, room);
                out.add(template.pair(p, queryIds, passage, from, from + room));
                spans[p] = span(passages.get(p), encoded[p], from, from + room);
            } else {
                // windows of `room` tokens, each starting `room - overlap` after the previous, the last one ending at
                // the passage's end: the tokenizer's own overflow with a stride
                int step = room - windowOverlap;
                for (int from = 0; ; from += step) {
                    int to = Math.min(from + room, passage.length);
                    out.add(template.pair(p, queryIds, passage, from, to));
                    if (to == passage.length) break;
                }
            }
        }
        return new EncodedPairs(out, spans);
    }

    private Encoding[] encodeAll(List<String> texts) {
        return tokenizer.use(t -> t.batchEncode(texts, false, false));
    }

    /**
     * The tokens of each passage as far as truncation keeps them ({@code room}), the same ids and offsets as
     * tokenizing the whole passage: only the head is tokenized (tokenizing costs time in proportion to the
     * characters, and an abstract is several times longer than 128 tokens), cut at whitespace after
     * {@code room} × {@link TextCap#TRUNCATE_CHARS_PER_TOKEN} characters; a head that holds fewer than {@code room}
     * tokens is tokenized again whole.
     */
    private Encoding[] headTokens(List<String> passages, int room) {
        List<String> heads = new ArrayList<>(passages.size());
        for (String passage : passages) {
            heads.add(TextCap.atWhitespace(passage, (long) room * TextCap.TRUNCATE_CHARS_PER_TOKEN));
        }
        Encoding[] encoded = encodeAll(heads);
        List<Integer> again = new ArrayList<>();
        for (int p = 0; p < encoded.length; p++) {
            if (heads.get(p).length() < passages.get(p).length() && encoded[p].getIds().length < room) again.add(p);
        }
        if (!again.isEmpty()) {
            Encoding[] whole = encodeAll(again.stream().map(passages::get).toList());
            for (int i = 0; i < whole.length; i++) encoded[again.get(i)] = whole[i];
        }
        return encoded;
    }

    /** Characters of tokens {@code [from, to)}: from the first one's start to the last one's end. */
    private static PassageSpan span(String text, Encoding encoding, int from, int to) {
        if (from == to) return PassageSpan.EMPTY;
        CharSpan[] chars = encoding.getCharTokenSpans();
        int start = chars[from].getStart();
        int end = chars[to - 1].getEnd();
        // the tokenizer counts code points; a Java string index counts UTF-16 units (an emoji is two)
        int startIndex = text.offsetByCodePoints(0, start);
        return new PassageSpan(startIndex, text.offsetByCodePoints(startIndex, end - start));
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
