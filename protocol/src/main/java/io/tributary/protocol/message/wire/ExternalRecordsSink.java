package io.tributary.protocol.message.wire;

/**
 * Receives the external parts of a message as it is written: for each {@link ExternalRecords} value, the
 * position in the destination buffer at which its bytes belong. The bytes the encoder wrote before that
 * position go first, then the external bytes, then the encoder's bytes from that position on. Positions
 * arrive in increasing order.
 */
@FunctionalInterface
public interface ExternalRecordsSink {
    void append(int position, ExternalRecords records);

    /** A sink for messages that must not contain external records; meeting one is a programming error. */
    ExternalRecordsSink REJECT = (position, records) -> {
        throw new IllegalStateException("External records of " + records.sizeInBytes()
            + " bytes met at position " + position + " by an encoder that has no sink for them");
    };
}
