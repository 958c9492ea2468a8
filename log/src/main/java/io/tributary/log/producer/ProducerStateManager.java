package io.tributary.log.producer;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The idempotent producers of one partition log (Kafka's ProducerStateManager): per producer id its epoch
 * and the sequence ranges and offsets of its last five batches, kept as of the log end offset.
 *
 * <p>The rules, Kafka's for idempotent (non-transactional) producers from clients, applied by
 * {@link #refusal} and {@link #duplicateOf} before the log writes a batch:
 * <ul>
 *   <li>a batch with the producer's current epoch and the sequence range of one of its last five batches
 *       is a retry: it is not written again and is answered with the original offsets;</li>
 *   <li>an epoch older than the producer's is fenced ({@link ProducerRefusal.Kind#FENCED_EPOCH});</li>
 *   <li>a newer epoch must start at sequence 0, and within an epoch each batch must continue at the last
 *       sequence + 1 (0 after Integer.MAX_VALUE): {@link ProducerRefusal.Kind#OUT_OF_ORDER_SEQUENCE} otherwise;</li>
 *   <li>a producer id this partition has no state for (never seen, or expired) must start at sequence 0
 *       ({@link ProducerRefusal.Kind#UNKNOWN_PRODUCER} otherwise). Kafka 2.5+ accepts any sequence here because
 *       its producer state also disappears with retention; ours is kept until it expires, so a non-zero first
 *       sequence means a gap and is refused.</li>
 * </ul>
 *
 * <p>Threads: not thread-safe. Its partition log calls it under its write lock only, so a batch is checked,
 * written and recorded in one step; snapshot files are written off that lock through {@link #writeSnapshot},
 * which takes this manager's own snapshot lock (never the other way round).
 *
 * <p>Files: {@code <offset>.snapshot} in the partition directory ({@link ProducerSnapshotFile}). A roll of the
 * log takes a snapshot as of the new segment's base offset ({@link #takeSnapshot}), so a rebuild replays about one
 * segment; a clean stop takes one at the log end. {@link #load} starts from the newest snapshot at or below the
 * log end offset and replays the batch headers after it; {@link #truncateAndReload} drops the snapshots above a
 * new log end and does the same.
 *
 * <p>Transactions (Kafka's rules): a producer's first transactional batch opens its transaction in this partition
 * at that batch's base offset; a control batch holding a COMMIT or ABORT marker ({@link EndTransactionMarker})
 * closes it and is reported as a {@link CompletedTxn}. {@link #firstUnstableOffset} is the smallest first offset
 * of the transactions open, from which the log derives its last stable offset. A marker's producer epoch must not
 * be older than the producer's and its coordinator epoch not older than the last marker's
 * ({@link #markerRefusal}). Snapshots keep each producer's open transaction (version 2 of the file).
 *
 * <p>Expiry: a producer that has not written for {@code producer.id.expiration.ms} is forgotten, when it
 * is next looked up or at the periodic sweep done by appends. Its idle clock is the broker's clock at each
 * append; producers replayed from the log after the newest snapshot count as updated when replayed, which
 * keeps them longer rather than expiring one early. A producer with an open transaction never expires (as in Kafka:
 * its transaction would otherwise hold the last stable offset back with nobody to end it but the coordinator).
 */
public final class ProducerStateManager {
    private static final Logger log = LoggerFactory.getLogger(ProducerStateManager.class);
    private static final long MAX_SWEEP_INTERVAL_MS = 10 * 60 * 1000L;

    /** The batch headers of a log from an offset to its end, in offset order (the log's one header walker). */
    @FunctionalInterface
    public interface BatchHeaders {
        /** @return the number of headers visited */
        long forEachBatchHeader(long fromOffset, Consumer<RecordBatch> visitor);
    }

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Clock clock;
    private final long expirationMs;
    private final long sweepIntervalMs;
    private final Map<Long, ProducerEntry> producers = new HashMap<>();
    /** The open transactions: first offset -> producer id; in step with the entries' currentTxnFirstOffset. */
    private final TreeMap<Long, Long> openTransactions = new TreeMap<>();
    /** Where the last rebuild replayed the log from, and the aborted transactions that replay completed. */
    private long replayedFrom;
    private List<CompletedTxn> replayedAborts = List.of();
    private long lastSweepMs;
    /** Guards snapshot files against a write racing a truncation or the deletion of the directory. */
    private final Object snapshotLock = new Object();
    /** Raised by each truncation and at close: a snapshot captured before it must not be written after it. */
    private long snapshotGeneration;
    private boolean filesClosed;

    /** A snapshot captured under the log's write lock, to be written with {@link #writeSnapshot} elsewhere. */
    public static final class Snapshot {
        private final long offset;
        private final List<ProducerEntry> producers;
        private final long generation;

        private Snapshot(long offset, List<ProducerEntry> producers, long generation) {
            this.offset = offset;
            this.producers = producers;
            this.generation = generation;
        }

        /** Every batch below it is reflected, none at or above it. */
        public long offset() {
            return offset;
        }
    }

    private ProducerStateManager(TopicPartition topicPartition, Path dir, Clock clock, long expirationMs) {
        if (expirationMs <= 0) {
            throw new IllegalArgumentException("producer.id.expiration.ms must be positive, not " + expirationMs);
        }
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.clock = clock;
        this.expirationMs = expirationMs;
        this.sweepIntervalMs = Math.min(expirationMs, MAX_SWEEP_INTERVAL_MS);
    }

    /**
     * Rebuilds the state of the log in {@code dir} with offsets [{@code logStartOffset}, {@code logEndOffset}): its
     * newest usable snapshot at or below the end, then the batch headers after it.
     */
    public static ProducerStateManager load(TopicPartition topicPartition, Path dir, long logStartOffset, long logEndOffset,
                                            BatchHeaders headers, Clock clock, long expirationMs) {
        ProducerStateManager manager = new ProducerStateManager(topicPartition, dir, clock, expirationMs);
        manager.rebuild(logStartOffset, logEndOffset, headers);
        return manager;
    }

    private void rebuild(long logStartOffset, long logEndOffset, BatchHeaders headers) {
        producers.clear();
        openTransactions.clear();
        long now = clock.millis();
        ProducerSnapshotFile.Loaded snapshot = ProducerSnapshotFile.readLatest(dir, logEndOffset);
        long replayFrom = logStartOffset;
        if (snapshot != null) {
            for (ProducerEntry entry : snapshot.producers()) {
                if (!isExpired(entry, now)) {
                    producers.put(entry.producerId(), entry);
                    if (entry.currentTxnFirstOffset() >= 0) {
                        openTransactions.put(entry.currentTxnFirstOffset(), entry.producerId());
                    }
                }
            }
            replayFrom = Math.max(replayFrom, snapshot.offset());
        }
        long replayed = 0;
        List<CompletedTxn> aborts = new ArrayList<>();
        if (replayFrom < logEndOffset) {
            replayed = headers.forEachBatchHeader(replayFrom, header -> {
                if (header.baseOffset() < logEndOffset) {
                    CompletedTxn completed = recordUnchecked(header, now);
                    if (completed != null && completed.aborted()) {
                        aborts.add(completed);
                    }
                }
            });
        }
        replayedFrom = replayFrom;
        replayedAborts = List.copyOf(aborts);
        lastSweepMs = now;
        if (snapshot != null || replayed > 0) {
            log.info("Loaded {} idempotent producers of {} ({}, then {} batch headers from offset {})", producers.size(),
                topicPartition, snapshot == null ? "no snapshot" : "snapshot at " + snapshot.offset(), replayed, replayFrom);
        }
    }

    /**
     * After the log lost every batch at or above {@code logEndOffset}: forgets the snapshots above it (and any
     * captured before now and not yet written) and rebuilds from the newest remaining one and the log's headers.
     */
    public void truncateAndReload(long logStartOffset, long logEndOffset, BatchHeaders headers) {
        synchronized (snapshotLock) {
            snapshotGeneration++;
            // readLatest deletes the snapshots past the new end before choosing among the others
            rebuild(logStartOffset, logEndOffset, headers);
        }
    }

    /**
     * After the log was emptied and restarted at {@code offset} (a truncation below its start): every snapshot
     * describes batches that are gone, so all are deleted and no producer is known (Kafka's truncateFullyAndStartAt).
     */
    public void truncateFully(long offset) {
        synchronized (snapshotLock) {
            snapshotGeneration++;
            for (long snapshot : ProducerSnapshotFile.list(dir).keySet()) {
                ProducerSnapshotFile.delete(dir, snapshot);
            }
            producers.clear();
            openTransactions.clear();
            replayedFrom = offset;
            replayedAborts = List.of();
            lastSweepMs = clock.millis();
            log.info("Forgot every idempotent producer of {}: the log restarts empty at offset {}", topicPartition, offset);
        }
    }

    /**
     * The live state of {@code producerId} (expired state is dropped here), or null. Also sweeps every expired
     * producer now and then; {@code now} is the append's clock reading.
     */
    public ProducerEntry liveEntry(long producerId, long now) {
        if (now - lastSweepMs >= sweepIntervalMs) {
            lastSweepMs = now;
            for (Iterator<ProducerEntry> it = producers.values().iterator(); it.hasNext(); ) {
                if (isExpired(it.next(), now)) {
                    it.remove();
                }
            }
        }
        ProducerEntry entry = producers.get(producerId);
        if (entry != null && isExpired(entry, now)) {
            producers.remove(producerId);
            return null;
        }
        return entry;
    }

    /** The kept batch that {@code batch} repeats (a retry), or null; {@code entry} from {@link #liveEntry}. */
    public static BatchMetadata duplicateOf(ProducerEntry entry, RecordBatch batch) {
        return entry == null ? null : entry.findDuplicate(batch.producerEpoch(), batch.baseSequence(), batch.lastSequence());
    }

    /** Why the rules refuse {@code batch} of a producer whose live state is {@code entry} (null: none), or null. */
    public ProducerRefusal refusal(ProducerEntry entry, RecordBatch batch) {
        long producerId = batch.producerId();
        short epoch = batch.producerEpoch();
        int firstSeq = batch.baseSequence();
        if (entry == null) {
            if (firstSeq != 0) {
                return new ProducerRefusal(ProducerRefusal.Kind.UNKNOWN_PRODUCER, "No state for producer " + producerId + " in "
                    + topicPartition + " (never seen, or idle longer than producer.id.expiration.ms=" + expirationMs
                    + "); its first batch must have sequence 0, not " + firstSeq);
            }
            return null;
        }
        if (epoch < entry.epoch()) {
            return new ProducerRefusal(ProducerRefusal.Kind.FENCED_EPOCH, "Epoch " + epoch + " of producer " + producerId
                + " in " + topicPartition + " is older than its current epoch " + entry.epoch());
        }
        if (epoch > entry.epoch()) {
            if (firstSeq != 0) {
                return new ProducerRefusal(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE, "New epoch " + epoch + " of producer "
                    + producerId + " in " + topicPartition + " starts at sequence " + firstSeq
                    + "; a new epoch must start at 0 (current epoch " + entry.epoch() + ")");
            }
            return null;
        }
        int lastSeq = entry.lastSeq();
        if (!inSequence(lastSeq, firstSeq)) {
            return new ProducerRefusal(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE, "Out of order sequence for producer "
                + producerId + " epoch " + epoch + " in " + topicPartition + ": batch starts at " + firstSeq
                + ", expected " + (lastSeq == Integer.MAX_VALUE ? 0 : (long) lastSeq + 1) + " after the last written sequence " + lastSeq);
        }
        return null;
    }

    private static boolean inSequence(int lastSeq, int nextSeq) {
        return nextSeq == lastSeq + 1L || (nextSeq == 0 && lastSeq == Integer.MAX_VALUE);
    }

    /**
     * Records a batch the rules admitted and the log has just written at {@code firstOffset..lastOffset};
     * {@code entry} is what {@link #liveEntry} gave for its producer (null: a new producer).
     */
    public void recordChecked(ProducerEntry entry, RecordBatch batch, long firstOffset, long lastOffset, long logAppendTimeMs,
                              long now) {
        ProducerEntry live = entry;
        if (live == null) {
            live = new ProducerEntry(batch.producerId(), batch.producerEpoch(), now);
            producers.put(batch.producerId(), live);
        }
        live.add(batch.producerEpoch(), new BatchMetadata(batch.baseSequence(), batch.lastSequence(), firstOffset, lastOffset,
            logAppendTimeMs), now);
        if (batch.isTransactional()) {
            openTransaction(live, firstOffset);
        }
    }

    private void openTransaction(ProducerEntry entry, long firstOffset) {
        if (entry.currentTxnFirstOffset() < 0) {
            entry.beginTransaction(firstOffset);
            openTransactions.put(firstOffset, entry.producerId());
        }
    }

    /**
     * Why a transaction marker of {@code producerId} at {@code producerEpoch} from a coordinator of
     * {@code coordinatorEpoch} must not be written, or null (Kafka's checks: the epoch is not older than the
     * producer's, nor the coordinator epoch than that of the producer's last marker).
     */
    public ProducerRefusal markerRefusal(long producerId, short producerEpoch, int coordinatorEpoch, long now) {
        ProducerEntry entry = liveEntry(producerId, now);
        if (entry == null) {
            return null;
        }
        if (producerEpoch < entry.epoch()) {
            return new ProducerRefusal(ProducerRefusal.Kind.FENCED_EPOCH, "Transaction marker epoch " + producerEpoch
                + " of producer " + producerId + " in " + topicPartition + " is older than its current epoch " + entry.epoch());
        }
        if (coordinatorEpoch < entry.coordinatorEpoch()) {
            return new ProducerRefusal(ProducerRefusal.Kind.FENCED_COORDINATOR, "Transaction marker of producer " + producerId
                + " in " + topicPartition + " comes from coordinator epoch " + coordinatorEpoch
                + ", older than the epoch " + entry.coordinatorEpoch() + " of its last marker");
        }
        return null;
    }

    /**
     * Ends {@code producerId}'s transaction with the marker just written at {@code markerOffset}; returns it, or
     * null when the producer had no transaction open here (a marker for a partition the transaction did not write
     * to, which Kafka writes too). The marker's epoch becomes the producer's.
     */
    public CompletedTxn completeTransaction(long producerId, short producerEpoch, EndTransactionMarker marker, long markerOffset,
                                            long now) {
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(producerId, producerEpoch, now);
            producers.put(producerId, entry);
        }
        long firstOffset = entry.currentTxnFirstOffset();
        entry.endTransaction(producerEpoch, marker.coordinatorEpoch(), now);
        if (firstOffset < 0) {
            return null;
        }
        openTransactions.remove(firstOffset);
        long lastStable = openTransactions.isEmpty() ? markerOffset + 1 : Math.min(openTransactions.firstKey(), markerOffset + 1);
        return new CompletedTxn(producerId, firstOffset, markerOffset, lastStable,
            marker.type() == EndTransactionMarker.ControlType.ABORT);
    }

    /** Copies of every producer's state not yet expired, in producer id order. */
    public List<ProducerEntry> entries() {
        List<ProducerEntry> copies = new ArrayList<>(producers.size());
        producers.values().stream().sorted(java.util.Comparator.comparingLong(ProducerEntry::producerId))
            .forEach(e -> copies.add(e.copy()));
        return copies;
    }

    /** The first offset of the oldest open transaction, or -1 when none is open. */
    public long firstUnstableOffset() {
        return openTransactions.isEmpty() ? -1 : openTransactions.firstKey();
    }

    /** The open transactions as first offset -> producer id, oldest first; a copy, for tests and tools. */
    public Map<Long, Long> openTransactions() {
        return new TreeMap<>(openTransactions);
    }

    /** Where the last load or reload replayed the log from: the aborts at or after it are in {@link #replayedAborts}. */
    public long replayedFrom() {
        return replayedFrom;
    }

    /** The transactions that the last load or reload saw aborted while replaying the log, in offset order. */
    public List<CompletedTxn> replayedAborts() {
        return replayedAborts;
    }

    /**
     * Records a written batch whose offsets are stamped in its header, without the rules: a batch replayed from
     * the log, or appended by a writer that does not go through them (the log's plain {@code append}). Batches
     * without a producer id and an epoch older than the producer's change nothing. A control batch must be whole
     * (its records are read for the marker): it completes the producer's transaction, which is returned.
     *
     * @return the transaction a marker completed, or null
     */
    public CompletedTxn recordUnchecked(RecordBatch header, long now) {
        long producerId = header.producerId();
        if (producerId < 0 || header.baseOffset() < 0) {
            return null;
        }
        if (header.isControlBatch()) {
            if (!header.isTransactional()) {
                return null;
            }
            EndTransactionMarker marker;
            try {
                marker = EndTransactionMarker.read(header);
            } catch (RuntimeException e) {
                log.warn("Ignoring control batch at offset {} of {}: {}", header.baseOffset(), topicPartition, e.getMessage());
                return null;
            }
            ProducerEntry known = producers.get(producerId);
            if (known != null && header.producerEpoch() < known.epoch()) {
                return null;
            }
            return completeTransaction(producerId, header.producerEpoch(), marker, header.baseOffset(), now);
        }
        short epoch = header.producerEpoch();
        ProducerEntry entry = producers.get(producerId);
        if (entry == null) {
            entry = new ProducerEntry(producerId, epoch, now);
            producers.put(producerId, entry);
        } else if (epoch < entry.epoch()) {
            return null; // never admitted by the rules; nothing a retry could match
        }
        long appendTime = header.timestampType() == TimestampType.LOG_APPEND_TIME ? header.maxTimestamp() : -1;
        entry.add(epoch, new BatchMetadata(header.baseSequence(), header.lastSequence(), header.baseOffset(), header.lastOffset(),
            appendTime), now);
        if (header.isTransactional()) {
            openTransaction(entry, header.baseOffset());
        }
        return null;
    }

    private boolean isExpired(ProducerEntry entry, long now) {
        return entry.currentTxnFirstOffset() < 0 && now - entry.lastUpdateMs() >= expirationMs;
    }

    /** Copies the live state as of {@code logEndOffset}, to be written with {@link #writeSnapshot}. */
    public Snapshot takeSnapshot(long logEndOffset) {
        long now = clock.millis();
        List<ProducerEntry> copies = new ArrayList<>(producers.size());
        for (ProducerEntry entry : producers.values()) {
            if (!isExpired(entry, now)) {
                copies.add(entry.copy());
            }
        }
        synchronized (snapshotLock) {
            return new Snapshot(logEndOffset, copies, snapshotGeneration);
        }
    }

    /**
     * Writes {@code snapshot} (crash-safe, see {@link ProducerSnapshotFile}) and deletes the older ones, unless the
     * log was truncated or closed since it was taken. A failure is logged: it only costs a longer replay at the next
     * start. Any thread.
     *
     * @return whether the file was written
     */
    public boolean writeSnapshot(Snapshot snapshot) {
        synchronized (snapshotLock) {
            if (filesClosed || snapshot.generation != snapshotGeneration) {
                return false;
            }
            try {
                ProducerSnapshotFile.write(dir, snapshot.offset, snapshot.producers);
                return true;
            } catch (RuntimeException e) {
                log.warn("Cannot write the producer snapshot of {} at offset {}: {}", topicPartition, snapshot.offset, e.toString());
                return false;
            }
        }
    }

    /** No snapshot is written from now on (the log is closed or its directory is being deleted). */
    public void closeFiles() {
        synchronized (snapshotLock) {
            filesClosed = true;
        }
    }

    /** The producer's current epoch here, or -1 when this partition has no live state for it. */
    public short epochOf(long producerId) {
        ProducerEntry entry = liveEntry(producerId, clock.millis());
        return entry == null ? RecordBatch.NO_PRODUCER_EPOCH : entry.epoch();
    }

    /** A copy of the producer's live state, or null; for tests and tools. */
    public ProducerEntry entry(long producerId) {
        ProducerEntry entry = liveEntry(producerId, clock.millis());
        return entry == null ? null : entry.copy();
    }

    public int producerCount() {
        return producers.size();
    }
}
