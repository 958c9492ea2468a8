package io.tributary.protocol.record;

/**
 * Record bytes that are damaged: a checksum mismatch, a wrong magic byte, a length that runs past the
 * buffer. The wire error is CORRUPT_MESSAGE.
 */
public class CorruptRecordException extends InvalidRecordException {
    public CorruptRecordException(String message) {
        super(message);
    }
}
