package org.hybridrerank.solr.model;

/** The time budget ran out before every pair was scored. */
public class DeadlineExceededException extends RuntimeException {
    public DeadlineExceededException(String message) {
        super(message);
    }
}
