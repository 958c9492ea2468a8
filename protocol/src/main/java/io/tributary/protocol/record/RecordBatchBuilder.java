package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Writes one v2 record batch (layout in {@link RecordBatch}, records in {@link Record}): set the header fields,
 * append records, then {@link #build()} a buffer holding the complete batch with its CRC32C.
 *
 * <p>Output is byte-identical to Kafka's {@code MemoryRecordsBuilder} for the same inputs (and, for the codecs,
 * the same compression library versions): records carry attributes 0, timestamp deltas from the first record's
 * timestamp (or from the delete horizon when one is set), and offset deltas from the base offset; the max
 * timestamp is the largest record timestamp, never below -1, or the log-append time for
 * {@link TimestampType#LOG_APPEND_TIME}. The producer-state rules are Kafka's too, checked at build:
 * transactional batches need a producer id, and with a producer id the epoch must not be -1 and (outside
 * control batches) the base sequence must not be negative.
 *
 * <p>Records are encoded as they are appended, straight into a growing heap buffer with room for the header in
 * front, so an uncompressed batch is built without copying; a compressed batch is compressed once, at build.
 * Keys, values and header values are copied in at append, so the caller may reuse its buffers afterwards.
 *
 * <p>Not thread-safe; one builder makes one batch.
 */
public final class RecordBatchBuilder {
    private static final int DEFAULT_INITIAL_CAPACITY = 512;
    /** Arrays a little smaller than Integer.MAX_VALUE are the largest every JVM allocates. */
    private static final int MAX_BATCH_SIZE = Integer.MAX_VALUE - 8;

    private final Compression compression;
    private long baseOffset;
    private int partitionLeaderEpoch = RecordBatch.NO_PARTITION_LEADER_EPOCH;
    private TimestampType timestampType = TimestampType.CREATE_TIME;
    private long logAppendTime = RecordBatch.NO_TIMESTAMP;
    private long producerId = RecordBatch.NO_PRODUCER_ID;
    private short producerEpoch = RecordBatch.NO_PRODUCER_EPOCH;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    private boolean transactional;
    private boolean control;
    private long deleteHorizonMs = RecordBatch.NO_TIMESTAMP;

    /** Header space, then the uncompressed records. Null once built. */
    private ByteBuffer buffer;
    private int recordCount;
    private long lastOffset;
    private long baseTimestamp;
    private long maxTimestamp = RecordBatch.NO_TIMESTAMP;

    public RecordBatchBuilder(Compression compression) {
        this(compression, DEFAULT_INITIAL_CAPACITY);
    }

    /** @param initialCapacity bytes to allocate up front for header and uncompressed records; grows as needed */
    public RecordBatchBuilder(Compression compression, int initialCapacity) {
        if (compression == null) {
            throw new IllegalArgumentException("Compression cannot be null; use Compression.NONE");
        }
        this.compression = compression;
        this.buffer = ByteBuffer.allocate(Math.max(initialCapacity, RecordBatch.HEADER_SIZE));
        this.buffer.position(RecordBatch.HEADER_SIZE);
    }

    /** The offset of the first record; default 0 (a producer's batches are re-stamped by the broker). */
    public RecordBatchBuilder baseOffset(long baseOffset) {
        ensureNoRecords("base offset");
        this.baseOffset = baseOffset;
        return this;
    }

    public RecordBatchBuilder partitionLeaderEpoch(int partitionLeaderEpoch) {
        ensureOpen();
        this.partitionLeaderEpoch = partitionLeaderEpoch;
        return this;
    }

    /**
     * Marks the batch {@link TimestampType#LOG_APPEND_TIME} with {@code appendTime} as its max timestamp. Records
     * keep the timestamps they are appended with, but readers report {@code appendTime} for all of them.
     */
    public RecordBatchBuilder logAppendTime(long appendTime) {
        ensureOpen();
        this.timestampType = TimestampType.LOG_APPEND_TIME;
        this.logAppendTime = appendTime;
        return this;
    }

    /** Back to {@link TimestampType#CREATE_TIME}, the default. */
    public RecordBatchBuilder createTime() {
        ensureOpen();
        this.timestampType = TimestampType.CREATE_TIME;
        this.logAppendTime = RecordBatch.NO_TIMESTAMP;
        return this;
    }

    /** Idempotent-producer state: the producer id and epoch, and the sequence of the first record. */
    public RecordBatchBuilder producer(long producerId, short producerEpoch, int baseSequence) {
        ensureOpen();
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        return this;
    }

    /** Attribute bit 4; a transactional batch needs a producer id. */
    public RecordBatchBuilder transactional(boolean transactional) {
        ensureOpen();
        this.transactional = transactional;
        return this;
    }

    /** Attribute bit 5: the records are control records (transaction markers), whose contents are the caller's. */
    public RecordBatchBuilder control(boolean control) {
        ensureOpen();
        this.control = control;
        return this;
    }

    /**
     * Sets attribute bit 6 and puts {@code deleteHorizonMs} in the base timestamp field, as compaction does
     * once it has removed a batch's tombstones' deletion horizon; record timestamp deltas are then taken from
     * it. A negative value clears it (the default). Must be set before the first record.
     */
    public RecordBatchBuilder deleteHorizonMs(long deleteHorizonMs) {
        ensureNoRecords("delete horizon");
        this.deleteHorizonMs = deleteHorizonMs < 0 ? RecordBatch.NO_TIMESTAMP : deleteHorizonMs;
        return this;
    }

    /** Appends a record without headers at the next offset. */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value) {
        return append(timestamp, key, value, List.of());
    }

    /**
     * Appends a record at the next offset: the base offset for the first record, then one past the last.
     *
     * @param timestamp ms since the epoch, or -1 (no timestamp); other negatives are rejected, as Kafka does
     * @param key       null, or the remaining bytes (position not moved)
     * @param value     null, or the remaining bytes (position not moved)
     * @param headers   not null; may be empty
     */
    public RecordBatchBuilder append(long timestamp, ByteBuffer key, ByteBuffer value, List<Header> headers) {
        return appendWithOffset(recordCount == 0 ? baseOffset : lastOffset + 1, timestamp, key, value, headers);
    }

    /**
     * Appends a record at {@code offset}, which must be at least the base offset, larger than the last
     * record's, and within Integer.MAX_VALUE of the base offset. Gaps are allowed, as compaction leaves them.
     */
    public RecordBatchBuilder appendWithOffset(long offset, long timestamp, ByteBuffer key, ByteBuffer value,
                                               List<Header> headers) {
        ensureOpen();
        if (timestamp < 0 && timestamp != RecordBatch.NO_TIMESTAMP) {
            throw new IllegalArgumentException("Record timestamp " + timestamp + " is negative and not -1 (no timestamp)");
        }
        if (headers == null) {
            throw new IllegalArgumentException("Record headers cannot be null; pass an empty list");
        }
        if (recordCount > 0 && offset <= lastOffset) {
            throw new IllegalArgumentException("Record offset " + offset + " does not follow the previous offset "
                + lastOffset + " (offsets must increase)");
        }
        long delta = offset - baseOffset;
        if (offset < baseOffset || delta > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Record offset " + offset + " is out of range [" + baseOffset + ", "
                + (baseOffset + Integer.MAX_VALUE) + "] for base offset " + baseOffset);
        }
        if (recordCount == Integer.MAX_VALUE) {
            throw new IllegalStateException("A batch holds at most " + Integer.MAX_VALUE + " records");
        }
        if (recordCount == 0) {
            baseTimestamp = deleteHorizonMs >= 0 ? deleteHorizonMs : timestamp;
        }
        int offsetDelta = (int) delta;
        long timestampDelta = timestamp - baseTimestamp;
        int keySize = key == null ? -1 : key.remaining();
        int valueSize = value == null ? -1 : value.remaining();

        long bodySize = 1L + Varints.sizeOfVarlong(timestampDelta) + Varints.sizeOfVarint(offsetDelta)
            + Varints.sizeOfVarint(keySize) + Math.max(keySize, 0)
            + Varints.sizeOfVarint(valueSize) + Math.max(valueSize, 0)
            + Varints.sizeOfVarint(headers.size());
        for (Header header : headers) {
            bodySize += header.sizeInBytes();
        }
        if (bodySize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("Record of " + bodySize + " bytes is larger than a batch can hold ("
                + MAX_BATCH_SIZE + ")");
        }
        ensureRoom(Varints.sizeOfVarint((int) bodySize) + bodySize);

        Varints.writeVarint((int) bodySize, buffer);
        buffer.put((byte) 0);
        Varints.writeVarlong(timestampDelta, buffer);
        Varints.writeVarint(offsetDelta, buffer);
        writeBytes(key, keySize);
        writeBytes(value, valueSize);
        Varints.writeVarint(headers.size(), buffer);
        for (Header header : headers) {
            header.writeTo(buffer);
        }

        recordCount++;
        lastOffset = offset;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
        return this;
    }

    public int recordCount() {
        return recordCount;
    }

    /** The batch's size so far if it were not compressed: header plus encoded records. */
    public int uncompressedSizeInBytes() {
        ensureOpen();
        return buffer.position();
    }

    public Compression compression() {
        return compression;
    }

    /**
     * Finishes the batch: compresses the records if asked, writes the header and the CRC32C.
     *
     * @return a buffer holding exactly the batch, position 0, limit its size
     * @throws IllegalStateException if no record was appended, or the builder was already built
     * @throws IllegalArgumentException if the producer state breaks Kafka's rules (see the class comment)
     */
    public ByteBuffer build() {
        ensureOpen();
        if (recordCount == 0) {
            throw new IllegalStateException("A record batch needs at least one record");
        }
        validateProducerState();
        ByteBuffer batch = compression.type() == CompressionType.NONE ? buffer : compressed();
        buffer = null;

        int size = batch.position();
        int attributes = compression.type().id
            | (timestampType == TimestampType.LOG_APPEND_TIME ? RecordBatch.TIMESTAMP_TYPE_MASK : 0)
            | (transactional ? RecordBatch.TRANSACTIONAL_FLAG_MASK : 0)
            | (control ? RecordBatch.CONTROL_FLAG_MASK : 0)
            | (deleteHorizonMs >= 0 ? RecordBatch.DELETE_HORIZON_FLAG_MASK : 0);
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, baseOffset);
        batch.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, partitionLeaderEpoch);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) attributes);
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, (int) (lastOffset - baseOffset));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, baseTimestamp);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET,
            timestampType == TimestampType.LOG_APPEND_TIME ? logAppendTime : maxTimestamp);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
        batch.limit(size).position(0);
        RecordBatch view = RecordBatch.at(batch, 0);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) view.computeChecksum());
        return batch;
    }

    /** A new buffer: header space, then the records compressed. */
    private ByteBuffer compressed() {
        ByteBuffer records = buffer.duplicate().flip().position(RecordBatch.HEADER_SIZE);
        GrowingOutput out = new GrowingOutput(RecordBatch.HEADER_SIZE + Math.max(64, records.remaining() / 2));
        try {
            compression.compress(records, out);
        } catch (IOException e) {
            // GrowingOutput never throws; a codec library failing to compress is not the caller's input.
            throw new UncheckedIOException("Compressing " + records.remaining() + " bytes with " + compression + " failed", e);
        }
        return out.buffer;
    }

    private void validateProducerState() {
        if (transactional && producerId == RecordBatch.NO_PRODUCER_ID) {
            throw new IllegalArgumentException("A transactional batch needs a producer id, got " + producerId);
        }
        if (producerId != RecordBatch.NO_PRODUCER_ID) {
            if (producerEpoch == RecordBatch.NO_PRODUCER_EPOCH) {
                throw new IllegalArgumentException("Producer id " + producerId + " needs an epoch, got " + producerEpoch);
            }
            if (baseSequence < 0 && !control) {
                throw new IllegalArgumentException("Producer id " + producerId + " needs a base sequence of 0 or more, got "
                    + baseSequence);
            }
        }
    }

    private void writeBytes(ByteBuffer bytes, int size) {
        Varints.writeVarint(size, buffer);
        if (bytes != null) {
            buffer.put(bytes.duplicate());
        }
    }

    private void ensureRoom(long bytes) {
        long needed = buffer.position() + bytes;
        if (needed > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("Appending " + bytes + " bytes would make the batch " + needed
                + " bytes, more than the largest batch (" + MAX_BATCH_SIZE + ")");
        }
        if (needed > buffer.capacity()) {
            buffer = grow(buffer, (int) needed);
        }
    }

    private static ByteBuffer grow(ByteBuffer buffer, int needed) {
        int capacity = (int) Math.min(MAX_BATCH_SIZE, Math.max(needed, 2L * buffer.capacity()));
        ByteBuffer grown = ByteBuffer.allocate(capacity);
        grown.put(buffer.flip());
        return grown;
    }

    private void ensureOpen() {
        if (buffer == null) {
            throw new IllegalStateException("The batch was already built");
        }
    }

    private void ensureNoRecords(String field) {
        ensureOpen();
        if (recordCount > 0) {
            throw new IllegalStateException("The " + field + " must be set before the first record; "
                + recordCount + " were appended");
        }
    }

    /** The compressor's sink: a heap buffer starting after the header space, doubling as it fills. */
    private static final class GrowingOutput extends OutputStream {
        ByteBuffer buffer;

        GrowingOutput(int initialCapacity) {
            buffer = ByteBuffer.allocate(initialCapacity);
            buffer.position(RecordBatch.HEADER_SIZE);
        }

        @Override
        public void write(int b) {
            ensureRoom(1);
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            ensureRoom(len);
            buffer.put(b, off, len);
        }

        private void ensureRoom(int bytes) {
            long needed = (long) buffer.position() + bytes;
            if (needed > MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("The compressed batch would be " + needed
                    + " bytes, more than the largest batch (" + MAX_BATCH_SIZE + ")");
            }
            if (needed > buffer.capacity()) {
                buffer = grow(buffer, (int) needed);
            }
        }
    }
}
