package org.hybridrerank.solr.model;

import java.util.Locale;

/** How token vectors become one text vector. */
public enum Pooling {
    /** Average of the real (unmasked) tokens' vectors: what sentence-transformers models are trained with. */
    MEAN,
    /** The first token's vector. */
    CLS;

    public static Pooling parse(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
