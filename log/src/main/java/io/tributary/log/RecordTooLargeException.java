package io.tributary.log;

/** One batch is larger than the topic's {@code max.message.bytes}. Wire error MESSAGE_TOO_LARGE. */
public class RecordTooLargeException extends RuntimeException {
    public RecordTooLargeException(String message) {
        super(message);
    }
}
