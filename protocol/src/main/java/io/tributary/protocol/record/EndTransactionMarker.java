package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A transaction marker: the one control record of a control batch that ends a producer's transaction in a
 * partition (Kafka's {@code EndTransactionMarker}). Written by the partition's leader when the transaction
 * coordinator says so (WriteTxnMarkers), never by clients.
 *
 * <p>Format, Kafka's (big-endian): the batch is transactional and control (attribute bits 4 and 5), carries the
 * producer id and epoch, base sequence -1, uncompressed, and holds one record whose
 * <pre>
 * key   = int16 version (0), int16 type (0 ABORT, 1 COMMIT)
 * value = int16 version (0), int32 coordinator epoch
 * </pre>
 * A reader accepts value versions above 0 (Kafka adds tagged fields in later versions) by reading the first
 * six bytes; a key of another length or a type outside {0, 1} is not a transaction marker.
 */
public record EndTransactionMarker(ControlType type, int coordinatorEpoch) {
    public static final short CURRENT_VERSION = 0;
    private static final int KEY_SIZE = 4;
    private static final int VALUE_SIZE = 6;

    /** The control record types that end a transaction, with Kafka's type codes. */
    public enum ControlType {
        ABORT((short) 0), COMMIT((short) 1);

        private final short code;

        ControlType(short code) {
            this.code = code;
        }

        public short code() {
            return code;
        }

        /** The type with this code, or null when the code names no transaction marker. */
        public static ControlType of(short code) {
            return code == 0 ? ABORT : code == 1 ? COMMIT : null;
        }
    }

    public EndTransactionMarker {
        if (type == null) {
            throw new IllegalArgumentException("A transaction marker needs a type");
        }
    }

    /** The control batch holding this marker for {@code producerId}/{@code producerEpoch} (base offset 0, to be stamped). */
    public ByteBuffer toBatch(long producerId, short producerEpoch, long timestamp) {
        ByteBuffer key = ByteBuffer.allocate(KEY_SIZE).putShort(CURRENT_VERSION).putShort(type.code).flip();
        ByteBuffer value = ByteBuffer.allocate(VALUE_SIZE).putShort(CURRENT_VERSION).putInt(coordinatorEpoch).flip();
        return new RecordBatchBuilder(Compression.none(), RecordBatch.HEADER_SIZE + 32)
            .producer(producerId, producerEpoch, RecordBatch.NO_SEQUENCE)
            .transactional(true)
            .control(true)
            .append(timestamp, key, value)
            .build();
    }

    /**
     * The marker a whole control batch holds.
     *
     * @throws InvalidRecordException when the batch is not a control batch or its record is not a transaction marker
     */
    public static EndTransactionMarker read(RecordBatch batch) {
        if (!batch.isControlBatch()) {
            throw new InvalidRecordException("Batch at offset " + batch.baseOffset() + " is not a control batch (attributes "
                + batch.attributes() + ")");
        }
        List<Record> records = RecordBatchReader.DEFAULT.read(batch);
        if (records.size() != 1) {
            throw new InvalidRecordException("Control batch at offset " + batch.baseOffset() + " holds " + records.size()
                + " records; a transaction marker batch holds one");
        }
        Record record = records.get(0);
        ByteBuffer key = record.key();
        ByteBuffer value = record.value();
        if (key == null || key.remaining() != KEY_SIZE) {
            throw new InvalidRecordException("Control record at offset " + batch.baseOffset() + " has a key of "
                + (key == null ? "null" : key.remaining() + " bytes") + "; a transaction marker's key has " + KEY_SIZE);
        }
        ControlType type = ControlType.of(key.getShort(key.position() + 2));
        if (type == null) {
            throw new InvalidRecordException("Control record at offset " + batch.baseOffset() + " has type "
                + key.getShort(key.position() + 2) + ", not a transaction marker (0 ABORT, 1 COMMIT)");
        }
        if (value == null || value.remaining() < VALUE_SIZE) {
            throw new InvalidRecordException("Transaction marker at offset " + batch.baseOffset() + " has a value of "
                + (value == null ? "null" : value.remaining() + " bytes") + ", fewer than " + VALUE_SIZE);
        }
        return new EndTransactionMarker(type, value.getInt(value.position() + 2));
    }
}
