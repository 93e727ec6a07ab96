package org.hybridrerank.solr.model;

/**
 * A call reached a model after its core began to close it (shutdown, reload, a failed core load). Not the
 * request's fault and not the model's: the search side answers with its fail-open order, the index side with a
 * 503 naming the document, so that the client retries against a live core.
 */
public class ModelClosedException extends InferenceException {
    public ModelClosedException(String message) {
        super(message, null);
    }
}
