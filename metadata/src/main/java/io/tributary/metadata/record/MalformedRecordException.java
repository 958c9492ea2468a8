package io.tributary.metadata.record;

/** Bytes that are not a valid encoding of metadata records; {@link #position()} is where reading failed. */
public class MalformedRecordException extends RuntimeException {
    private final int position;

    public MalformedRecordException(String message, int position) {
        super(message + " at byte " + position);
        this.position = position;
    }

    public int position() {
        return position;
    }
}
