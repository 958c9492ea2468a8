package io.tributary.clients.errors;

/**
 * The record's batch was failed without being sent because its transaction is being aborted (the application
 * called {@code abortTransaction}, or an earlier error made the transaction abortable). The cause, when there
 * is one, is the error that made the transaction abortable. Kafka's name.
 */
public class TransactionAbortedException extends TributaryException {
    public TransactionAbortedException(String message, Throwable cause) {
        super(message, cause);
    }
}
