package io.tributary.protocol;

/**
 * Bytes that do not decode as the message they claim to be: truncated, a length or count larger than what
 * remains, a negative length where null is not allowed, a varint longer than its type, an unknown API key,
 * bytes left over after the message. The one exception decoding throws for bad input; a broker answers
 * INVALID_REQUEST or closes the connection, and never sees BufferUnderflowException,
 * IndexOutOfBoundsException or an OutOfMemoryError from a claimed size.
 *
 * <p>The message names the offending value and the limit it broke, after where in the message it was
 * found, e.g. {@code "ProduceRequest v9 topic_data[0].partition_data[1].records: length 5000 exceeds the
 * 12 bytes remaining"}. Decoders add the location on the way out of each field, so the low-level reader
 * that detects the problem only states the value and the limit.
 */
public class MalformedMessageException extends RuntimeException {
    private final String detail;
    private String location = "";

    public MalformedMessageException(String detail) {
        super(detail);
        this.detail = detail;
    }

    /** Records that the failure happened inside field {@code name} of the enclosing struct. */
    public MalformedMessageException atField(String name) {
        location = location.isEmpty() || location.startsWith("[") ? name + location : name + "." + location;
        return this;
    }

    /** Records that the failure happened inside element {@code index} of the enclosing array. */
    public MalformedMessageException atIndex(int index) {
        location = "[" + index + "]" + (location.isEmpty() || location.startsWith("[") ? location : "." + location);
        return this;
    }

    /** Records the message (e.g. "ProduceRequest v9") in which the failure happened. */
    public MalformedMessageException inMessage(String message) {
        location = location.isEmpty() ? message : message + " " + location;
        return this;
    }

    /** What was wrong, without the location. */
    public String detail() {
        return detail;
    }

    @Override
    public String getMessage() {
        return location.isEmpty() ? detail : location + ": " + detail;
    }
}
