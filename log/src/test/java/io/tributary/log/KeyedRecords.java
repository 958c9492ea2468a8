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

    /** Every batch of the log, each checked (CRC, framing) by {@link LogTestSupport#readAll}. */
    static List<RecordBatch> batches(PartitionLog log) {
        List<RecordBatch> batches = new ArrayList<>();
        for (ByteBuffer batch : LogTestSupport.readAll(log)) {
            batches.add(RecordBatch.at(batch, 0));
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
