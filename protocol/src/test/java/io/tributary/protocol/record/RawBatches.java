package io.tributary.protocol.record;

import java.nio.ByteBuffer;

/** Batches put together byte by byte, to feed readers what no correct writer produces. */
public final class RawBatches {
    private RawBatches() {
    }

    /**
     * A batch with a plain header (base offset 0, create time, no producer) around {@code recordsSection}, and a
     * correct CRC, so that readers get past {@link RecordBatch#ensureValid()} to the records.
     */
    public static ByteBuffer batch(CompressionType type, int recordCount, ByteBuffer recordsSection) {
        int size = RecordBatch.HEADER_SIZE + recordsSection.remaining();
        ByteBuffer batch = ByteBuffer.allocate(size);
        batch.putLong(RecordBatch.BASE_OFFSET_OFFSET, 0);
        batch.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        batch.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, -1);
        batch.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) type.id);
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, Math.max(0, recordCount - 1));
        batch.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, 0);
        batch.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, 0);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, -1);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, (short) -1);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, -1);
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, recordCount);
        batch.position(RecordBatch.RECORDS_OFFSET);
        batch.put(recordsSection.duplicate());
        batch.flip();
        resealChecksum(batch);
        return batch;
    }

    /** Recomputes the CRC of the batch at position 0 after its covered bytes were changed on purpose. */
    public static ByteBuffer resealChecksum(ByteBuffer batch) {
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(batch, 0).computeChecksum());
        return batch;
    }
}
