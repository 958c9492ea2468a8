package io.tributary.log;

import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.Varints;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Builds uncompressed v2 batches for log tests: base offset 0 (the log stamps the real one), no producer,
 * one value per record, timestamps given per record.
 */
public final class TestBatches {
    private TestBatches() {
    }

    /** A batch of {@code timestamps.length} records, record i with timestamp timestamps[i] and a value of {@code valueSize} bytes. */
    public static ByteBuffer batch(long[] timestamps, int valueSize) {
        long base = timestamps[0];
        long max = Long.MIN_VALUE;
        List<byte[]> records = new ArrayList<>();
        int recordsSize = 0;
        for (int i = 0; i < timestamps.length; i++) {
            max = Math.max(max, timestamps[i]);
            byte[] value = new byte[valueSize];
            for (int b = 0; b < valueSize; b++) {
                value[b] = (byte) (i * 31 + b);
            }
            ByteBuffer body = ByteBuffer.allocate(64 + valueSize);
            body.put((byte) 0);
            Varints.writeVarlong(timestamps[i] - base, body);
            Varints.writeVarint(i, body);
            Varints.writeVarint(-1, body); // null key
            Varints.writeVarint(valueSize, body);
            body.put(value);
            Varints.writeVarint(0, body); // no headers
            body.flip();
            ByteBuffer record = ByteBuffer.allocate(5 + body.remaining());
            Varints.writeVarint(body.remaining(), record);
            record.put(body).flip();
            byte[] bytes = new byte[record.remaining()];
            record.get(bytes);
            records.add(bytes);
            recordsSize += bytes.length;
        }
        ByteBuffer batch = ByteBuffer.allocate(RecordBatch.HEADER_SIZE + recordsSize);
        batch.putLong(0L);
        batch.putInt(RecordBatch.HEADER_SIZE + recordsSize - RecordBatch.LOG_OVERHEAD);
        batch.putInt(0);
        batch.put(RecordBatch.MAGIC);
        batch.putInt(0); // crc, below
        batch.putShort((short) 0);
        batch.putInt(timestamps.length - 1);
        batch.putLong(base);
        batch.putLong(max);
        batch.putLong(RecordBatch.NO_PRODUCER_ID);
        batch.putShort(RecordBatch.NO_PRODUCER_EPOCH);
        batch.putInt(RecordBatch.NO_SEQUENCE);
        batch.putInt(timestamps.length);
        for (byte[] record : records) {
            batch.put(record);
        }
        batch.flip();
        CRC32C crc = new CRC32C();
        crc.update(batch.array(), RecordBatch.ATTRIBUTES_OFFSET, batch.limit() - RecordBatch.ATTRIBUTES_OFFSET);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
        return batch;
    }

    /** A batch of {@code count} records all stamped {@code timestamp}. */
    public static ByteBuffer batch(int count, long timestamp, int valueSize) {
        long[] timestamps = new long[count];
        java.util.Arrays.fill(timestamps, timestamp);
        return batch(timestamps, valueSize);
    }

    /** Several batches back to back, as one produce request carries them. */
    public static ByteBuffer concat(List<ByteBuffer> batches) {
        int total = batches.stream().mapToInt(ByteBuffer::remaining).sum();
        ByteBuffer all = ByteBuffer.allocate(total);
        for (ByteBuffer b : batches) {
            all.put(b.duplicate());
        }
        return all.flip();
    }

    /** Splits a buffer of whole batches into one view per batch. */
    public static List<RecordBatch> split(ByteBuffer buffer) {
        List<RecordBatch> batches = new ArrayList<>();
        int position = buffer.position();
        while (position < buffer.limit()) {
            RecordBatch batch = RecordBatch.at(buffer, position);
            batches.add(batch);
            position += batch.sizeInBytes();
        }
        return batches;
    }
}
