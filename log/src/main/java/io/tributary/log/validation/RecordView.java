package io.tributary.log.validation;

import java.nio.ByteBuffer;

/**
 * One record of a batch as the validator found it: where its fields lie in {@link #buffer()} (absolute indices;
 * the uncompressed batch itself, or the validator's window of decompressed bytes) and the values it decoded.
 * A flyweight: re-pointed at each record, valid only inside {@link RecordVisitor#visit}.
 */
public final class RecordView {
    ByteBuffer buffer;
    int index;
    int recordStart;
    int sizeInBytes;
    int offsetDelta;
    long timestamp;
    int keyPosition;
    int keyLength;
    int valuePosition;
    int valueLength;
    int headerCount;

    RecordView() {
    }

    /** The bytes the positions refer to; read with absolute gets, do not move its position. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** The record's index in its batch. */
    public int index() {
        return index;
    }

    /** Where the record starts (its length varint). */
    public int recordStart() {
        return recordStart;
    }

    /** The whole record, length varint included. */
    public int sizeInBytes() {
        return sizeInBytes;
    }

    public int offsetDelta() {
        return offsetDelta;
    }

    /** The record's timestamp as a consumer reads it (the batch's max timestamp for a LogAppendTime batch). */
    public long timestamp() {
        return timestamp;
    }

    /** -1 for a null key. */
    public int keyLength() {
        return keyLength;
    }

    public int keyPosition() {
        return keyPosition;
    }

    /** -1 for a null value. */
    public int valueLength() {
        return valueLength;
    }

    public int valuePosition() {
        return valuePosition;
    }

    public int headerCount() {
        return headerCount;
    }
}
