package io.tributary.log;

import io.tributary.log.cleaner.LogCleaner;
import io.tributary.log.cleaner.LogCleanerConfig;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.compression.Compression;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Keyed batches for the compaction tests, and the log's content read back as (offset, timestamp, key, value). */
final class KeyedRecords {
    private KeyedRecords() {
    }

    /** One record as a consumer sees it; a null value is a tombstone. */
    record Entry(long offset, long timestamp, String key, String value) {
        boolean isTombstone() {
            return value == null;
        }
    }

    /** A key and a value (null for a tombstone), to append. */
    record KeyValue(String key, String value) {
    }

    static KeyValue kv(String key, String value) {
        return new KeyValue(key, value);
    }

    /** A batch (base offset 0, stamped by the log) of the given records, all at {@code timestamp}. */
    static ByteBuffer batch(Compression codec, long timestamp, List<KeyValue> records) {
        return batch(codec, timestamp, records, RecordBatch.NO_PRODUCER_ID, (short) -1, -1);
    }

    static ByteBuffer batch(Compression codec, long timestamp, List<KeyValue> records, long producerId, short epoch,
                            int baseSequence) {
        RecordBatchBuilder builder = new RecordBatchBuilder(codec);
        if (producerId != RecordBatch.NO_PRODUCER_ID) {
            builder.producer(producerId, epoch, baseSequence);
        }
        for (KeyValue record : records) {
            builder.append(timestamp, bytes(record.key()), bytes(record.value()));
        }
        return builder.build();
    }

    static ByteBuffer bytes(String s) {
        return s == null ? null : ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    static String string(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        byte[] bytes = new byte[b.remaining()];
        b.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Every batch of the log, each checked (CRC, framing), read through slices as a consumer would. Unlike
     * {@link LogTestSupport#readAll}, it accepts an end of data below the log end offset: compaction may remove
     * the last records, and a read past the last batch is then empty.
     */
    static List<RecordBatch> batches(PartitionLog log) {
        List<RecordBatch> batches = new ArrayList<>();
        long next = log.logStartOffset();
        for (int reads = 0; next < log.logEndOffset(); reads++) {
            if (reads > 1_000_000) {
                throw new AssertionError("read loop did not reach the end of " + log);
            }
            try (LogSlice slice = log.read(next, 64 * 1024, true)) {
                if (slice.isEmpty()) {
                    break;
                }
                ByteBuffer bytes = slice.readIntoHeap();
                for (RecordBatch view : TestBatches.split(bytes)) {
                    view.ensureValid();
                    if (view.baseOffset() < next && !batches.isEmpty()) {
                        throw new AssertionError("batch at " + view.baseOffset() + " read again after offset " + next);
                    }
                    ByteBuffer copy = ByteBuffer.allocate(view.sizeInBytes());
                    copy.put(bytes.duplicate().limit(view.start() + view.sizeInBytes()).position(view.start())).flip();
                    batches.add(RecordBatch.at(copy, 0));
                    next = view.nextOffset();
                }
                if (slice.nextOffset() != next) {
                    throw new AssertionError("slice says continue at " + slice.nextOffset() + " but its last batch ends before " + next);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return batches;
    }

    /** Every record of the log, in log order. */
    static List<Entry> entries(PartitionLog log) {
        List<Entry> entries = new ArrayList<>();
        for (RecordBatch batch : batches(log)) {
            entries.addAll(entries(batch));
        }
        return entries;
    }

    static List<Entry> entries(RecordBatch batch) {
        List<Entry> entries = new ArrayList<>();
        for (Record record : RecordBatchReader.DEFAULT.read(batch)) {
            entries.add(new Entry(record.offset(), record.timestamp(), string(record.key()), string(record.value())));
        }
        return entries;
    }

    /** The last record of each key among {@code entries}, tombstones included, by key in first-seen order. */
    static Map<String, Entry> latestPerKey(List<Entry> entries) {
        Map<String, Entry> latest = new LinkedHashMap<>();
        for (Entry entry : entries) {
            latest.put(entry.key(), entry);
        }
        return latest;
    }

    /** A cleaner with the given offset map budget and no background threads, for cleanNow. */
    static LogCleaner cleaner(ManualClock clock, long dedupeBytes) {
        return new LogCleaner(new LogCleanerConfig(true, 1, dedupeBytes, 64 * 1024, 1_000), clock, List::of);
    }
}
