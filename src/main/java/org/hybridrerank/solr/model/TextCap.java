package org.hybridrerank.solr.model;

/**
 * Cuts text that is far longer than a model could read, before the tokenizer sees it: tokenizing costs time in
 * proportion to the characters, whatever is kept afterwards. The bound is generous (see
 * {@link #CHARS_PER_TOKEN}), so that text of real words is cut only well past the last token kept.
 */
final class TextCap {
    /**
     * Characters allowed per token kept. Word-piece vocabularies give about 4–6 characters per token in English;
     * 32 leaves room for long words, numbers and URLs, which split into several tokens anyway.
     */
    static final int CHARS_PER_TOKEN = 32;

    /** How far back a cut may move to land on whitespace rather than in the middle of a word. */
    private static final int WORD_BOUNDARY_REACH = 128;

    /**
     * Characters tokenized per token a truncated passage keeps ({@link #atWhitespace}): English word pieces are 4–6
     * characters; a passage with fewer tokens than that in its prefix is tokenized again whole.
     */
    static final int TRUNCATE_CHARS_PER_TOKEN = 8;

    private TextCap() {}

    /**
     * A prefix of {@code text} of at most {@code maxChars} characters that ends just before whitespace, or
     * {@code text} itself when it is that short or has no whitespace near the limit. Cutting only at whitespace keeps
     * every token before the cut what it is in the whole text (the tokenizers split words at whitespace first).
     */
    static String atWhitespace(String text, long maxChars) {
        if (text.length() <= maxChars) return text;
        int cut = (int) maxChars;
        for (int i = cut; i > 0 && i > cut - WORD_BOUNDARY_REACH; i--) {
            if (Character.isWhitespace(text.charAt(i))) return text.substring(0, i);
        }
        return text;
    }

    /** {@code text} itself if it fits in {@code tokens} × {@link #CHARS_PER_TOKEN} characters, else a prefix. */
    static String forTokens(String text, int tokens) {
        long maxChars = (long) tokens * CHARS_PER_TOKEN;
        if (text.length() <= maxChars) return text;
        int cut = (int) maxChars;
        for (int i = cut; i > 0 && i > cut - WORD_BOUNDARY_REACH; i--) {
            if (Character.isWhitespace(text.charAt(i))) return text.substring(0, i);
        }
        // no whitespace near the limit: one very long "word"; never split a surrogate pair
        if (Character.isLowSurrogate(text.charAt(cut)) && Character.isHighSurrogate(text.charAt(cut - 1))) cut--;
        return text.substring(0, cut);
    }
}
