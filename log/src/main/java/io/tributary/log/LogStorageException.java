package io.tributary.log;

/**
 * An I/O failure of the disk under a log: the partition cannot serve until an operator acts.
 * The wire error is KAFKA_STORAGE_ERROR.
 */
public class LogStorageException extends RuntimeException {
    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }

    public LogStorageException(String message) {
        super(message);
    }
}
