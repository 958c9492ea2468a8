package io.tributary.log;

/** An append is larger than a whole segment ({@code segment.bytes}). Wire error RECORD_LIST_TOO_LARGE. */
public class RecordBatchTooLargeException extends RuntimeException {
    public RecordBatchTooLargeException(String message) {
        super(message);
    }
}
