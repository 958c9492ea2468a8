package io.tributary.server.produce;

import io.tributary.log.PartitionLog;
import io.tributary.log.UnflushedAppend;
import io.tributary.log.ValidatedBatches;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The idempotent producers of one partition, and the gate every produce append to that partition passes:
 * under one lock it checks a batch against its producer's state, appends it, and records it, so no other
 * append to the partition can come between the check and the write.
 *
 * <p>The rules, Kafka's for idempotent (non-transactional) producers from clients:
 * <ul>
 *   <li>a batch with the producer's current epoch and the sequence range of one of its last five batches
 *       is a retry: it is not written again and is answered with the original offsets;</li>
 *   <li>an epoch older than the producer's is fenced: INVALID_PRODUCER_EPOCH;</li>
 *   <li>a newer epoch must start at sequence 0, and within an epoch each batch must continue at the last
 *       sequence + 1 (0 after Integer.MAX_VALUE): OUT_OF_ORDER_SEQUENCE_NUMBER otherwise;</li>
 *   <li>a producer id this partition has no state for (never seen, or expired) must start at sequence 0:
 *       UNKNOWN_PRODUCER_ID from Produce v5 on, whose response carries the log start offset the client
 *       needs to handle it (it bumps its epoch and resends from 0); OUT_OF_ORDER_SEQUENCE_NUMBER before.
 *       Kafka 2.5+ accepts any sequence here because its producer state also disappears with retention;
 *       ours is kept until it expires, so a non-zero first sequence means a gap and is refused.</li>
 * </ul>
 *
 * <p>State survives restarts: {@link #load} starts from the newest {@link ProducerSnapshotFile} at or below
 * the log end offset and replays the batch headers after it. A snapshot is taken whenever an append finds
 * the log has rolled to a new segment (so the replay covers about one segment) and at a clean stop.
 *
 * <p>Expiry: a producer that has not written for {@code producer.id.expiration.ms} is forgotten, when it
 * is next looked up or at the periodic sweep done by appends. Its idle clock is the broker's clock at each
 * append; producers replayed from the log after the newest snapshot count as updated when replayed, which
 * keeps them longer rather than expiring one early.
 */
final class ProducerStateTable {
    private static final Logger log = LoggerFactory.getLogger(ProducerStateTable.class);
    private static final long MAX_SWEEP_INTERVAL_MS = 10 * 60 * 1000L;
    private final PartitionLog partitionLog;
    private final Clock clock;
    private final long expirationMs;
    private final long sweepIntervalMs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    private long lastSweepMs;
    private long snapshotSegmentBase;

    /** A snapshot captured under the lock, to be written elsewhere. */
    record Snapshot(PartitionLog log, long offset, List<ProducerEntry> producers) {
        void write() {
            ProducerSnapshotFile.write(log.dir(), offset, producers);
        }
    }

    /**
     * What an append did: either {@code appended} (then {@code duplicate} is null) or, for a retry, the
     * {@code duplicate} it repeats. {@code snapshot}, when not null, should be written off the caller's thread.
     */
    record Outcome(UnflushedAppend appended, BatchMetadata duplicate, Snapshot snapshot) {
    }

    private ProducerStateTable(PartitionLog partitionLog, Clock clock, long expirationMs) {
        this.partitionLog = partitionLog;
        this.clock = clock;
        this.expirationMs = expirationMs;
        this.sweepIntervalMs = Math.min(expirationMs, MAX_SWEEP_INTERVAL_MS);
    }

    /** Rebuilds the state of {@code partitionLog}: its newest usable snapshot, then the batch headers after it. */
    static ProducerStateTable load(PartitionLog partitionLog, Clock clock, long expirationMs) {
        ProducerStateTable table = new ProducerStateTable(partitionLog, clock, expirationMs);
        long now = clock.millis();
        long end = partitionLog.logEndOffset();
        ProducerSnapshotFile.Loaded snapshot = ProducerSnapshotFile.readLatest(partitionLog.dir(), end);
        long replayFrom = partitionLog.logStartOffset();
        if (snapshot != null) {
            for (ProducerEntry entry : snapshot.producers()) {
                if (!table.isExpired(entry, now)) {
                    table.producers.put(entry.producerId(), entry);
                }
            }
            replayFrom = Math.max(replayFrom, snapshot.offset());
        }
        long replayed = 0;
        if (replayFrom < end) {
            replayed = partitionLog.forEachBatchHeader(replayFrom, header -> table.replay(header, now));
        }
        table.lastSweepMs = now;
        table.snapshotSegmentBase = partitionLog.activeSegment().baseOffset();
        if (snapshot != null || replayed > 0) {
            log.info("Loaded {} idempotent producers of {} ({}, then {} batch headers from offset {})", table.producers.size(),
                partitionLog.topicPartition(), snapshot == null ? "no snapshot" : "snapshot at " + snapshot.offset(),
                replayed, replayFrom);
        }
        return table;
    }

    private void replay(RecordBatch header, long nowMs) {
        long producerId = header.producerId();
        if (producerId < 0 || header.isControlBatch() || header.baseOffset() < 0) {
            return;
        }
        short epoch = header.producerEpoch();
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(producerId, epoch, nowMs);
            producers.put(producerId, entry);
        } else if (epoch < entry.epoch()) {
            return; // never admitted by the rules; nothing a retry could match
        }
        entry.add(epoch, metadataOf(header, header.baseOffset(), header.lastOffset()), nowMs);
    }

    private static BatchMetadata metadataOf(RecordBatch batch, long firstOffset, long lastOffset) {
        long appendTime = batch.timestampType() == TimestampType.LOG_APPEND_TIME ? batch.maxTimestamp() : -1;
        return new BatchMetadata(batch.baseSequence(), batch.lastSequence(), firstOffset, lastOffset, appendTime);
    }

    PartitionLog log() {
        return partitionLog;
    }

    /**
     * Checks the one validated batch against its producer's state, appends it (or recognises a retry), and
     * records it — all under this partition's lock. The fsync {@code flush.messages} may call for is left
     * to the caller ({@link UnflushedAppend#flushDue()}).
     *
     * @param unknownProducerIdSupported whether the request's version may be answered UNKNOWN_PRODUCER_ID
     * @throws ProducerStateException when the rules refuse the batch; nothing is written then
     */
    Outcome append(ValidatedBatches validated, boolean unknownProducerIdSupported) {
        if (validated.batchCount() != 1) {
            throw new IllegalArgumentException("One batch per append, got " + validated.batchCount());
        }
        RecordBatch batch = RecordBatch.at(validated.records(), validated.records().position());
        long producerId = batch.producerId();
        lock.lock();
        try {
            long now = clock.millis();
            maybeSweep(now);
            ProducerEntry entry = null;
            if (producerId >= 0) {
                entry = liveEntry(producerId, now);
                if (entry != null) {
                    BatchMetadata duplicate = entry.findDuplicate(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
                    if (duplicate != null) {
                        return new Outcome(null, duplicate, null);
                    }
                }
                check(entry, batch, unknownProducerIdSupported);
            }
            UnflushedAppend appended = partitionLog.appendValidated(validated, LeaderEpochs.SINGLE_BROKER);
            if (producerId >= 0) {
                if (entry == null) {
                    entry = new ProducerEntry(producerId, batch.producerEpoch(), now);
                    producers.put(producerId, entry);
                }
                BatchMetadata written = new BatchMetadata(batch.baseSequence(), batch.lastSequence(),
                    appended.result().firstOffset(), appended.result().lastOffset(), appended.result().logAppendTimeMs());
                entry.add(batch.producerEpoch(), written, now);
            }
            Snapshot snapshot = null;
            long activeBase = partitionLog.activeSegment().baseOffset();
            if (activeBase != snapshotSegmentBase) {
                snapshotSegmentBase = activeBase;
                snapshot = capture(now);
            }
            return new Outcome(appended, null, snapshot);
        } finally {
            lock.unlock();
        }
    }

    private void check(ProducerEntry entry, RecordBatch batch, boolean unknownProducerIdSupported) {
        long producerId = batch.producerId();
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        if (entry == null) {
            if (firstSeq != 0) {
                throw new ProducerStateException(unknownProducerIdSupported ? ErrorCode.UNKNOWN_PRODUCER_ID : ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    "No state for producer " + producerId + " in " + partitionLog.topicPartition()
                        + " (never seen, or idle longer than producer.id.expiration.ms=" + expirationMs
                        + "); its first batch must have sequence 0, not " + firstSeq);
            }
            return;
        }
        if (epoch < entry.epoch()) {
            throw new ProducerStateException(ErrorCode.INVALID_PRODUCER_EPOCH, "Epoch " + epoch + " of producer " + producerId
                + " in " + partitionLog.topicPartition() + " is older than its current epoch " + entry.epoch());
        }
        if (epoch > entry.epoch()) {
            if (firstSeq != 0) {
                throw new ProducerStateException(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, "New epoch " + epoch + " of producer "
                    + producerId + " in " + partitionLog.topicPartition() + " starts at sequence " + firstSeq
                    + "; a new epoch must start at 0 (current epoch " + entry.epoch() + ")");
            }
            return;
        }
        int lastSeq = entry.lastSeq();
        if (!inSequence(lastSeq, firstSeq)) {
            throw new ProducerStateException(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, "Out of order sequence for producer "
                + producerId + " epoch " + epoch + " in " + partitionLog.topicPartition() + ": batch starts at " + firstSeq
                + ", expected " + (lastSeq == Integer.MAX_VALUE ? 0 : (long) lastSeq + 1) + " after the last written sequence " + lastSeq);
        }
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    private ProducerEntry liveEntry(long producerId, long now) {
        ProducerEntry entry = producers.get(producerId);
        if (entry != null && isExpired(entry, now)) {
            producers.remove(producerId);
            return null;
        }
        return entry;
    }

    private boolean isExpired(ProducerEntry entry, long now) {
        return now - entry.lastUpdateMs() >= expirationMs;
    }

    private void maybeSweep(long now) {
        if (now - lastSweepMs < sweepIntervalMs) {
            return;
        }
        lastSweepMs = now;
        for (Iterator<ProducerEntry> it = producers.values().iterator(); it.hasNext(); ) {
            if (isExpired(it.next(), now)) {
                it.remove();
            }
        }
    }

    private Snapshot capture(long now) {
        List<ProducerEntry> copies = new ArrayList<>(producers.size());
        for (ProducerEntry entry : producers.values()) {
            if (!isExpired(entry, now)) {
                copies.add(entry.copy());
            }
        }
        return new Snapshot(partitionLog, partitionLog.logEndOffset(), copies);
    }

    /** The state as of the log end offset now, for a snapshot at a clean stop. */
    Snapshot snapshot() {
        lock.lock();
        try {
            return capture(clock.millis());
        } finally {
            lock.unlock();
        }
    }

    /** The producer's current epoch here, or -1 when this partition has no live state for it. */
    short epochOf(long producerId) {
        lock.lock();
        try {
            ProducerEntry entry = liveEntry(producerId, clock.millis());
            return entry == null ? RecordBatch.NO_PRODUCER_EPOCH : entry.epoch();
        } finally {
            lock.unlock();
        }
    }

    /** A copy of the producer's state, or null; for tests and tools. */
    ProducerEntry entry(long producerId) {
        lock.lock();
        try {
            ProducerEntry entry = liveEntry(producerId, clock.millis());
            return entry == null ? null : entry.copy();
        } finally {
            lock.unlock();
        }
    }

    int producerCount() {
        lock.lock();
        try {
            return producers.size();
        } finally {
            lock.unlock();
        }
    }
}
