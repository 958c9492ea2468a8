package io.tributary.log.producer;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.compression.Compression;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Idempotent producers' batches for the producer-state tests, and reading a log's records back. */
final class ProducerBatches {
    private ProducerBatches() {
    }

    /** An uncompressed batch of {@code count} records "v{seq}" of a producer (or of none, producerId -1). */
    static ByteBuffer batch(long producerId, short epoch, int baseSequence, int count) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        if (producerId >= 0) {
            builder.producer(producerId, epoch, baseSequence);
        }
        for (int i = 0; i < count; i++) {
            builder.append(1_700_000_000_000L + i, ByteBuffer.wrap(("k" + i).getBytes(StandardCharsets.UTF_8)),
                ByteBuffer.wrap(("v" + (baseSequence + i)).getBytes(StandardCharsets.UTF_8)));
        }
        return builder.build();
    }

    /** Every record of the log, decoded (each batch's CRC checked), in offset order. */
    static List<Record> records(PartitionLog log) {
        List<Record> records = new ArrayList<>();
        long next = log.logStartOffset();
        long end = log.logEndOffset();
        for (int reads = 0; next < end; reads++) {
            if (reads > 1_000_000) {
                throw new AssertionError("read loop of " + log + " did not reach offset " + end);
            }
            try (LogSlice slice = log.read(next, 1 << 20, true)) {
                if (slice.isEmpty()) {
                    throw new AssertionError("empty read at offset " + next + " below log end " + end + " of " + log);
                }
                ByteBuffer bytes = slice.readIntoHeap();
                for (int position = bytes.position(); position < bytes.limit(); ) {
                    RecordBatch batch = RecordBatch.at(bytes, position);
                    batch.ensureValid();
                    records.addAll(RecordBatchReader.DEFAULT.read(batch));
                    next = batch.nextOffset();
                    position += batch.sizeInBytes();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return records;
    }

    static String value(Record record) {
        return StandardCharsets.UTF_8.decode(record.value()).toString();
    }
}
