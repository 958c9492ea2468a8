package io.tributary.log;

/** A read or lookup below the log start offset or past the log end offset. Wire error OFFSET_OUT_OF_RANGE. */
public class OffsetOutOfRangeException extends RuntimeException {
    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}
