package org.hybridrerank.solr.model;

/** A model directory that cannot be used; the message always names the offending path. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
