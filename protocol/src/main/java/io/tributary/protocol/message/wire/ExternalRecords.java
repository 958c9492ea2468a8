package io.tributary.protocol.message.wire;

/**
 * Record bytes that the encoder does not copy: only their length goes into the message, and the caller
 * sends the bytes themselves at the spot the encoder reports to an {@link ExternalRecordsSink} (for a
 * broker, a file region sent with sendfile). The length must be known when the message is sized and must
 * not change until the bytes are sent.
 */
public interface ExternalRecords {
    /** Exactly how many bytes the caller will send in place of this value. */
    int sizeInBytes();
}
