package io.tributary.ops;

/**
 * An operation that could not be done, with a message for the operator (what, on which value, why). The
 * command line prints the message alone, never a stack trace, and exits with {@link Tributary#FAILED}.
 */
public final class OperationFailedException extends RuntimeException {
    public OperationFailedException(String message) {
        super(message);
    }

    public OperationFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
