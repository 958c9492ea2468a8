package io.tributary.log.validation;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Batches with a correct CRC32C over whatever records section a test wants, compressed or not: what a
 * careless or hostile producer can send.
 */
final class CraftedBatches {
    private CraftedBatches() {
    }

    /** The records section (after the 61-byte header) of {@code batch}, uncompressed as built. */
    static byte[] section(ByteBuffer batch) {
        byte[] bytes = new byte[batch.remaining() - RecordBatch.HEADER_SIZE];
        batch.duplicate().position(batch.position() + RecordBatch.HEADER_SIZE).get(bytes);
        return bytes;
    }

    /** {@code section} compressed with {@code type} as Kafka's producer writes it. */
    static byte[] compress(CompressionType type, byte[] section) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            Compression.of(type).compress(ByteBuffer.wrap(section), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A batch flagged {@code type} holding {@code payload} as its records section, declaring {@code count} records
     * (last offset delta count - 1), create time {@code baseTimestamp}..{@code maxTimestamp}, no producer, and a CRC
     * that matches.
     */
    static ByteBuffer batch(CompressionType type, byte[] payload, int count, long baseTimestamp, long maxTimestamp,
                            boolean logAppendTime) {
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + payload.length);
        batch.putLong(0L);
        batch.putInt(RecordBatch.HEADER_SIZE + payload.length - RecordBatch.LOG_OVERHEAD);
        batch.putInt(-1);
        batch.put(RecordBatch.MAGIC);
        batch.putInt(0);
        batch.putShort((short) (type.id | (logAppendTime ? 0x08 : 0)));
        batch.putInt(count - 1);
        batch.putLong(baseTimestamp);
        batch.putLong(maxTimestamp);
        batch.putLong(RecordBatch.NO_PRODUCER_ID);
        batch.putShort(RecordBatch.NO_PRODUCER_EPOCH);
        batch.putInt(RecordBatch.NO_SEQUENCE);
        batch.putInt(count);
        batch.put(payload);
        batch.flip();
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(batch, 0).computeChecksum());
        return batch;
    }

    /** {@code count} records with keys "k{i}" and values of {@code valueSize} bytes at {@code timestamp}, uncompressed. */
    static ByteBuffer records(int count, int valueSize, long timestamp) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (int i = 0; i < count; i++) {
            byte[] value = new byte[valueSize];
            for (int b = 0; b < valueSize; b++) {
                value[b] = (byte) (i * 7 + b);
            }
            builder.append(timestamp, ByteBuffer.wrap(("k" + i).getBytes()), ByteBuffer.wrap(value));
        }
        return builder.build();
    }

    /** {@code records} re-flagged and recompressed with {@code type}: the batch a Kafka producer would send. */
    static ByteBuffer compressed(CompressionType type, ByteBuffer records) {
        RecordBatch view = RecordBatch.at(records, records.position());
        byte[] section = section(records);
        byte[] payload = type == CompressionType.NONE ? section : compress(type, section);
        return batch(type, payload, view.recordCount(), view.baseTimestamp(), view.maxTimestamp(), false);
    }
}
