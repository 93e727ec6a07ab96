package org.hybridrerank.solr.tools;

/**
 * A failure the user can fix (a busy port, a Solr that is not running, a collection that does not exist), told
 * in one line that names the flag to change. {@link Cli} prints the message alone and exits 2; the stack trace
 * only with {@code --verbose}.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
