package org.hybridrerank.solr.model;

/** Inference failed at run time (ONNX Runtime error, tokenizer error, unexpected output). */
public class InferenceException extends RuntimeException {
    public InferenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
