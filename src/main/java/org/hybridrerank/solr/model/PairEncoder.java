package org.hybridrerank.solr.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns a query and passages into model input with the model's own tokenizer: the tokenizer's post-processor
 * builds the pair ({@code [CLS] q [SEP] p [SEP]} for BERT, its own template for other families), only the
 * passage is truncated, and the query is first capped at {@code maxQueryLength} tokens. Whatever truncation
 * or padding tokenizer.json carries is overridden: sequences come out unpadded.
 *
 * <p>The tokenizer library aborts the whole JVM when a pair cannot be truncated to fit (a Rust panic), so
 * the invariant "capped query + special tokens + window overlap &lt; maxLength" is enforced by
 * {@link CrossEncoderSettings} and by {@link #capQuery} before any pair reaches it.
 */
public final class PairEncoder implements AutoCloseable {
  private final HuggingFaceTokenizer queryTokenizer;
  private final HuggingFaceTokenizer truncatingTokenizer;
  private final HuggingFaceTokenizer windowingTokenizer;
  private final int maxQueryLength;

  public PairEncoder(Path tokenizerFile, CrossEncoderSettings settings) {
    this.maxQueryLength = settings.maxQueryLength();
    try {
      queryTokenizer =
          HuggingFaceTokenizer.builder()
              .optTokenizerPath(tokenizerFile)
              .optAddSpecialTokens(false)
              .optTruncation(false)
              .optPadding(false)
              .build();
      // DJL silently caps maxLength at modelMaxLength (512 unless told): tell it the configured length
      Map<String, String> lengths = Map.of("modelMaxLength", Integer.toString(settings.maxLength()));
      truncatingTokenizer = pairTokenizer(tokenizerFile, lengths, settings).build();
      windowingTokenizer =
          pairTokenizer(tokenizerFile, lengths, settings)
              .optStride(settings.windowOverlap())
              .optWithOverflowingTokens(true)
              .build();
    } catch (IOException | RuntimeException e) {
      throw new ModelLoadException("cannot load tokenizer " + tokenizerFile + ": " + e.getMessage(), e);
    }
  }

  private static HuggingFaceTokenizer.Builder pairTokenizer(
      Path tokenizerFile, Map<String, String> lengths, CrossEncoderSettings settings) {
    return HuggingFaceTokenizer.builder(lengths)
        .optTokenizerPath(tokenizerFile)
        .optAddSpecialTokens(true)
        .optPadding(false)
        .optTruncateSecondOnly()
        .optMaxLength(settings.maxLength());
  }

  /** The query cut after its {@code maxQueryLength}-th token, at a character boundary the tokenizer chose. */
  public String capQuery(String query) {
    Encoding encoding = queryTokenizer.encode(query, false, false);
    long[] ids = encoding.getIds();
    if (ids.length <= maxQueryLength) {
      return query;
    }
    CharSpan last = encoding.getCharTokenSpans()[maxQueryLength - 1];
    return query.substring(0, last.getEnd());
  }

  /** One sequence per passage (truncate) or one per window (window), in passage order. */
  public List<EncodedSequence> encode(String query, List<String> passages, LongDocs longDocs) {
    String cappedQuery = capQuery(query);
    PairList<String, String> pairs = new PairList<>(passages.size());
    for (String passage : passages) {
      pairs.add(cappedQuery, passage);
    }
    boolean windows = longDocs == LongDocs.WINDOW;
    HuggingFaceTokenizer tokenizer = windows ? windowingTokenizer : truncatingTokenizer;
    Encoding[] encodings = tokenizer.batchEncode(pairs, true, windows);
    List<EncodedSequence> out = new ArrayList<>(encodings.length);
    for (int p = 0; p < encodings.length; p++) {
      out.add(new EncodedSequence(p, encodings[p].getIds(), encodings[p].getTypeIds()));
      if (windows) {
        for (Encoding window : encodings[p].getOverflowing()) {
          out.add(new EncodedSequence(p, window.getIds(), window.getTypeIds()));
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    queryTokenizer.close();
    truncatingTokenizer.close();
    windowingTokenizer.close();
  }
}
