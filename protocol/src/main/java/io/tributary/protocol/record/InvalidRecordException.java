package io.tributary.protocol.record;

/**
 * Record bytes that are intact (their checksum matches) but break a rule of the format or of the log:
 * inconsistent counts or offsets, unknown attributes, sizes out of range. The wire error is INVALID_RECORD.
 */
public class InvalidRecordException extends RuntimeException {
    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
