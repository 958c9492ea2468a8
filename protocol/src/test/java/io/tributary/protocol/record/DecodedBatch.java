package io.tributary.protocol.record;

import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Every header field and every record of one batch, as plain values, so that what our reader and Kafka's
 * reader see of the same bytes can be compared with one {@code equals}. Buffers compare by content.
 */
record DecodedBatch(long baseOffset, long lastOffset, int sizeInBytes, int partitionLeaderEpoch, byte magic,
                    long checksum, String compression, String timestampType, boolean transactional, boolean control,
                    long deleteHorizonMs, long baseTimestamp, long maxTimestamp, long producerId, short producerEpoch,
                    int baseSequence, int lastSequence, int recordCount, List<DecodedRecord> records) {

    record DecodedHeader(String key, ByteBuffer value) {
    }

    record DecodedRecord(long offset, long timestamp, int sequence, ByteBuffer key, ByteBuffer value,
                         List<DecodedHeader> headers, int sizeInBytes) {
        DecodedRecord withoutSize() {
            return new DecodedRecord(offset, timestamp, sequence, key, value, headers, 0);
        }
    }

    List<DecodedRecord> recordsWithoutSizes() {
        return records.stream().map(DecodedRecord::withoutSize).toList();
    }

    /** What our view and reader make of the one batch in {@code buffer}. */
    static DecodedBatch ours(ByteBuffer buffer, RecordBatchReader reader) {
        RecordBatch batch = RecordBatch.at(buffer, buffer.position());
        List<DecodedRecord> records = new ArrayList<>();
        for (Record r : reader.read(batch)) {
            List<DecodedHeader> headers = new ArrayList<>();
            for (Header h : r.headers()) {
                headers.add(new DecodedHeader(h.key(), h.value()));
            }
            records.add(new DecodedRecord(r.offset(), r.timestamp(), r.sequence(), r.key(), r.value(), headers,
                r.sizeInBytes()));
        }
        return new DecodedBatch(batch.baseOffset(), batch.lastOffset(), batch.sizeInBytes(), batch.partitionLeaderEpoch(),
            batch.magic(), batch.checksum(), batch.compressionType().configName, batch.timestampType().configName,
            batch.isTransactional(), batch.isControlBatch(), batch.deleteHorizonMs(), batch.baseTimestamp(),
            batch.maxTimestamp(), batch.producerId(), batch.producerEpoch(), batch.baseSequence(), batch.lastSequence(),
            batch.recordCount(), records);
    }

    /**
     * What Kafka makes of the one batch in {@code buffer}, after Kafka's own {@code ensureValid()} (CRC and size
     * checks) has passed.
     */
    static DecodedBatch kafka(ByteBuffer buffer) {
        MemoryRecords memoryRecords = MemoryRecords.readableRecords(buffer.duplicate());
        List<MutableRecordBatch> batches = new ArrayList<>();
        memoryRecords.batches().forEach(batches::add);
        if (batches.size() != 1) {
            throw new AssertionError("Kafka sees " + batches.size() + " batches in " + buffer.remaining() + " bytes");
        }
        DefaultRecordBatch batch = (DefaultRecordBatch) batches.get(0);
        batch.ensureValid();
        List<DecodedRecord> records = new ArrayList<>();
        for (org.apache.kafka.common.record.internal.Record r : batch) {
            r.ensureValid();
            List<DecodedHeader> headers = new ArrayList<>();
            for (org.apache.kafka.common.header.Header h : r.headers()) {
                headers.add(new DecodedHeader(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
            }
            records.add(new DecodedRecord(r.offset(), r.timestamp(), r.sequence(), r.key(), r.value(), headers,
                r.sizeInBytes()));
        }
        return new DecodedBatch(batch.baseOffset(), batch.lastOffset(), batch.sizeInBytes(), batch.partitionLeaderEpoch(),
            batch.magic(), batch.checksum(), batch.compressionType().name, batch.timestampType().name,
            batch.isTransactional(), batch.isControlBatch(), batch.deleteHorizonMs().orElse(RecordBatch.NO_TIMESTAMP),
            batch.baseTimestamp(), batch.maxTimestamp(), batch.producerId(), batch.producerEpoch(), batch.baseSequence(),
            batch.lastSequence(), batch.countOrNull(), records);
    }
}
