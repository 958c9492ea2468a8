package io.tributary.server.produce;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.Records;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a partition log back through the log's own read path and the protocol's record reader, since the
 * broker's fetch path is built elsewhere: every batch checked (CRC), every record decoded.
 */
final class StoredRecords {
    private StoredRecords() {
    }

    /** Every batch of the log, each a copy, in offset order. */
    static List<ByteBuffer> batches(PartitionLog log) {
        List<ByteBuffer> batches = new ArrayList<>();
        long next = log.logStartOffset();
        long end = log.logEndOffset();
        for (int reads = 0; next < end; reads++) {
            if (reads > 10_000_000) {
                throw new AssertionError("read loop of " + log + " did not reach offset " + end);
            }
            try (LogSlice slice = log.read(next, 1 << 20, true)) {
                if (slice.isEmpty()) {
                    throw new AssertionError("empty read at offset " + next + " below log end " + end + " of " + log);
                }
                ByteBuffer bytes = slice.readIntoHeap();
                for (RecordBatch batch : Records.wrap(bytes)) {
                    batch.ensureValid();
                    ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
                    ByteBuffer source = batch.buffer().duplicate();
                    source.limit(batch.start() + batch.sizeInBytes()).position(batch.start());
                    copy.put(source).flip();
                    batches.add(copy);
                    next = batch.nextOffset();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return batches;
    }

    /** Every record of the log, decoded, in offset order. */
    static List<Record> records(PartitionLog log) {
        List<Record> records = new ArrayList<>();
        for (ByteBuffer batch : batches(log)) {
            records.addAll(RecordBatchReader.DEFAULT.read(RecordBatch.at(batch, 0)));
        }
        return records;
    }
}
