package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.log.epoch.LeaderEpochCacheLoader;
import io.tributary.log.epoch.LeaderEpochCheckpointFile;
import io.tributary.log.epoch.LeaderEpochFileCache;
import io.tributary.log.index.TimestampOffset;
import io.tributary.log.producer.BatchMetadata;
import io.tributary.log.producer.ProducerEntry;
import io.tributary.log.producer.ProducerRefusal;
import io.tributary.log.producer.ProducerStateManager;
import io.tributary.log.producer.CompletedTxn;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.txn.AbortedTxn;
import io.tributary.log.txn.TransactionIndexes;
import io.tributary.log.validation.LogValidator;
import io.tributary.log.validation.Recompression;
import io.tributary.log.validation.Refusal;
import io.tributary.log.validation.ValidationSettings;
import io.tributary.log.validation.Verdict;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.routing.RoutingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One partition's log: an ordered run of segments in one directory, the last of which takes appends.
 *
 * <p>Invariants: offsets are assigned here, contiguously from the log end offset, by stamping each
 * batch's base offset into its header (the records are neither decompressed nor re-encoded); every
 * segment's batches have offsets at or above its base offset and below the next segment's; everything
 * below {@link #recoveryPoint()} has been fsynced, so recovery after a crash only scans from there.
 * Offsets increase strictly but, once a log is compacted ({@code cleanup.policy} "compact"), not
 * contiguously: the cleaner removes records and batches and leaves their offsets unused, inside batches,
 * between batches and between segments; a segment may even be empty. Reads then start at the next batch
 * that remains.
 *
 * <p>Concurrency: one writer at a time (appends, roll, retention, truncation take {@code writeLock}).
 * Readers never take it: they read the volatile log end offset, which is published only after the bytes
 * and the segment's size, and then look only at published bytes. Flushes take their own lock so an fsync
 * never stalls appends. A cleaning pass ({@link #beginCleaning}, driven by {@code io.tributary.log.cleaner})
 * holds the cleaning lock throughout but the write lock only to swap entries of the segment map; close,
 * delete and truncation make it stop and wait for it, retention skips a log while it runs.
 *
 * <p>Everything that changes the partition changes here, under {@code writeLock}, in one step: an append is
 * checked against the idempotent-producer state, written to the active segment and its indices, and recorded
 * in the producer state ({@link #appendAsLeader}); a roll snapshots the producer state itself; a truncation
 * rebuilds it. What happened is told to the {@link LogListener}s after the lock is released.
 *
 * <p>Design note: this class is the facade that owns the partition's locks and offsets; the parts with one job
 * each are {@link LogLoader} (loading and crash recovery at open), {@link LogSegments} (the segment map and the
 * lock-free reads over it), {@link CleaningSession} (the cleaner's swap protocol, through one hook),
 * {@link ProducerStateManager} (producers, snapshots, rebuild) and {@link LogListeners} (events).
 *
 * <p>Files (see {@link LogSegment}): {@code .cleaned} files are a pass's unfinished output and are deleted
 * at start; a {@code .swap} log file is a finished one and replaces the segments it was cleaned from
 * (see {@link CleaningSession#replaceSegments}); {@code <offset>.snapshot} files hold the producer state
 * ({@code io.tributary.log.producer}); {@code <offset>.txnindex} files the aborted transactions whose marker is in
 * that segment ({@link TransactionIndexes}).
 *
 * <p>Transactions: transactional batches open their producer's transaction, a marker written by
 * {@link #appendTransactionMarker} ends it; the {@link #lastStableOffset()} is the first offset of the oldest open
 * transaction (the log end offset when none is open), changed under {@code writeLock} in the same step as the
 * append or marker that moves it, and published after the log end offset it never exceeds. An ABORT marker adds
 * the transaction to the aborted-transaction index of its segment, which read_committed fetches read through
 * {@link #collectAbortedTransactions}; recovery re-indexes the aborts it replays.
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Clock clock;
    private final Executor background;
    private final LogListeners listeners;
    private final long producerIdExpirationMs;
    /** Idempotent producers as of the log end offset; read and changed under {@link #writeLock} only. */
    private ProducerStateManager producerState;
    /** Set under {@link #writeLock} by a roll, taken by the same writer before it unlocks: the event to publish. */
    private long rolledTo = -1;
    /** The producer snapshot the last roll took and nobody has written yet ({@link #writeRollSnapshot}). */
    private final AtomicReference<ProducerStateManager.Snapshot> rollSnapshot = new AtomicReference<>();
    /** Set under {@link #writeLock} by {@link #stamp}: whether the batches being written include a producer's. */
    private boolean stampedProducerBatch;
    private final LogSegments segments;
    /** The bounds the segment set's lock-free reads check against, read afresh on each attempt. */
    private final LogSegments.Bounds bounds = new LogSegments.Bounds() {
        @Override
        public long logStartOffset() {
            return logStartOffset;
        }

        @Override
        public long logEndOffset() {
            return logEndOffset;
        }
    };
    private final ReentrantLock writeLock = new ReentrantLock();
    /**
     * Held by a cleaning pass from start to end. Close, delete and truncation raise {@link #cleaningAbortRequests}
     * and then take it, so a pass stops at its next batch and they never race the cleaner's file renames;
     * retention only tries it (a compacted log's retention then runs right after the pass). Never taken while
     * holding {@link #writeLock}.
     */
    private final ReentrantLock cleaningLock = new ReentrantLock();
    private final AtomicInteger cleaningAbortRequests = new AtomicInteger();
    private final Object flushLock = new Object();
    private final AtomicLong unflushedRecords = new AtomicLong();

    private volatile LogConfig config;
    private volatile LogSegment activeSegment;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean closed;
    /** The cleaner's checkpoint: below it, the log holds at most one record per key (see {@link #firstDirtyOffset}). */
    private volatile long cleanedUpTo;
    /** The earliest delete horizon of a tombstone batch the last pass kept, or -1: when to clean again. */
    private volatile long nextDeleteHorizonMs = RecordBatch.NO_TIMESTAMP;
    private volatile Consumer<String> swapStepListener = step -> { };
    /** Where flush durations go once the log is open; null while it loads (recovery flushes belong to the start). */
    private volatile FlushStats flushStats;
    /**
     * The partition count an ordered topic's keys are checked against ({@link #fenceRouting}); changed only under
     * {@link #writeLock}, so each append is checked against the count in force when it is written. 0 until set.
     */
    private volatile int routingPartitionCount;
    /** The aborted transactions per segment; changed under {@link #writeLock}, read by fetches without it. */
    private TransactionIndexes txnIndexes;
    /**
     * The first offset of the oldest open transaction, or the log end offset; never above the published log end
     * offset (assigned under {@link #writeLock} after it). See {@link #refreshLastStableOffset}.
     */
    private volatile long lastStableOffset;
    /** The cleaner stays below this offset: the high watermark of a replicated partition. See {@link #boundCleaningAt}. */
    private volatile long cleaningBound = Long.MAX_VALUE;
    /** The first offset of the oldest open transaction (-1: none) as of the last {@link #refreshLastStableOffset}. */
    private long firstUnstableOffset = -1;
    /** Set under {@link #writeLock} when {@link #firstUnstableOffset} changed: the LSO event to publish once unlocked. */
    private boolean transactionsChanged;
    /** Epoch -> first offset, kept in step with appends, truncation and retention under {@link #writeLock}. */
    private final LeaderEpochFileCache leaderEpochCache;

    /** Runs the deletion of removed segments after file.delete.delay.ms. */
    private final LogContext.DelayedTasks delayed;

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, LogContext context) {
        this.topicPartition = topicPartition;
        this.segments = new LogSegments(topicPartition);
        this.dir = dir;
        this.config = config;
        this.clock = context.clock();
        this.background = context.background();
        this.listeners = context.listeners();
        this.producerIdExpirationMs = context.producerIdExpirationMs();
        this.delayed = context.delayed();
        this.leaderEpochCache = new LeaderEpochFileCache(topicPartition, LeaderEpochCheckpointFile.in(dir), List.of());
    }

    /**
     * Opens (or creates) the log in {@code dir}. Without a clean shutdown, every segment from the one
     * holding {@code recoveryPoint} on is scanned: a torn or corrupt tail is truncated to the last valid
     * batch, later segments are dropped, and indices are rebuilt; the recovered data is then fsynced.
     *
     * @param background runs the fsync of a segment that has just rolled; {@code Runnable::run} does it inline
     */
    public static PartitionLog open(Path dir, TopicPartition topicPartition, LogConfig config, long recoveryPoint,
                                    boolean hadCleanShutdown, Clock clock, Executor background) {
        return open(dir, topicPartition, config, recoveryPoint, hadCleanShutdown, LogContext.of(clock, background));
    }

    /**
     * Opens (or creates) the log in {@code dir} as {@link #open(Path, TopicPartition, LogConfig, long, boolean, Clock, Executor)}
     * does, with its listeners and producer expiry from {@code context}; then rebuilds its idempotent-producer state
     * from the newest producer snapshot and the batch headers after it.
     */
    public static PartitionLog open(Path dir, TopicPartition topicPartition, LogConfig config, long recoveryPoint,
                                    boolean hadCleanShutdown, LogContext context) {
        PartitionLog partitionLog = new PartitionLog(topicPartition, dir, config, context);
        partitionLog.load(recoveryPoint, hadCleanShutdown);
        return partitionLog;
    }

    private void load(long checkpointedRecoveryPoint, boolean hadCleanShutdown) {
        LogConfig cfg = config;
        new LogLoader(dir, topicPartition, cfg, segments).load(checkpointedRecoveryPoint, hadCleanShutdown);
        LogSegment last = segments.last();
        last.onBecomeActive(cfg);
        activeSegment = last;
        logEndOffset = last.nextOffset();
        logStartOffset = segments.firstBaseOffset();
        recoveryPoint = logEndOffset;
        lastFlushMs = clock.millis();
        LeaderEpochCacheLoader.load(leaderEpochCache, this);
        TreeSet<Long> bases = new TreeSet<>();
        for (LogSegment segment : segments.all()) {
            bases.add(segment.baseOffset());
        }
        txnIndexes = TransactionIndexes.load(dir, bases);
        producerState = ProducerStateManager.load(topicPartition, dir, logStartOffset, logEndOffset, this::forEachBatchHeader,
            clock, producerIdExpirationMs);
        reindexReplayedAborts();
        refreshLastStableOffset();
        transactionsChanged = false;
    }

    /**
     * After the producer state was rebuilt by replaying the log from some offset: the aborted-transaction index is
     * cut back to that offset and the aborts the replay met are indexed again, so it matches the log (entries below
     * were fsynced when written, see {@link io.tributary.log.txn.TransactionIndex}).
     */
    private void reindexReplayedAborts() {
        txnIndexes.truncateTo(producerState.replayedFrom());
        for (CompletedTxn abort : producerState.replayedAborts()) {
            indexAbort(abort);
        }
    }

    /** Under {@link #writeLock}: records an ended transaction; an abort goes to the index of its marker's segment. */
    private void onTransactionCompleted(CompletedTxn completed) {
        if (completed.aborted()) {
            indexAbort(completed);
        }
    }

    private void indexAbort(CompletedTxn abort) {
        txnIndexes.append(segments.floorBase(abort.lastOffset()), new AbortedTxn(abort.producerId(), abort.firstOffset(),
            abort.lastOffset(), abort.lastStableOffset()));
    }

    /**
     * Under {@link #writeLock}, after the log end offset: the LSO is the first offset of the oldest open transaction,
     * else the log end offset (the high watermark on one broker).
     */
    private void refreshLastStableOffset() {
        long firstUnstable = producerState.firstUnstableOffset();
        if (firstUnstable != firstUnstableOffset) {
            firstUnstableOffset = firstUnstable;
            transactionsChanged = true; // a transaction opened or ended: listeners hear of the LSO once unlocked
        }
        // Retention may have removed the first batches of an open transaction: the LSO never lies below the log start.
        lastStableOffset = firstUnstable < 0 ? logEndOffset : Math.min(Math.max(firstUnstable, logStartOffset), logEndOffset);
    }

    // ---- append

    /**
     * Validates the batches in {@code records} (position to limit), assigns them the next offsets by
     * stamping base offset and leader epoch into each header — and, for log-append-time topics, the append
     * time — and appends them. Either every batch is appended or, on a validation error, none is and the
     * log is unchanged.
     *
     * @throws CorruptRecordException        bad CRC, magic, or framing
     * @throws InvalidRecordException        inconsistent record count, offset deltas or attributes
     * @throws RecordTooLargeException       a batch above {@code max.message.bytes}
     * @throws RecordBatchTooLargeException  the whole append above {@code segment.bytes}
     */
    public AppendResult append(ByteBuffer records, int leaderEpoch) {
        UnflushedAppend appended = appendValidated(validate(records), leaderEpoch);
        if (appended.flushDue()) {
            flush();
        }
        return appended.result();
    }

    /**
     * The first half of {@link #append}: checks the batches in {@code records} (position to limit) as
     * append does, without touching the log: {@link LogValidator} against the config and routing count in force
     * and the log's clock, its refusal thrown as the exception that carries its batch and record indices.
     *
     * @throws CorruptRecordException        bad CRC, magic, framing, or a compressed stream that does not decompress
     * @throws InvalidRecordException        inconsistent record count, offset deltas, record framing, a missing key
     *                                       in a compacted topic, more than {@code decompressed.batch.max.bytes}
     * @throws io.tributary.protocol.record.InvalidTimestampException a timestamp outside the topic's window
     * @throws MisroutedRecordException      an ordered topic's key that maps to another partition
     * @throws RecordTooLargeException       a batch above {@code max.message.bytes}
     * @throws RecordBatchTooLargeException  the whole append above {@code segment.bytes}
     */
    public ValidatedBatches validate(ByteBuffer records) {
        LogConfig cfg = config;
        int routedWith = cfg.routingMode == RoutingMode.ORDERED ? routingPartitionCount : 0;
        long now = clock.millis();
        SettingsInForce inForce = settingsInForce;
        if (inForce == null || inForce.config() != cfg || inForce.settings().routingCount() != routedWith) {
            inForce = new SettingsInForce(cfg, ValidationSettings.of(topicPartition, cfg, routedWith));
            settingsInForce = inForce;
        }
        ValidationSettings settings = inForce.settings();
        // compression.type other than "producer": the validation pass hands its records to the re-encoder (one decompression).
        Recompression recompression = cfg.compression == null ? null : new Recompression(records, cfg.compression);
        Verdict verdict = LogValidator.validate(records, settings, now, recompression);
        if (verdict instanceof Refusal refusal) {
            throw refusal.toException();
        }
        ByteBuffer stored = records;
        if (recompression != null) {
            Refusal refusal = recompression.finish(settings);
            if (refusal != null) {
                throw refusal.toException();
            }
            stored = recompression.stored();
        }
        Verdict.Accepted accepted = (Verdict.Accepted) verdict;
        return new ValidatedBatches(this, stored, records, accepted.batchCount(), accepted.recordCount(), routedWith, now);
    }

    /**
     * The validation settings built from a config and routing count, kept until either changes: every append
     * needs them, and building them per append was one of the few allocations a JFR profile of the storage
     * benchmark's append showed. Racing validators may each build and publish one; all are equal.
     */
    private record SettingsInForce(LogConfig config, ValidationSettings settings) {
    }

    private volatile SettingsInForce settingsInForce;

    /**
     * Makes appends check keys against {@code partitionCount} partitions from now on (for an ordered topic;
     * others ignore it) and returns the log end offset at that moment: the fence. Every record below it was
     * appended under the previous count, every append from then on is checked against the new one — the
     * change and the end offset are taken under the write lock, so no append straddles them.
     */
    public long fenceRouting(int partitionCount) {
        if (partitionCount <= 0) {
            throw new IllegalArgumentException("Routing partition count for " + topicPartition + " must be positive, was "
                + partitionCount);
        }
        writeLock.lock();
        try {
            routingPartitionCount = partitionCount;
            return logEndOffset;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * The second half of {@link #append}: assigns offsets to batches this log has validated and writes
     * them, but leaves the fsync that {@code flush.messages} may call for to the caller, who must run
     * {@link #flush()} when {@link UnflushedAppend#flushDue()} says so. The decision is taken atomically with
     * the count of unflushed records, so of several concurrent appends each one whose records are not yet
     * covered by a flush is told to flush.
     *
     * <p>Batches of idempotent producers are recorded in the producer state without the producer rules (a writer
     * that must obey them uses {@link #appendAsLeader}).
     *
     * @throws IllegalArgumentException when another log validated the batches
     * @throws LogStorageException      when the write fails; the log is then unchanged
     */
    public UnflushedAppend appendValidated(ValidatedBatches validated, int leaderEpoch) {
        checkValidatedHere(validated);
        LogConfig cfg = config;
        int batchCount = validated.batchCount();
        if (batchCount == 0) {
            return new UnflushedAppend(new AppendResult(-1, -1, -1, logStartOffset, 0, 0, 0), false);
        }
        long now = clock.millis();
        long appendTime = cfg.timestampType == TimestampType.LOG_APPEND_TIME ? now : -1;
        long firstOffset;
        long nextOffset;
        writeLock.lock();
        try {
            ensureOpen();
            firstOffset = logEndOffset;
            nextOffset = writeLocked(validated, leaderEpoch, cfg, now, appendTime);
            if (stampedProducerBatch) {
                recordProducersUnchecked(validated.records(), now); // never for the coordinator's or plain clients' batches
            }
            refreshLastStableOffset();
        } finally {
            unlockAndPublishRoll();
        }
        return published(validated, cfg, firstOffset, nextOffset, appendTime);
    }

    /**
     * Appends one validated batch as the partition's leader: under the write lock, in one step, checks it against
     * its producer's state (a batch without a producer id passes), writes it, and records it there. A retry of one of
     * the producer's last five batches is not written again but answered as the original was; a batch the producer
     * rules refuse is not written (see {@link ProducerStateManager} for the rules). The fsync {@code flush.messages}
     * may call for is left to the caller, as with {@link #appendValidated}.
     *
     * @throws IllegalArgumentException when another log validated the batches, or they are not exactly one batch
     * @throws LogStorageException      when the write fails; the log and its producer state are then unchanged
     */
    public LeaderAppend appendAsLeader(ValidatedBatches validated, int leaderEpoch) {
        checkValidatedHere(validated);
        if (validated.batchCount() != 1) {
            throw new IllegalArgumentException("One batch per leader append to " + topicPartition + ", got " + validated.batchCount());
        }
        LogConfig cfg = config;
        ByteBuffer records = validated.records();
        RecordBatch batch = RecordBatch.at(records, records.position());
        long producerId = batch.producerId();
        long now = clock.millis();
        long appendTime = cfg.timestampType == TimestampType.LOG_APPEND_TIME ? now : -1;
        long firstOffset;
        long nextOffset;
        writeLock.lock();
        try {
            ensureOpen();
            ProducerEntry producer = null;
            if (producerId >= 0) {
                producer = producerState.liveEntry(producerId, now);
                BatchMetadata original = ProducerStateManager.duplicateOf(producer, batch);
                if (original != null) {
                    return LeaderAppend.duplicate(original);
                }
                ProducerRefusal refusal = producerState.refusal(producer, batch);
                if (refusal != null) {
                    return LeaderAppend.refused(refusal);
                }
            }
            firstOffset = logEndOffset;
            nextOffset = writeLocked(validated, leaderEpoch, cfg, now, appendTime);
            if (producerId >= 0) {
                producerState.recordChecked(producer, batch, firstOffset, nextOffset - 1, appendTime, now);
            }
            refreshLastStableOffset();
        } finally {
            unlockAndPublishRoll();
        }
        return LeaderAppend.appended(published(validated, cfg, firstOffset, nextOffset, appendTime));
    }

    /**
     * Writes a transaction marker (a control batch, {@link EndTransactionMarker}) for {@code producerId} as the
     * partition's leader: what WriteTxnMarkers does for each partition of a transaction. Under the write lock, in
     * one step: checks the marker against the producer's state (an epoch older than the producer's, or a
     * coordinator epoch older than its last marker's, is refused and nothing is written), writes it, ends the
     * producer's open transaction (indexing it when aborted) and moves the last stable offset. A marker for a
     * producer with no transaction open here is written too, as Kafka does. The fsync {@code flush.messages} may
     * call for is left to the caller, as with {@link #appendValidated}.
     *
     * @throws LogStorageException when the write fails; the log and its producer state are then unchanged
     */
    public MarkerAppend appendTransactionMarker(long producerId, short producerEpoch, EndTransactionMarker marker,
                                                int leaderEpoch) {
        if (producerId < 0 || producerEpoch < 0) {
            throw new IllegalArgumentException("A transaction marker for " + topicPartition + " needs a producer id and epoch, got "
                + producerId + "/" + producerEpoch);
        }
        LogConfig cfg = config;
        long now = clock.millis();
        long appendTime = cfg.timestampType == TimestampType.LOG_APPEND_TIME ? now : -1;
        ByteBuffer batch = marker.toBatch(producerId, producerEpoch, now);
        ValidatedBatches validated = new ValidatedBatches(this, batch, batch, 1, 1, 0, now);
        long firstOffset;
        long nextOffset;
        CompletedTxn completed;
        writeLock.lock();
        try {
            ensureOpen();
            ProducerRefusal refusal = producerState.markerRefusal(producerId, producerEpoch, marker.coordinatorEpoch(), now);
            if (refusal != null) {
                return MarkerAppend.refused(refusal);
            }
            firstOffset = logEndOffset;
            nextOffset = writeLocked(validated, leaderEpoch, cfg, now, appendTime);
            completed = producerState.completeTransaction(producerId, producerEpoch, marker, firstOffset, now);
            if (completed != null) {
                onTransactionCompleted(completed);
            }
            refreshLastStableOffset();
        } finally {
            unlockAndPublishRoll();
        }
        UnflushedAppend appended = published(validated, cfg, firstOffset, nextOffset, appendTime);
        return MarkerAppend.appended(appended, completed);
    }

    /**
     * Appends batches fetched from the partition's leader as they are: offsets, leader epochs, timestamps and
     * producer fields were stamped by the leader and are kept, so the follower's log is byte-identical to the
     * leader's. Under the write lock, in one step: each batch is checked (framing, magic, CRC32C, offsets
     * increasing from the log end offset), the bytes are written, every batch's leader epoch goes into the
     * leader-epoch cache and every producer batch and transaction marker into the producer state (without the
     * producer rules: the leader applied them), and the last stable offset moves. Batches that end below the log
     * end offset (a leader's read may start inside the batch already held) are skipped. The fsync
     * {@code flush.messages} may call for is done here, as {@link #append} does.
     *
     * @return the offset after the last batch appended (the new log end offset); the old one when nothing was new
     * @throws CorruptRecordException when a batch is truncated, of another magic or fails its checksum; nothing is
     *                                appended then
     * @throws InvalidRecordException when the batches' offsets do not increase from the log end offset
     * @throws LogStorageException    when the write fails; the log is then unchanged
     */
    public long appendAsFollower(ByteBuffer records) {
        ByteBuffer fresh = records.slice();
        // Skip batches the log already holds, then check the rest before taking the lock.
        RecordBatch batch = RecordBatch.at(fresh, 0);
        int skip = 0;
        long end = logEndOffset;
        while (skip < fresh.limit()) {
            batch.wrap(fresh, skip);
            batch.ensureValid();
            if (batch.lastOffset() >= end) {
                break;
            }
            skip += batch.sizeInBytes();
        }
        fresh.position(skip);
        if (!fresh.hasRemaining()) {
            return end;
        }
        fresh = fresh.slice();
        int batches = 0;
        int recordCount = 0;
        long previousLast = -1;
        for (int position = 0; position < fresh.limit(); position += batch.sizeInBytes()) {
            batch.wrap(fresh, position);
            batch.ensureValid();
            if (batch.baseOffset() <= previousLast || batch.lastOffset() < batch.baseOffset()) {
                throw new InvalidRecordException("Batches fetched for " + topicPartition + " do not increase in offset: base "
                    + batch.baseOffset() + " after last offset " + previousLast);
            }
            previousLast = batch.lastOffset();
            batches++;
            recordCount += batch.recordCount();
        }
        LogConfig cfg = config;
        long now = clock.millis();
        long nextOffset;
        writeLock.lock();
        try {
            ensureOpen();
            long firstBase = RecordBatch.at(fresh, 0).baseOffset();
            if (firstBase < logEndOffset) {
                throw new InvalidRecordException("Follower append to " + topicPartition + " starts at offset " + firstBase
                    + ", below the log end offset " + logEndOffset);
            }
            LogSegment segment = activeSegment;
            if (segment.shouldRoll(cfg, fresh.remaining(), batches, previousLast, now)) {
                segment = rollLocked();
            }
            segment.append(fresh, now);
            // Epochs and producers from the batch headers, before the end offset that makes the batches visible.
            for (int position = 0; position < fresh.limit(); position += batch.sizeInBytes()) {
                batch.wrap(fresh, position);
                int epoch = batch.partitionLeaderEpoch();
                if (epoch >= 0) {
                    leaderEpochCache.appendedAt(epoch, batch.baseOffset());
                }
                if (batch.producerId() >= 0) {
                    CompletedTxn completed = producerState.recordUnchecked(batch, now);
                    if (completed != null) {
                        onTransactionCompleted(completed);
                    }
                }
            }
            nextOffset = previousLast + 1;
            logEndOffset = nextOffset;
            refreshLastStableOffset();
        } finally {
            unlockAndPublishRoll();
        }
        listeners.appended(this, nextOffset);
        if (unflushedRecords.addAndGet(recordCount) >= cfg.flushMessages) {
            flush();
        }
        return nextOffset;
    }

    private void checkValidatedHere(ValidatedBatches validated) {
        if (validated.log() != this) {
            throw new IllegalArgumentException("Batches validated by " + validated.log().topicPartition()
                + " cannot be appended to " + topicPartition);
        }
    }

    /**
     * Under {@link #writeLock}: re-checks keys if the routing count changed since validation, stamps offsets, rolls
     * when due and writes. Returns the offset after the last one written; the caller publishes it.
     */
    private long writeLocked(ValidatedBatches validated, int leaderEpoch, LogConfig cfg, long now, long appendTime) {
        ByteBuffer records = validated.records();
        int routedWith = validated.routedWith();
        if (routedWith != 0 && routedWith != routingPartitionCount) {
            // The topic grew between validation and now: check the keys again against the count in force.
            // Rare (only around a growth), and it must happen under the lock for the fence to hold.
            Verdict again = LogValidator.validate(records, ValidationSettings.of(topicPartition, cfg, routingPartitionCount),
                validated.validatedAtMs());
            if (again instanceof Refusal refusal) {
                throw refusal.toException();
            }
        }
        long nextOffset = stamp(records, logEndOffset, leaderEpoch, appendTime);
        LogSegment segment = activeSegment;
        if (segment.shouldRoll(cfg, records.remaining(), validated.batchCount(), nextOffset - 1, now)) {
            segment = rollLocked();
        }
        segment.append(records, now);
        leaderEpochCache.appendedAt(leaderEpoch, logEndOffset); // before the end offset that makes the batches visible
        logEndOffset = nextOffset;
        return nextOffset;
    }

    /** Records the producer batches among just-written batches (their offsets stamped), without the rules. */
    private void recordProducersUnchecked(ByteBuffer records, long now) {
        int position = records.position();
        RecordBatch batch = RecordBatch.at(records, position);
        while (position < records.limit()) {
            batch.wrap(records, position);
            CompletedTxn completed = producerState.recordUnchecked(batch, now);
            if (completed != null) {
                onTransactionCompleted(completed);
            }
            position += batch.sizeInBytes();
        }
    }

    /** After the write lock is released: tells the listeners, decides on the flush and builds the result. */
    private UnflushedAppend published(ValidatedBatches validated, LogConfig cfg, long firstOffset, long nextOffset,
                                      long appendTime) {
        listeners.appended(this, nextOffset);
        int recordCount = validated.recordCount();
        boolean flushDue = unflushedRecords.addAndGet(recordCount) >= cfg.flushMessages;
        return new UnflushedAppend(new AppendResult(firstOffset, nextOffset - 1, appendTime, logStartOffset,
            validated.batchCount(), recordCount, validated.sizeInBytes()), flushDue);
    }

    /** Under {@link #writeLock}: the base offset of the segment a roll started since the last call, or -1. */
    private long takeRolledTo() {
        long rolled = rolledTo;
        rolledTo = -1;
        return rolled;
    }

    /**
     * Releases {@link #writeLock} and then tells the listeners of a roll made under it, if any — also when the
     * write after the roll failed, since the new segment stays.
     */
    private void unlockAndPublishRoll() {
        long rolled = takeRolledTo();
        boolean lsoEvent = transactionsChanged;
        transactionsChanged = false;
        long stable = lastStableOffset;
        writeLock.unlock();
        if (rolled >= 0) {
            listeners.rolled(this, rolled);
        }
        if (lsoEvent) {
            listeners.lastStableOffsetChanged(this, stable);
        }
    }

    /**
     * Stamps offsets (and append time) into the validated batches; returns the offset after the last one. Under
     * {@link #writeLock}; notes in {@link #stampedProducerBatch} whether any batch has a producer id.
     */
    private long stamp(ByteBuffer records, long firstOffset, int leaderEpoch, long appendTime) {
        int position = records.position();
        int end = records.limit();
        RecordBatch batch = RecordBatch.at(records, position);
        long offset = firstOffset;
        boolean producers = false;
        while (position < end) {
            batch.wrap(records, position);
            producers |= batch.producerId() >= 0;
            batch.setBaseOffset(offset);
            batch.setPartitionLeaderEpoch(leaderEpoch);
            if (appendTime >= 0) {
                batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, appendTime);
            } else if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                // A create-time topic keeps the producer's timestamps whatever the producer flagged.
                batch.setMaxTimestamp(TimestampType.CREATE_TIME, batch.maxTimestamp());
            }
            offset = batch.nextOffset();
            position += batch.sizeInBytes();
        }
        stampedProducerBatch = producers;
        return offset;
    }

    /**
     * Starts a new active segment at the log end offset. The producer state is snapshotted as of that offset by
     * the roll itself; the old segment is fsynced in the background, and the snapshot is written off the
     * appending thread by the {@link ProducerSnapshotter} that hears the rolled event.
     */
    public LogSegment roll() {
        writeLock.lock();
        try {
            ensureOpen();
            return rollLocked();
        } finally {
            unlockAndPublishRoll();
        }
    }

    /** {@link #roll()} under {@link #writeLock}; sets {@link #rolledTo} for the caller to publish once unlocked. */
    private LogSegment rollLocked() {
        LogSegment old = activeSegment;
        if (old.size() == 0) {
            return old;
        }
        old.onBecomeInactive();
        LogSegment fresh = LogSegment.create(dir, logEndOffset, config);
        segments.add(fresh);
        activeSegment = fresh;
        rolledTo = fresh.baseOffset();
        long flushTo = fresh.baseOffset();
        // The roll takes the snapshot; the rolled event's ProducerSnapshotter writes it off this thread.
        rollSnapshot.set(producerState.takeSnapshot(flushTo));
        background.execute(() -> {
            try {
                flushUpTo(flushTo);
            } catch (RuntimeException e) {
                log.error("Background flush of {} up to offset {} failed", topicPartition, flushTo, e);
            }
        });
        return fresh;
    }

    /**
     * Writes the producer snapshot the last roll took, if it is still unwritten and still valid (no truncation or
     * close since); any thread, never under the write lock. Called by the {@link ProducerSnapshotter}.
     *
     * @return whether a snapshot file was written
     */
    boolean writeRollSnapshot() {
        ProducerStateManager.Snapshot snapshot = rollSnapshot.getAndSet(null);
        return snapshot != null && producerState.writeSnapshot(snapshot);
    }

    // ---- read

    /**
     * Whole batches starting with the one that contains {@code offset}, at most {@code maxBytes} long and
     * ending on a batch boundary, from one segment. With {@code minOneBatch} the first batch is returned even
     * when it alone exceeds {@code maxBytes} (so a consumer can always make progress). Empty at the log end.
     * The caller must {@link LogSlice#release()} it.
     *
     * @throws OffsetOutOfRangeException below the log start offset or above the log end offset
     */
    public LogSlice read(long offset, int maxBytes, boolean minOneBatch) {
        return segments.read(offset, maxBytes, minOneBatch, Long.MAX_VALUE, bounds);
    }

    /**
     * {@link #read(long, int, boolean)} that leaves out every batch starting at or after {@code maxOffset}: a
     * read_committed fetch passes the last stable offset it read. Empty when {@code offset} is at or past it (but
     * still in the log's range).
     *
     * @throws OffsetOutOfRangeException below the log start offset or above the log end offset
     */
    public LogSlice read(long offset, int maxBytes, boolean minOneBatch, long maxOffset) {
        return segments.read(offset, maxBytes, minOneBatch, maxOffset, bounds);
    }

    /**
     * The aborted transactions that overlap [{@code fetchOffset}, {@code upperBoundOffset}) — their marker at or
     * after the fetch offset, their first batch below the bound — in marker order, from the aborted-transaction
     * index (the log's batches are not read). What a read_committed fetch returns in {@code aborted_transactions}.
     * Any thread.
     */
    public List<AbortedTxn> collectAbortedTransactions(long fetchOffset, long upperBoundOffset) {
        return txnIndexes.collect(fetchOffset, upperBoundOffset);
    }

    /**
     * The last stable offset: below it no batch belongs to an open transaction. The first offset of the oldest open
     * transaction, or the log end offset (the high watermark on one broker) when none is open.
     */
    public long lastStableOffset() {
        return lastStableOffset;
    }

    /**
     * Bounds the cleaner below {@code offset}: the partition's high watermark, set by the replication layer whenever it
     * moves. Records above it may still be truncated by a leader change, so the cleaner must not let them supersede
     * older values (as Kafka's cleaner stops at its LSO, which never exceeds the high watermark). Unbounded until set.
     */
    public void boundCleaningAt(long offset) {
        cleaningBound = offset;
    }

    /** See {@link #boundCleaningAt}; {@link Long#MAX_VALUE} when nothing bounds the cleaner. */
    public long cleaningBound() {
        return cleaningBound;
    }

    /** The open transactions as first offset -> producer id, oldest first; for tests and tools. */
    public java.util.Map<Long, Long> openTransactions() {
        writeLock.lock();
        try {
            return producerState.openTransactions();
        } finally {
            writeLock.unlock();
        }
    }

    /** The aborted-transaction index entries by segment base offset; for tests and tools. */
    public java.util.Map<Long, List<AbortedTxn>> abortedTransactionIndex() {
        return txnIndexes.entriesBySegment();
    }

    /**
     * Calls {@code visitor} with the header of every batch whose last offset is at or above {@code fromOffset}
     * (or, below the log start offset, of every batch), in offset order, up to the log end offset as of the
     * call. Checksums are not verified: the log's recovery has done that for everything it kept. For state
     * that lives in batch headers (producer ids, epochs, sequences) and must be rebuilt after a restart.
     *
     * <p>The header passed is a 61-byte view that is re-pointed for the next batch: it carries no records
     * and must not be kept. A control batch (a transaction marker) is passed whole, records included. Segments deleted by retention while the walk runs are skipped.
     *
     * @return the number of batches visited
     */
    public long forEachBatchHeader(long fromOffset, Consumer<RecordBatch> visitor) {
        return segments.forEachBatchHeader(fromOffset, logEndOffset, visitor);
    }

    /**
     * As {@link #forEachBatchHeader}, but every batch is passed whole (header and records), for state kept in
     * records (the group coordinator's offsets and metadata in {@code __consumer_offsets}). The batch is a view
     * into the walk's buffer, valid only until the visitor returns; checksums are not verified here (a reader of
     * the records checks them with {@link RecordBatch#ensureValid()}).
     *
     * @param chunkBytes bytes read from a segment per I/O call; a batch larger than that is read whole
     * @return the number of batches visited
     * @throws LogStorageException at a batch whose framing the walk cannot follow, naming segment and byte
     */
    public long forEachBatch(long fromOffset, int chunkBytes, Consumer<RecordBatch> visitor) {
        return segments.forEachBatch(fromOffset, logEndOffset, chunkBytes, visitor);
    }

    /**
     * The first record whose timestamp is at least {@code timestamp}, as (its timestamp, its offset); null
     * when every record is older. Log-append-time batches count with their append time.
     */
    public TimestampOffset offsetForTimestamp(long timestamp) {
        return segments.offsetForTimestamp(timestamp, logStartOffset);
    }

    /** The first record carrying the largest timestamp in the log; null when the log has no timestamps. */
    public TimestampOffset maxTimestampOffset() {
        long max = segments.maxTimestamp();
        return max == RecordBatch.NO_TIMESTAMP ? null : offsetForTimestamp(max);
    }

    // ---- retention

    /**
     * Deletes whole segments from the front: those whose newest record is older than {@code retention.ms},
     * then as many as it takes to bring the log under {@code retention.bytes}. When every segment qualifies,
     * the active one is rolled first so the log keeps an (empty) segment at its end offset. Only when
     * {@code cleanup.policy} holds "delete"; and not while a cleaning pass runs on this log (the cleaner applies
     * retention itself right after each pass of a "compact,delete" log).
     *
     * @return the number of segments deleted
     */
    public int deleteRetainedSegments() {
        LogConfig cfg = config;
        if (!cfg.delete || !cleaningLock.tryLock()) {
            return 0;
        }
        try {
            long now = clock.millis();
            int deleted = 0;
            if (cfg.retentionMs >= 0) {
                deleted += deleteSegmentsWhile(segment -> now - segment.retentionTimestamp() > cfg.retentionMs);
            }
            if (cfg.retentionBytes >= 0) {
                long[] excess = {sizeInBytes() - cfg.retentionBytes};
                deleted += deleteSegmentsWhile(segment -> {
                    if (excess[0] - segment.size() < 0) {
                        return false;
                    }
                    excess[0] -= segment.size();
                    return true;
                });
            }
            return deleted;
        } finally {
            cleaningLock.unlock();
        }
    }

    private int deleteSegmentsWhile(Predicate<LogSegment> expired) {
        long rolled = -1;
        long newStart = -1;
        writeLock.lock();
        try {
            ensureOpen();
            List<LogSegment> doomed = new ArrayList<>();
            // Segments that compaction emptied have no age of their own: they go with the next expired one.
            List<LogSegment> emptied = new ArrayList<>();
            for (LogSegment segment : segments.all()) {
                if (segment.size() == 0 && segment != activeSegment) {
                    emptied.add(segment);
                    continue;
                }
                if (segment.size() == 0 || !expired.test(segment)) {
                    break;
                }
                doomed.addAll(emptied);
                emptied.clear();
                doomed.add(segment);
            }
            if (doomed.isEmpty()) {
                return 0;
            }
            if (doomed.get(doomed.size() - 1) == activeSegment) {
                rollLocked();
                rolled = takeRolledTo();
            }
            newStart = segments.higherBaseOffset(doomed.get(doomed.size() - 1).baseOffset());
            logStartOffset = newStart; // published before the files go, so readers get out-of-range
            refreshLastStableOffset();
            leaderEpochCache.truncateFromStart(newStart);
            for (LogSegment segment : doomed) {
                segments.remove(segment.baseOffset());
                deleteLater(segment);
                txnIndexes.segmentDeleted(segment.baseOffset()); // aborted-transaction entries are answered from memory
            }
            raiseRecoveryPoint(newStart);
            log.info("Deleted {} segment(s) of {} for retention; log start offset is now {}", doomed.size(), topicPartition, newStart);
            return doomed.size();
        } finally {
            writeLock.unlock();
            if (rolled >= 0) {
                listeners.rolled(this, rolled);
            }
            if (newStart >= 0) {
                listeners.segmentsDeleted(this, newStart);
            }
        }
    }

    // ---- compaction (the cleaning itself is io.tributary.log.cleaner's)

    /**
     * Where the next cleaning pass starts: below this offset the log holds at most one record per key (the
     * latest below it), as the last pass left it. Kafka's "first dirty offset". Out of the log's range — a
     * checkpoint from before a truncation or retention — it is the log start offset: everything is dirty.
     */
    public long firstDirtyOffset() {
        long start = logStartOffset;
        long cleaned = cleanedUpTo;
        return cleaned < start || cleaned > logEndOffset ? start : cleaned;
    }

    /** Restores the cleaner's checkpoint at start-up (the log manager keeps it in cleaner-offset-checkpoint). */
    void restoreCleanerCheckpoint(long offset) {
        cleanedUpTo = offset;
    }

    /** When the last pass kept tombstones: the earliest time one of them may go, or -1 when none waits. */
    public long nextDeleteHorizonMs() {
        return nextDeleteHorizonMs;
    }

    /**
     * The exclusive right to clean this log. {@code wait} blocks until a pass that holds it finishes; otherwise
     * null is returned when one does. Null also when the log is closed.
     */
    public CleaningSession beginCleaning(boolean wait) {
        if (wait) {
            cleaningLock.lock();
        } else if (!cleaningLock.tryLock()) {
            return null;
        }
        if (closed) {
            cleaningLock.unlock();
            return null;
        }
        return new CleaningSession(this, cleaningHook);
    }

    /** For tests: told the name of each step of a swap as it completes (the crash points recovery must handle). */
    void onSwapStep(Consumer<String> listener) {
        swapStepListener = listener;
    }

    /** The log's side of a {@link CleaningSession}: the one way a cleaning pass reaches into this log. */
    private final CleaningSession.Hook cleaningHook = new CleaningSession.Hook() {
        @Override
        public boolean abortRequested() {
            return cleaningAbortRequests.get() > 0 || closed;
        }

        @Override
        public void requireSealed(List<LogSegment> oldSegments) {
            for (LogSegment old : oldSegments) {
                if (segments.get(old.baseOffset()) != old || old == activeSegment) {
                    throw new IllegalStateException("Segment " + old + " of " + topicPartition
                        + " is not a sealed segment of the log; cannot replace it");
                }
            }
        }

        @Override
        public void swapSegments(List<LogSegment> oldSegments, LogSegment cleaned) {
            writeLock.lock();
            try {
                segments.add(cleaned);
                List<Long> replaced = new ArrayList<>();
                for (LogSegment old : oldSegments) {
                    replaced.add(old.baseOffset());
                    if (old.baseOffset() != cleaned.baseOffset()) {
                        segments.remove(old);
                    }
                }
                txnIndexes.segmentsMerged(replaced, cleaned.baseOffset());
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void markCleaned(long cleanedUpToOffset, long deleteHorizonMs) {
            cleanedUpTo = cleanedUpToOffset;
            nextDeleteHorizonMs = deleteHorizonMs;
        }

        @Override
        public void forgetAbortedTransactions(java.util.Collection<AbortedTxn> gone) {
            writeLock.lock();
            try {
                txnIndexes.forget(gone);
            } finally {
                writeLock.unlock();
            }
        }

        @Override
        public void deleteLater(LogSegment old) {
            PartitionLog.this.deleteLater(old);
        }

        @Override
        public Consumer<String> swapStepListener() {
            return swapStepListener;
        }

        @Override
        public void endCleaning() {
            cleaningLock.unlock();
        }
    };

    // ---- flush

    /** Fsyncs everything appended so far and advances the recovery point to the log end offset. */
    public void flush() {
        flushUpTo(logEndOffset);
    }

    /** Flushes when {@code flush.ms} has passed since the last flush and there is something to flush. */
    public void flushIfDue() {
        LogConfig cfg = config;
        if (cfg.flushMs != Long.MAX_VALUE && recoveryPoint < logEndOffset && clock.millis() - lastFlushMs >= cfg.flushMs) {
            flush();
        }
    }

    private void flushUpTo(long offset) {
        synchronized (flushLock) {
            long from = recoveryPoint;
            if (offset <= from) {
                return;
            }
            unflushedRecords.set(0);
            long started = System.nanoTime();
            long lowest = Math.min(segments.floorBase(from), offset);
            for (LogSegment segment : segments.between(lowest, offset)) {
                if (segment.tryRetain()) {
                    try {
                        if (!segment.isDeleted()) {
                            segment.flush();
                        }
                    } finally {
                        segment.release();
                    }
                }
            }
            raiseRecoveryPoint(offset);
            lastFlushMs = clock.millis();
            FlushStats stats = flushStats;
            if (stats != null) {
                stats.record(System.nanoTime() - started);
            }
        }
    }

    /** Counts this log's flushes from now on in {@code stats} (LogManager's, for the broker's metrics). */
    void recordFlushesIn(FlushStats stats) {
        this.flushStats = stats;
    }

    private void raiseRecoveryPoint(long offset) {
        synchronized (flushLock) {
            if (offset > recoveryPoint) {
                recoveryPoint = Math.min(offset, logEndOffset);
            }
        }
    }

    // ---- truncation

    /**
     * Removes every batch at or after {@code offset}; a batch containing {@code offset} goes whole, so the
     * new log end offset can be lower. Below the log start offset the log is emptied and restarts at
     * {@code offset}. The producer state is rebuilt for the new end: snapshots above it are deleted, and the
     * state is read from the newest remaining one and the batch headers after it, so retries of removed batches
     * are no longer duplicates and each producer's sequence continues from its last remaining batch. For
     * replication, which must discard a diverged tail. At the log end offset only the leader epochs that start there
     * (and so wrote nothing) go.
     */
    public void truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot truncate " + topicPartition + " to negative offset " + offset);
        }
        long truncatedTo = -1;
        stopCleaning();
        writeLock.lock();
        try {
            ensureOpen();
            if (offset >= logEndOffset) {
                if (offset == logEndOffset) {
                    leaderEpochCache.truncateFromEnd(offset); // epochs that start at the end wrote nothing
                }
                return;
            }
            boolean emptyRestart = offset <= logStartOffset;
            for (LogSegment segment : segments.copy()) {
                if (emptyRestart || segment.baseOffset() >= offset) {
                    segments.remove(segment.baseOffset());
                    deleteLater(segment);
                }
            }
            if (segments.isEmpty()) {
                segments.add(LogSegment.create(dir, offset, config));
            } else {
                segments.last().truncateTo(offset);
            }
            LogSegment last = segments.last();
            last.onBecomeActive(config);
            activeSegment = last;
            logEndOffset = last.nextOffset();
            logStartOffset = segments.firstBaseOffset();
            leaderEpochCache.truncateFromEnd(logEndOffset);
            synchronized (flushLock) {
                recoveryPoint = Math.min(recoveryPoint, logEndOffset);
            }
            cleanedUpTo = Math.min(cleanedUpTo, logEndOffset);
            if (emptyRestart) {
                producerState.truncateFully(logEndOffset);
                txnIndexes.deleteAll();
            } else {
                producerState.truncateAndReload(logStartOffset, logEndOffset, this::forEachBatchHeader);
                txnIndexes.truncateTo(logEndOffset);
                reindexReplayedAborts();
            }
            refreshLastStableOffset();
            transactionsChanged = false;
            truncatedTo = logEndOffset;
        } finally {
            writeLock.unlock();
            resumeCleaning();
        }
        if (truncatedTo >= 0) {
            listeners.truncated(this, truncatedTo);
            listeners.lastStableOffsetChanged(this, lastStableOffset);
        }
    }

    /**
     * Empties the log and restarts it at {@code offset}, which may lie above the log end offset: what a follower does
     * when its end has fallen below the leader's log start (retention there removed what it still needs). Every segment
     * goes (renamed {@code .deleted}, as by retention), the leader-epoch cache, producer state and aborted-transaction
     * index are emptied, and the log start, end and recovery point become {@code offset}. Kafka's
     * {@code truncateFullyAndStartAt}.
     */
    public void truncateFullyAndStartAt(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot restart " + topicPartition + " at negative offset " + offset);
        }
        stopCleaning();
        writeLock.lock();
        try {
            ensureOpen();
            for (LogSegment segment : segments.copy()) {
                segments.remove(segment.baseOffset());
                deleteLater(segment);
            }
            segments.add(LogSegment.create(dir, offset, config));
            LogSegment fresh = segments.last();
            fresh.onBecomeActive(config);
            activeSegment = fresh;
            logEndOffset = offset;
            logStartOffset = offset;
            leaderEpochCache.truncateFromEnd(0);
            synchronized (flushLock) {
                recoveryPoint = offset;
            }
            cleanedUpTo = offset;
            producerState.truncateFully(offset);
            txnIndexes.deleteAll();
            refreshLastStableOffset();
            transactionsChanged = false;
        } finally {
            writeLock.unlock();
            resumeCleaning();
        }
        listeners.truncated(this, offset);
        listeners.segmentsDeleted(this, offset);
        listeners.lastStableOffsetChanged(this, lastStableOffset);
    }

    /** Makes a cleaning pass in progress stop, and waits for it; blocks new ones until {@link #resumeCleaning()}. */
    private void stopCleaning() {
        cleaningAbortRequests.incrementAndGet();
        cleaningLock.lock();
    }

    private void resumeCleaning() {
        cleaningLock.unlock();
        cleaningAbortRequests.decrementAndGet();
    }

    // ---- configuration and state

    /** New settings take effect for the next append, roll, retention check and flush. */
    public void updateConfig(LogConfig newConfig) {
        this.config = newConfig;
    }

    public LogConfig config() {
        return config;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Path dir() {
        return dir;
    }

    public long logStartOffset() {
        return logStartOffset;
    }

    public long logEndOffset() {
        return logEndOffset;
    }

    public long recoveryPoint() {
        return recoveryPoint;
    }

    /** Which leader epoch wrote which offsets; see {@link LeaderEpochFileCache}. */
    public LeaderEpochFileCache leaderEpochCache() {
        return leaderEpochCache;
    }

    /**
     * This replica becomes the partition's leader at {@code leaderEpoch}: the epoch starts at the log end offset in
     * the leader-epoch cache (Kafka's {@code maybeAssignEpochStartOffset}), so a follower that fetched a tail of an
     * older epoch beyond that offset learns it diverged. Taken under the write lock so no append straddles it.
     */
    public void startLeaderEpoch(int leaderEpoch) {
        writeLock.lock();
        try {
            ensureOpen();
            leaderEpochCache.assign(leaderEpoch, logEndOffset);
        } finally {
            writeLock.unlock();
        }
    }

    /** Kafka's OffsetForLeaderEpoch answer for {@code leaderEpoch} (see {@link LeaderEpochFileCache#endOffsetFor}). */
    public EpochEndOffset endOffsetForEpoch(int leaderEpoch) {
        long end = logEndOffset; // first: an entry is published before the end offset that covers it
        return leaderEpochCache.endOffsetFor(leaderEpoch, end);
    }

    public long sizeInBytes() {
        return segments.sizeInBytes();
    }

    /** The segments in offset order, for tools and tests. */
    public List<LogSegment> segments() {
        return segments.copy();
    }

    public LogSegment activeSegment() {
        return activeSegment;
    }

    /** The producer's current epoch in this partition, or -1 when it has no live state here. */
    public short producerEpoch(long producerId) {
        writeLock.lock();
        try {
            return producerState.epochOf(producerId);
        } finally {
            writeLock.unlock();
        }
    }

    /** A copy of the producer's live state in this partition, or null; for tests and tools. */
    public ProducerEntry producerEntry(long producerId) {
        writeLock.lock();
        try {
            return producerState.entry(producerId);
        } finally {
            writeLock.unlock();
        }
    }

    /** Copies of every producer's live state in this partition (DescribeProducers), in producer id order. */
    public List<ProducerEntry> producers() {
        writeLock.lock();
        try {
            return producerState.entries();
        } finally {
            writeLock.unlock();
        }
    }

    /** How many idempotent producers this partition keeps state for (expired ones until the next sweep). */
    public int producerCount() {
        writeLock.lock();
        try {
            return producerState.producerCount();
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogStorageException("Log " + topicPartition + " in " + dir + " is closed");
        }
    }

    /**
     * Flushes, snapshots the producer state at the log end offset (so the next open replays nothing), records
     * each segment's largest timestamp, trims indices and closes the files.
     */
    @Override
    public void close() {
        stopCleaning();
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            flush();
            producerState.writeSnapshot(producerState.takeSnapshot(logEndOffset));
            producerState.closeFiles();
            txnIndexes.close();
            closed = true;
            for (LogSegment segment : segments.all()) {
                segment.close();
            }
        } finally {
            writeLock.unlock();
            resumeCleaning();
        }
    }

    /**
     * Removes a segment taken out of the segment map (retention, truncation, the cleaner's swap) as Kafka does: its files are renamed with
     * the suffix {@code .deleted} now, so a new segment may take its name, and deleted after {@code file.delete.delay.ms};
     * until then the owner's reference keeps the file open, and readers holding a slice keep reading either way. A
     * {@code .deleted} file found at start is deleted ({@link LogLoader}). With a delay of 0 the files go at once.
     */
    private void deleteLater(LogSegment segment) {
        long delayMs = config.fileDeleteDelayMs;
        if (delayMs == 0) {
            segment.delete();
            return;
        }
        segment.changeFileSuffix(LogSegment.DELETED_SUFFIX, renamed -> { });
        delayed.schedule(segment::delete, delayMs);
    }

    /** Deletes every segment and the directory; outstanding slices stay readable until released. */
    public void delete() {
        stopCleaning();
        writeLock.lock();
        try {
            closed = true;
            producerState.closeFiles(); // waits for a snapshot being written: none lands in the directory from now on
            txnIndexes.close();
            for (LogSegment segment : segments.all()) {
                segment.delete();
            }
            segments.clear();
            try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(dir)) {
                for (Path file : leftovers) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new LogStorageException("Cannot delete log directory " + dir, e);
        } finally {
            writeLock.unlock();
            resumeCleaning();
        }
        listeners.deleted(this);
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset + ")";
    }
}
