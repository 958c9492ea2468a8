package io.tributary.groups.storage;

import io.tributary.log.AppendResult;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.Records;
import io.tributary.protocol.record.compression.Compression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;

/**
 * One partition of {@code __consumer_offsets} as the coordinator sees it: coordinator records go in as one
 * uncompressed v2 batch per state change (create time = the coordinator's clock, no producer id), and come
 * out again, in log order, when the partition is loaded.
 *
 * <p>Design note: a separate class so the state machine never touches batches or bytes, and so the replay
 * rule lives in one place: records are applied in offset order and the last record of a key wins, which
 * is exactly what a compacted topic keeps, so loading gives the same state before and after compaction.
 *
 * <p>Loading tolerates garbage: a batch that does not decode, a record whose key or value does not decode,
 * a record without a key, and control batches are skipped with a log line (counted in {@link LoadStats}),
 * never a failure; a record type another coordinator owns is skipped silently.
 *
 * <p>Not thread-safe: appends come from the partition's coordinator thread, loads happen before it serves.
 */
public final class OffsetsPartition {
    private static final Logger log = LoggerFactory.getLogger(OffsetsPartition.class);
    private final PartitionLog partitionLog;
    private final int loadReadBytes;

    /** @param loadReadBytes bytes read from the log per step while loading (whole batches, at least one) */
    public OffsetsPartition(PartitionLog partitionLog, int loadReadBytes) {
        if (partitionLog == null) {
            throw new IllegalArgumentException("No log for a partition of the offsets topic");
        }
        this.partitionLog = partitionLog;
        this.loadReadBytes = loadReadBytes;
    }

    public PartitionLog log() {
        return partitionLog;
    }

    /**
     * Appends the records as one batch and returns once the log holds it (the log's flush policy decides
     * when it is fsynced). Either all records are appended or, on an exception, none.
     *
     * @throws io.tributary.log.RecordTooLargeException above the topic's {@code max.message.bytes}
     * @throws io.tributary.log.LogStorageException     the log cannot be written
     */
    public AppendResult append(List<CoordinatorRecord> records, long nowMs) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("Nothing to append to " + partitionLog.topicPartition());
        }
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE, 128 * records.size());
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, OffsetsTopicFormat.key(record.key()), encodeValue(record.value()));
        }
        return partitionLog.append(batch.build(), LeaderEpochs.SINGLE_BROKER);
    }

    private static ByteBuffer encodeValue(Object value) {
        if (value == null) {
            return null;
        }
        return value instanceof OffsetCommitValue v ? OffsetsTopicFormat.offsetCommitValue(v)
            : OffsetsTopicFormat.groupMetadataValue((GroupMetadataValue) value);
    }

    /**
     * Appends the records as one transactional batch of the producer; they count only once the transaction's COMMIT
     * marker follows. Sequence 0 (Kafka writes none, which our batch builder refuses for a producer batch): the log
     * records coordinator batches without checking sequences, so nothing depends on it.
     */
    public AppendResult appendTransactional(List<CoordinatorRecord> records, long producerId, short producerEpoch, long nowMs) {
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE, 128 * records.size())
            .producer(producerId, producerEpoch, 0).transactional(true);
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, OffsetsTopicFormat.key(record.key()), encodeValue(record.value()));
        }
        return partitionLog.append(batch.build(), LeaderEpochs.SINGLE_BROKER);
    }

    /** The marker of a control batch, or null when it is not one (logged). */
    private EndTransactionMarker readMarker(RecordBatch batch) {
        try {
            return EndTransactionMarker.read(batch);
        } catch (RuntimeException e) {
            log.warn("Skipping an unreadable control batch at offset {} of {}: {}", batch.baseOffset(), partitionLog.topicPartition(),
                e.getMessage());
            return null;
        }
    }

    /** Receives the records of a partition in log order. */
    @FunctionalInterface
    public interface Replayer {
        void replay(CoordinatorRecord record, long offset);

        /** A record of a transactional batch of {@code producerId}: pending until its transaction's marker. */
        default void replayTransactional(CoordinatorRecord record, long offset, long producerId) {
            replay(record, offset);
        }

        /** The COMMIT ({@code commit}) or ABORT marker of {@code producerId}'s transaction. */
        default void endTransaction(long producerId, boolean commit) {
        }
    }

    /** What a load read. */
    public record LoadStats(long startOffset, long endOffset, long records, long skipped, long bytes) {
    }

    /** Replays every record from the log start offset to the log end offset as of this call. */
    public LoadStats load(Replayer replayer) {
        long start = partitionLog.logStartOffset();
        long end = partitionLog.logEndOffset();
        long offset = start;
        long records = 0;
        long skipped = 0;
        long bytes = 0;
        // each step moves past at least one batch, and there are at most end - start of them
        for (long step = 0; offset < end && step <= end - start; step++) {
            ByteBuffer buffer;
            try (LogSlice slice = partitionLog.read(offset, loadReadBytes, true)) {
                if (slice.isEmpty()) {
                    break;
                }
                buffer = slice.readIntoHeap();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + partitionLog.topicPartition() + " at offset " + offset, e);
            }
            bytes += buffer.remaining();
            long next = offset;
            Iterator<RecordBatch> batches;
            try {
                batches = Records.wrap(buffer).iterator();
                while (batches.hasNext()) {
                    RecordBatch batch = batches.next();
                    next = Math.max(next, batch.nextOffset());
                    if (batch.nextOffset() <= offset || batch.baseOffset() >= end) {
                        continue;
                    }
                    if (batch.isControlBatch()) {
                        EndTransactionMarker marker = readMarker(batch);
                        if (marker != null) {
                            replayer.endTransaction(batch.producerId(), marker.type() == EndTransactionMarker.ControlType.COMMIT);
                        } else {
                            skipped += batch.recordCount();
                        }
                        continue;
                    }
                    long txnProducer = batch.isTransactional() ? batch.producerId() : -1;
                    List<Record> decoded;
                    try {
                        decoded = RecordBatchReader.DEFAULT.read(batch);
                    } catch (InvalidRecordException e) {
                        log.warn("Skipping unreadable batch at offsets {}-{} of {}: {}", batch.baseOffset(), batch.lastOffset(),
                            partitionLog.topicPartition(), e.getMessage());
                        skipped += batch.recordCount();
                        continue;
                    }
                    for (Record record : decoded) {
                        if (record.offset() < offset) {
                            continue;
                        }
                        if (replayOne(record, replayer, txnProducer)) {
                            records++;
                        } else {
                            skipped++;
                        }
                    }
                }
            } catch (CorruptRecordException e) {
                log.warn("Stopping the load of {} at offset {}: {}", partitionLog.topicPartition(), next, e.getMessage());
                break;
            }
            if (next <= offset) {
                break;
            }
            offset = next;
        }
        return new LoadStats(start, end, records, skipped, bytes);
    }

    /** Replays one record; false if it was skipped. */
    private boolean replayOne(Record record, Replayer replayer, long txnProducer) {
        if (!record.hasKey()) {
            log.warn("Skipping a record without a key at offset {} of {}", record.offset(), partitionLog.topicPartition());
            return false;
        }
        CoordinatorRecord decoded;
        try {
            CoordinatorKey key = OffsetsTopicFormat.readKey(record.key());
            if (key == null) {
                return false;
            }
            Object value = null;
            if (record.hasValue()) {
                value = key instanceof OffsetCommitKey
                    ? OffsetsTopicFormat.readOffsetCommitValue(record.value())
                    : OffsetsTopicFormat.readGroupMetadataValue(record.value());
            }
            decoded = new CoordinatorRecord(key, value);
        } catch (MalformedMessageException | IllegalArgumentException e) {
            log.warn("Skipping an unreadable record at offset {} of {}: {}", record.offset(), partitionLog.topicPartition(),
                e.getMessage());
            return false;
        }
        if (txnProducer >= 0) {
            replayer.replayTransactional(decoded, record.offset(), txnProducer);
        } else {
            replayer.replay(decoded, record.offset());
        }
        return true;
    }
}
