package io.tributary.clients.errors;

/**
 * The root of every exception the Tributary clients throw or complete a future with. Unchecked, as in
 * Kafka's clients: most callers cannot recover from most failures and should not be forced to catch them.
 * Catch {@link RetriableException} to tell apart the failures that may clear up by themselves.
 */
public class TributaryException extends RuntimeException {
    public TributaryException(String message) {
        super(message);
    }

    public TributaryException(String message, Throwable cause) {
        super(message, cause);
    }
}
