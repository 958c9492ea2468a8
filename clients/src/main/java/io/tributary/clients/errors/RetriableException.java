package io.tributary.clients.errors;

/**
 * A failure that may not happen again if the same operation is retried later: a lost connection, a leader
 * moving, a deadline that was too short. The clients retry these themselves within their time budgets
 * ({@code delivery.timeout.ms}, {@code default.api.timeout.ms}); one reaching the application means the
 * budget ran out.
 */
public class RetriableException extends TributaryException {
    public RetriableException(String message) {
        super(message);
    }

    public RetriableException(String message, Throwable cause) {
        super(message, cause);
    }
}
