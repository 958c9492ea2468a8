package io.tributary.protocol.record;

/**
 * Record bytes that are damaged: a checksum mismatch, a wrong magic byte, a length that runs past the
 * buffer, a compressed stream its codec cannot read. The wire error is CORRUPT_MESSAGE.
 */
public class CorruptRecordException extends InvalidRecordException {
    public CorruptRecordException(String message) {
        super(message);
    }

    /** Damage found in batch {@code batchIndex} of an append (record {@code recordIndex}, or {@link #NO_INDEX}). */
    public CorruptRecordException(String message, int batchIndex, int recordIndex) {
        super(message, batchIndex, recordIndex, java.util.List.of());
    }
}
