package io.tributary.clients.errors;

/**
 * A blocking client call was interrupted. The thread's interrupt flag is set again when this is created, so
 * code further up still sees the interruption, as with Kafka's clients.
 */
public class InterruptException extends TributaryException {
    public InterruptException(String message, InterruptedException cause) {
        super(message, cause);
        Thread.currentThread().interrupt();
    }
}
