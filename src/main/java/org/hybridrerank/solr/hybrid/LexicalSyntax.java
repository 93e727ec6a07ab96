package org.hybridrerank.solr.hybrid;

import java.util.Locale;
import java.util.Set;

/**
 * How the lexical subquery reads the request's text ({@code hybrid.lexical.syntax}). Both run edismax over
 * {@code hybrid.qf}, so an ordinary query scores the same under either; they differ in what the text may say.
 */
public enum LexicalSyntax {
    /**
     * Words only: a hybrid search box receives natural language, where "AND", a colon or a quote is part of
     * what was asked, not an instruction. Upper-case topics such as "EFFECTS OF WEATHER AND TIME OF DAY" would
     * otherwise turn into required clauses, and "title:", "^3", "*" or a leading "-" would change the query.
     */
    TEXT,
    /** The text is edismax syntax: operators, phrases, field prefixes, wildcards and boosts apply. */
    EDISMAX;

    /** Characters that mean something to edismax (and the Lucene syntax under it) when not escaped. */
    private static final String SPECIAL = "\\+-!():^[]\"{}~*?|&;/";
    /** Whole words edismax reads as operators (lower case too under lowercaseOperators=true). */
    private static final Set<String> OPERATOR_WORDS = Set.of("and", "or", "not");

    /** The edismax input for the request's text. */
    String edismaxInput(String text) {
        return this == TEXT ? asWords(text) : text;
    }

    /**
     * Every special character escaped, and every operator word too (an escaped letter is a plain letter to
     * the parser), so that only the analyzer of each query field decides what the words are. Words are split
     * where edismax splits clauses ({@link Character#isWhitespace}).
     */
    static String asWords(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        int n = text.length();
        int i = 0;
        while (i < n) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                out.append(c);
                i++;
                continue;
            }
            int end = i;
            while (end < n && !Character.isWhitespace(text.charAt(end))) end++;
            if (OPERATOR_WORDS.contains(text.substring(i, end).toLowerCase(Locale.ROOT))) out.append('\\');
            for (; i < end; i++) {
                char w = text.charAt(i);
                if (SPECIAL.indexOf(w) >= 0) out.append('\\');
                out.append(w);
            }
        }
        return out.toString();
    }
}
