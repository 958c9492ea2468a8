package io.tributary.groups.storage;

import io.tributary.log.AppendResult;
import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.compression.Compression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
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

    /** @param loadReadBytes bytes read from the log per I/O call while loading (a larger batch is read whole) */
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
     * Appends the records as one batch stamped with {@code leaderEpoch} (the partition's leader epoch, as every
     * leader's append carries: followers truncate by it after a failover) and returns once the local log holds it (the
     * log's flush policy decides when it is fsynced; the followers are the caller's to wait for). Either all records
     * are appended or, on an exception, none.
     *
     * @throws io.tributary.log.RecordTooLargeException above the topic's {@code max.message.bytes}
     * @throws io.tributary.log.LogStorageException     the log cannot be written
     */
    public AppendResult append(List<CoordinatorRecord> records, long nowMs, int leaderEpoch) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("Nothing to append to " + partitionLog.topicPartition());
        }
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE, 128 * records.size());
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, OffsetsTopicFormat.key(record.key()), encodeValue(record.value()));
        }
        return partitionLog.append(batch.build(), leaderEpoch);
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
    public AppendResult appendTransactional(List<CoordinatorRecord> records, long producerId, short producerEpoch, long nowMs,
                                            int leaderEpoch) {
        RecordBatchBuilder batch = new RecordBatchBuilder(Compression.NONE, 128 * records.size())
            .producer(producerId, producerEpoch, 0).transactional(true);
        for (CoordinatorRecord record : records) {
            batch.append(nowMs, OffsetsTopicFormat.key(record.key()), encodeValue(record.value()));
        }
        return partitionLog.append(batch.build(), leaderEpoch);
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

    /**
     * Replays every record from the log start offset to the log end offset as of this call, walking the batches
     * with the log's own batch walker ({@link PartitionLog#forEachBatch}); a batch whose framing or checksum is
     * broken ends the load there (nothing after it can be trusted to be a batch boundary).
     */
    public LoadStats load(Replayer replayer) {
        long start = partitionLog.logStartOffset();
        long end = partitionLog.logEndOffset();
        Replay replay = new Replay(start, end, replayer);
        try {
            partitionLog.forEachBatch(start, loadReadBytes, replay::batch);
        } catch (CorruptRecordException | LogStorageException e) {
            if (e.getCause() instanceof java.io.IOException) {
                throw e; // the disk failed, not the data: a partial load must not be served
            }
            log.warn("Stopping the load of {} at offset {}: {}", partitionLog.topicPartition(), replay.next, e.getMessage());
        }
        return new LoadStats(start, end, replay.records, replay.skipped, replay.bytes);
    }

    /** One load's walk: the counts so far and the offset it has reached. */
    private final class Replay {
        private final long start;
        private final long end;
        private final Replayer replayer;
        private long next;
        private long records;
        private long skipped;
        private long bytes;

        Replay(long start, long end, Replayer replayer) {
            this.start = start;
            this.end = end;
            this.replayer = replayer;
            this.next = start;
        }

        void batch(RecordBatch batch) {
            if (batch.baseOffset() >= end) {
                return;
            }
            bytes += batch.sizeInBytes();
            next = Math.max(next, batch.nextOffset());
            if (batch.isControlBatch()) {
                EndTransactionMarker marker = readMarker(batch);
                if (marker != null) {
                    replayer.endTransaction(batch.producerId(), marker.type() == EndTransactionMarker.ControlType.COMMIT);
                } else {
                    skipped += batch.recordCount();
                }
                return;
            }
            long txnProducer = batch.isTransactional() ? batch.producerId() : -1;
            List<Record> decoded;
            try {
                decoded = RecordBatchReader.DEFAULT.read(batch);
            } catch (InvalidRecordException e) {
                log.warn("Skipping unreadable batch at offsets {}-{} of {}: {}", batch.baseOffset(), batch.lastOffset(),
                    partitionLog.topicPartition(), e.getMessage());
                skipped += batch.recordCount();
                return;
            }
            for (Record record : decoded) {
                if (record.offset() < start) {
                    continue;
                }
                if (replayOne(record, replayer, txnProducer)) {
                    records++;
                } else {
                    skipped++;
                }
            }
        }
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
