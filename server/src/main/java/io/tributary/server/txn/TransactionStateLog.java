package io.tributary.server.txn;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.record.CorruptRecordException;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition of {@code __transaction_state} as the coordinator sees it: a state change goes in as one
 * uncompressed batch of one record (key: the transactional id; value: its whole state, or null for a forgotten id),
 * and loading replays the partition in offset order, the last record of an id winning — what compaction keeps, so a
 * load gives the same state before and after the cleaner ran. Unreadable batches and records are skipped with a log
 * line, as the group coordinator's loading does.
 */
final class TransactionStateLog {
    private static final Logger log = LoggerFactory.getLogger(TransactionStateLog.class);

    private final PartitionLog partitionLog;
    private final int loadReadBytes;

    TransactionStateLog(PartitionLog partitionLog, int loadReadBytes) {
        this.partitionLog = partitionLog;
        this.loadReadBytes = loadReadBytes;
    }

    PartitionLog log() {
        return partitionLog;
    }

    /** Appends the id's new state (null: a tombstone); returns, once the local log holds it, the offset after it. */
    long append(String transactionalId, TransactionLogValue value, long nowMs, int leaderEpoch) {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE, 256)
            .append(nowMs, TransactionLogFormat.key(transactionalId), value == null ? null : TransactionLogFormat.value(value))
            .build();
        return partitionLog.append(batch, leaderEpoch).lastOffset() + 1;
    }

    /** The latest state of every id in the partition (ids whose last record is a tombstone left out). */
    Map<String, TransactionLogValue> load() {
        Map<String, TransactionLogValue> latest = new LinkedHashMap<>();
        long start = partitionLog.logStartOffset();
        long end = partitionLog.logEndOffset();
        long offset = start;
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
            long next = offset;
            try {
                Iterator<RecordBatch> batches = Records.wrap(buffer).iterator();
                while (batches.hasNext()) {
                    RecordBatch batch = batches.next();
                    next = Math.max(next, batch.nextOffset());
                    if (batch.nextOffset() <= offset || batch.baseOffset() >= end || batch.isControlBatch()) {
                        continue;
                    }
                    List<Record> decoded;
                    try {
                        decoded = RecordBatchReader.DEFAULT.read(batch);
                    } catch (InvalidRecordException e) {
                        log.warn("Skipping unreadable batch at offsets {}-{} of {}: {}", batch.baseOffset(), batch.lastOffset(),
                            partitionLog.topicPartition(), e.getMessage());
                        continue;
                    }
                    for (Record record : decoded) {
                        if (record.offset() >= offset) {
                            replay(record, latest);
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
        return latest;
    }

    private void replay(Record record, Map<String, TransactionLogValue> latest) {
        if (!record.hasKey()) {
            log.warn("Skipping a record without a key at offset {} of {}", record.offset(), partitionLog.topicPartition());
            return;
        }
        try {
            String id = TransactionLogFormat.readKey(record.key());
            if (record.hasValue()) {
                latest.put(id, TransactionLogFormat.readValue(record.value()));
            } else {
                latest.remove(id);
            }
        } catch (MalformedMessageException | IllegalArgumentException e) {
            log.warn("Skipping an unreadable record at offset {} of {}: {}", record.offset(), partitionLog.topicPartition(), e.getMessage());
        }
    }
}
