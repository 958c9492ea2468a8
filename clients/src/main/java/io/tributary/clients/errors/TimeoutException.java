package io.tributary.clients.errors;

/**
 * An operation did not finish within its deadline: a request not answered within
 * {@code request.timeout.ms}, metadata for a topic not available within {@code max.block.ms}, a record not
 * delivered within {@code delivery.timeout.ms}. The message says what was waited for and for how long; the
 * cause, when there is one, is the last failure seen while waiting (a refused connection, for example).
 */
public class TimeoutException extends RetriableException {
    public TimeoutException(String message) {
        super(message);
    }

    public TimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
