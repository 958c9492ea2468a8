package io.tributary.protocol.record;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * A view of one Kafka v2 record batch (magic 2) inside a buffer, read and stamped in place without copying.
 *
 * <p>Layout (big-endian; offsets from the batch start):
 * <pre>
 *  0  baseOffset            int64
 *  8  batchLength           int32   bytes after this field, so the batch is batchLength + 12 bytes
 * 12  partitionLeaderEpoch  int32
 * 16  magic                 int8    always 2
 * 17  crc                   uint32  CRC32C of bytes [21, end): attributes through the last record
 * 21  attributes            int16   bits 0-2 compression, 3 timestamp type, 4 transactional,
 *                                   5 control, 6 delete horizon set (baseTimestamp is the horizon)
 * 23  lastOffsetDelta       int32
 * 27  baseTimestamp         int64
 * 35  maxTimestamp          int64
 * 43  producerId            int64
 * 51  producerEpoch         int16
 * 53  baseSequence          int32
 * 57  recordCount           int32
 * 61  records               recordCount records, compressed as a whole when compression != none
 * </pre>
 * The CRC does not cover base offset, length, leader epoch or magic, so a broker stamps offsets and the
 * leader epoch without recomputing it; only a log-append-time stamp (attributes and max timestamp) does.
 *
 * <p>The view is a flyweight: {@link #wrap} re-points it, so a scan over many batches allocates nothing.
 * It never moves the buffer's position or limit.
 */
public final class RecordBatch {
    public static final byte MAGIC = 2;

    public static final int BASE_OFFSET_OFFSET = 0;
    public static final int LENGTH_OFFSET = 8;
    public static final int PARTITION_LEADER_EPOCH_OFFSET = 12;
    public static final int MAGIC_OFFSET = 16;
    public static final int CRC_OFFSET = 17;
    public static final int ATTRIBUTES_OFFSET = 21;
    public static final int LAST_OFFSET_DELTA_OFFSET = 23;
    public static final int BASE_TIMESTAMP_OFFSET = 27;
    public static final int MAX_TIMESTAMP_OFFSET = 35;
    public static final int PRODUCER_ID_OFFSET = 43;
    public static final int PRODUCER_EPOCH_OFFSET = 51;
    public static final int BASE_SEQUENCE_OFFSET = 53;
    public static final int RECORD_COUNT_OFFSET = 57;
    public static final int RECORDS_OFFSET = 61;

    /** Base offset and length: the bytes in front of what {@code batchLength} counts. */
    public static final int LOG_OVERHEAD = 12;
    /** A batch with no records is exactly the header. */
    public static final int HEADER_SIZE = RECORDS_OFFSET;
    /** The smallest legal {@code batchLength}. */
    public static final int MIN_BATCH_LENGTH = HEADER_SIZE - LOG_OVERHEAD;

    public static final long NO_PRODUCER_ID = -1L;
    public static final short NO_PRODUCER_EPOCH = -1;
    public static final int NO_SEQUENCE = -1;
    public static final int NO_PARTITION_LEADER_EPOCH = -1;
    public static final long NO_TIMESTAMP = -1L;

    static final int TIMESTAMP_TYPE_MASK = 0x08;
    static final int TRANSACTIONAL_FLAG_MASK = 0x10;
    static final int CONTROL_FLAG_MASK = 0x20;
    static final int DELETE_HORIZON_FLAG_MASK = 0x40;
    /** Bits 7-15 are unused by every Kafka version. */
    static final int UNUSED_ATTRIBUTE_BITS = 0xFF80;

    private ByteBuffer buffer;
    private int start;

    private RecordBatch(ByteBuffer buffer, int start) {
        this.buffer = buffer;
        this.start = start;
    }

    /** A view of the batch starting at absolute index {@code start} of {@code buffer}. */
    public static RecordBatch at(ByteBuffer buffer, int start) {
        return new RecordBatch(buffer, start);
    }

    /** Re-points this view at another batch; returns {@code this}. */
    public RecordBatch wrap(ByteBuffer buffer, int start) {
        this.buffer = buffer;
        this.start = start;
        return this;
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Absolute index of the batch's first byte in {@link #buffer()}. */
    public int start() {
        return start;
    }

    public long baseOffset() {
        return buffer.getLong(start + BASE_OFFSET_OFFSET);
    }

    /** The length field: the batch's size minus {@link #LOG_OVERHEAD}. */
    public int batchLength() {
        return buffer.getInt(start + LENGTH_OFFSET);
    }

    /** The whole batch's size in bytes, header included. */
    public int sizeInBytes() {
        return LOG_OVERHEAD + batchLength();
    }

    public int partitionLeaderEpoch() {
        return buffer.getInt(start + PARTITION_LEADER_EPOCH_OFFSET);
    }

    public byte magic() {
        return buffer.get(start + MAGIC_OFFSET);
    }

    /** The stored checksum, unsigned. */
    public long checksum() {
        return Integer.toUnsignedLong(buffer.getInt(start + CRC_OFFSET));
    }

    public short attributes() {
        return buffer.getShort(start + ATTRIBUTES_OFFSET);
    }

    public CompressionType compressionType() {
        return CompressionType.forId(attributes() & CompressionType.ATTRIBUTE_MASK);
    }

    public TimestampType timestampType() {
        return (attributes() & TIMESTAMP_TYPE_MASK) == 0 ? TimestampType.CREATE_TIME : TimestampType.LOG_APPEND_TIME;
    }

    public boolean isTransactional() {
        return (attributes() & TRANSACTIONAL_FLAG_MASK) != 0;
    }

    public boolean isControlBatch() {
        return (attributes() & CONTROL_FLAG_MASK) != 0;
    }

    public boolean hasDeleteHorizon() {
        return (attributes() & DELETE_HORIZON_FLAG_MASK) != 0;
    }

    public int lastOffsetDelta() {
        return buffer.getInt(start + LAST_OFFSET_DELTA_OFFSET);
    }

    public long lastOffset() {
        return baseOffset() + lastOffsetDelta();
    }

    /** The offset after this batch: where the next batch in a log starts. */
    public long nextOffset() {
        return lastOffset() + 1;
    }

    public long baseTimestamp() {
        return buffer.getLong(start + BASE_TIMESTAMP_OFFSET);
    }

    public long maxTimestamp() {
        return buffer.getLong(start + MAX_TIMESTAMP_OFFSET);
    }

    /** With the delete-horizon bit set, the base timestamp field holds the horizon instead. */
    public long deleteHorizonMs() {
        return hasDeleteHorizon() ? baseTimestamp() : NO_TIMESTAMP;
    }

    public long producerId() {
        return buffer.getLong(start + PRODUCER_ID_OFFSET);
    }

    public short producerEpoch() {
        return buffer.getShort(start + PRODUCER_EPOCH_OFFSET);
    }

    public int baseSequence() {
        return buffer.getInt(start + BASE_SEQUENCE_OFFSET);
    }

    /** The sequence of the last record, wrapping past Integer.MAX_VALUE as Kafka's producer does. */
    public int lastSequence() {
        int base = baseSequence();
        if (base == NO_SEQUENCE) {
            return NO_SEQUENCE;
        }
        long last = (long) base + lastOffsetDelta();
        return (int) (last > Integer.MAX_VALUE ? last - Integer.MAX_VALUE - 1 : last);
    }

    public int recordCount() {
        return buffer.getInt(start + RECORD_COUNT_OFFSET);
    }

    /** CRC32C of attributes through the end of the batch, as it should be stored. */
    public long computeChecksum() {
        CRC32C crc = new CRC32C();
        int from = start + ATTRIBUTES_OFFSET;
        int to = start + sizeInBytes();
        ByteBuffer region = buffer.duplicate();
        region.limit(to).position(from);
        crc.update(region);
        return crc.getValue();
    }

    public boolean isChecksumValid() {
        return computeChecksum() == checksum();
    }

    /**
     * Checks what a reader must trust before using the batch: the buffer holds the whole batch, the
     * length is at least a header, magic is 2, and the checksum matches.
     *
     * @throws CorruptRecordException naming the field, its value and what was expected
     */
    public void ensureValid() {
        int available = buffer.limit() - start;
        if (available < HEADER_SIZE) {
            throw new CorruptRecordException("Record batch at offset " + baseOffset(available)
                + " is truncated: " + available + " bytes, a header alone is " + HEADER_SIZE);
        }
        int length = batchLength();
        if (length < MIN_BATCH_LENGTH) {
            throw new CorruptRecordException("Record batch length " + length + " is smaller than the minimum "
                + MIN_BATCH_LENGTH);
        }
        if ((long) length + LOG_OVERHEAD > available) {
            throw new CorruptRecordException("Record batch length " + length + " runs past the end of the "
                + available + " bytes available (needs " + ((long) length + LOG_OVERHEAD) + ")");
        }
        if (magic() != MAGIC) {
            throw new CorruptRecordException("Record batch magic is " + magic() + ", only " + MAGIC + " is supported");
        }
        long stored = checksum();
        long computed = computeChecksum();
        if (stored != computed) {
            throw new CorruptRecordException("Record batch CRC32C is " + stored + " but the bytes compute to "
                + computed + " (batch size " + sizeInBytes() + ")");
        }
    }

    private long baseOffset(int available) {
        return available >= 8 ? baseOffset() : -1;
    }

    public void setBaseOffset(long baseOffset) {
        buffer.putLong(start + BASE_OFFSET_OFFSET, baseOffset);
    }

    public void setPartitionLeaderEpoch(int epoch) {
        buffer.putInt(start + PARTITION_LEADER_EPOCH_OFFSET, epoch);
    }

    /**
     * Sets the max timestamp and the timestamp-type bit, then recomputes the CRC (both are covered by it).
     * A log-append-time broker calls this with its clock.
     */
    public void setMaxTimestamp(TimestampType type, long maxTimestamp) {
        int attributes = attributes() & 0xFFFF;
        int updated = type == TimestampType.LOG_APPEND_TIME
            ? attributes | TIMESTAMP_TYPE_MASK
            : attributes & ~TIMESTAMP_TYPE_MASK;
        if (updated == attributes && maxTimestamp() == maxTimestamp) {
            return;
        }
        buffer.putShort(start + ATTRIBUTES_OFFSET, (short) updated);
        buffer.putLong(start + MAX_TIMESTAMP_OFFSET, maxTimestamp);
        buffer.putInt(start + CRC_OFFSET, (int) computeChecksum());
    }

    /**
     * Walks the records of an uncompressed batch without decoding keys, values or headers, and checks that
     * they exactly fill the batch, that there are {@code recordCount} of them, and that their offset deltas
     * run 0, 1, 2, ... up to {@code lastOffsetDelta}. Compressed batches are not opened here. The log's append
     * validation ({@code io.tributary.log.validation}) checks more (keys, values, headers) in one walk for both.
     *
     * @throws InvalidRecordException naming the first rule broken
     */
    public void validateUncompressedRecords() {
        int end = start + sizeInBytes();
        ByteBuffer records = buffer.duplicate();
        records.limit(end).position(start + RECORDS_OFFSET);
        int count = recordCount();
        int index = 0;
        try {
            while (records.hasRemaining()) {
                int length = Varints.readVarint(records);
                int recordStart = records.position();
                if (length < 1 || length > end - recordStart) {
                    throw new InvalidRecordException("Record " + index + " of the batch claims " + length
                        + " bytes, but " + (end - recordStart) + " remain in the batch");
                }
                records.get(); // attributes, unused by every Kafka version
                Varints.readVarlong(records); // timestamp delta
                int offsetDelta = Varints.readVarint(records);
                if (records.position() > recordStart + length) {
                    throw new InvalidRecordException("Record " + index + " of the batch claims " + length
                        + " bytes, fewer than its own header");
                }
                if (offsetDelta != index) {
                    throw new InvalidRecordException("Record " + index + " of the batch has offset delta "
                        + offsetDelta + ", expected " + index);
                }
                records.position(recordStart + length);
                index++;
            }
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new InvalidRecordException("Record " + index + " of the batch is cut off by the batch end");
        }
        if (index != count) {
            throw new InvalidRecordException("Record batch declares " + count + " records but holds " + index);
        }
        if (count > 0 && lastOffsetDelta() != count - 1) {
            throw new InvalidRecordException("Record batch has last offset delta " + lastOffsetDelta() + " but its "
                + count + " records end at offset delta " + (count - 1));
        }
    }

    @Override
    public String toString() {
        return "RecordBatch(baseOffset=" + baseOffset() + ", size=" + sizeInBytes() + ", lastOffsetDelta="
            + lastOffsetDelta() + ", records=" + recordCount() + ", attributes=" + attributes() + ")";
    }
}
