package io.tributary.log;

import io.tributary.log.index.TimestampOffset;
import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import io.tributary.log.validation.LogValidator;
import io.tributary.log.validation.Refusal;
import io.tributary.log.validation.ValidationSettings;
import io.tributary.log.validation.Verdict;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.routing.RoutingMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 * <p>Files (see {@link LogSegment}): {@code .cleaned} files are a pass's unfinished output and are deleted
 * at start; a {@code .swap} log file is a finished one and replaces the segments it was cleaned from
 * (see {@link CleaningSession#replaceSegments}).
 */
public final class PartitionLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PartitionLog.class);
    private static final int MAX_READ_ATTEMPTS = 16;

    private final TopicPartition topicPartition;
    private final Path dir;
    private final Clock clock;
    private final Executor background;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
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

    private PartitionLog(TopicPartition topicPartition, Path dir, LogConfig config, Clock clock, Executor background) {
        this.topicPartition = topicPartition;
        this.dir = dir;
        this.config = config;
        this.clock = clock;
        this.background = background;
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
        PartitionLog partitionLog = new PartitionLog(topicPartition, dir, config, clock, background);
        partitionLog.load(recoveryPoint, hadCleanShutdown);
        return partitionLog;
    }

    private void load(long checkpointedRecoveryPoint, boolean hadCleanShutdown) {
        TreeSet<Long> baseOffsets = new TreeSet<>();
        try {
            Files.createDirectories(dir);
            List<Path> strayIndexFiles = new ArrayList<>();
            List<Path> swapLogs = new ArrayList<>();
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    long base = LogSegment.parseBaseOffset(name, LogSegment.LOG_SUFFIX);
                    if (base >= 0) {
                        baseOffsets.add(base);
                    } else if (name.endsWith(".tmp") || name.endsWith(".deleted")) {
                        Files.deleteIfExists(file);
                    } else if (name.endsWith(LogSegment.CLEANED_SUFFIX)) {
                        log.info("Deleting {}: a cleaning of {} did not finish", file, topicPartition);
                        Files.deleteIfExists(file);
                    } else if (LogSegment.parseBaseOffset(name, LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX) >= 0) {
                        swapLogs.add(file);
                    } else if (name.endsWith(LogSegment.SWAP_SUFFIX)) {
                        // Indices of a swapped-in segment are rebuilt from its log file; their swap copies can go.
                        Files.deleteIfExists(file);
                    } else if (LogSegment.parseBaseOffset(name, LogSegment.INDEX_SUFFIX) >= 0
                        || LogSegment.parseBaseOffset(name, LogSegment.TIME_INDEX_SUFFIX) >= 0) {
                        strayIndexFiles.add(file);
                    }
                }
            }
            swapLogs.sort(null);
            for (Path swapLog : swapLogs) {
                completeSwap(swapLog, baseOffsets);
            }
            for (Path index : strayIndexFiles) {
                String name = index.getFileName().toString();
                long base = Long.parseLong(name.substring(0, 20));
                if (!baseOffsets.contains(base) && Files.exists(index)) {
                    log.info("Deleting index {} whose segment is gone", index);
                    Files.deleteIfExists(index);
                }
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot list log directory " + dir, e);
        }

        LogConfig cfg = config;
        for (long base : baseOffsets) {
            segments.put(base, LogSegment.open(dir, base, cfg));
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0L, cfg));
        }

        if (hadCleanShutdown) {
            for (LogSegment segment : segments.values()) {
                segment.loadIntactState();
            }
        } else {
            recoverUnflushed(checkpointedRecoveryPoint);
        }

        LogSegment last = segments.lastEntry().getValue();
        last.onBecomeActive(cfg);
        activeSegment = last;
        logEndOffset = last.nextOffset();
        logStartOffset = segments.firstKey();
        if (!hadCleanShutdown) {
            // The recovered tail is valid now; make it durable so the next crash need not scan it again.
            for (LogSegment segment : segments.tailMap(floorBase(checkpointedRecoveryPoint)).values()) {
                segment.flush();
            }
        }
        recoveryPoint = logEndOffset;
        lastFlushMs = clock.millis();
    }

    /**
     * Finishes a swap that a crash interrupted (see {@link CleaningSession#replaceSegments}). A {@code .swap} log
     * file exists only once the cleaned segment was complete and fsynced, so it wins: it replaces the segment
     * with its base offset and every segment whose base offset lies below the swap's next offset — the segments
     * it was cleaned from. A segment of the cleaned group whose records all went away may lie beyond that and
     * survive; it then holds exactly what it held before the pass, at offsets after the swap's, so the log is
     * less compacted than planned but consistent, and the next pass cleans it again. The swap's indices are
     * rebuilt from its log file.
     */
    private void completeSwap(Path swapLog, TreeSet<Long> baseOffsets) throws IOException {
        String name = swapLog.getFileName().toString();
        long base = LogSegment.parseBaseOffset(name, LogSegment.LOG_SUFFIX + LogSegment.SWAP_SUFFIX);
        long next = base;
        try (FileChannel channel = FileChannel.open(swapLog, StandardOpenOption.READ)) {
            SegmentScanner scanner = new SegmentScanner(channel, 0, channel.size(), false, 64 * 1024);
            while (scanner.next()) {
                next = scanner.header().nextOffset();
            }
        }
        long replacedEnd = Math.max(next, base + 1);
        for (long old : List.copyOf(baseOffsets.subSet(base, true, replacedEnd, false))) {
            log.info("Deleting segment {} of {}: the interrupted swap of {} replaces it", LogSegment.fileName(old, LogSegment.LOG_SUFFIX),
                topicPartition, name);
            for (String suffix : List.of(LogSegment.INDEX_SUFFIX, LogSegment.TIME_INDEX_SUFFIX, LogSegment.LOG_SUFFIX)) {
                Files.deleteIfExists(dir.resolve(LogSegment.fileName(old, suffix)));
            }
            baseOffsets.remove(old);
        }
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.INDEX_SUFFIX)));
        Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, LogSegment.TIME_INDEX_SUFFIX)));
        CrashSafeFile.fsyncDirectory(dir);
        Files.move(swapLog, dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX)), StandardCopyOption.ATOMIC_MOVE);
        CrashSafeFile.fsyncDirectory(dir);
        baseOffsets.add(base);
        log.info("Completed the interrupted swap of {} into {} (offsets [{}, {}))", name, topicPartition, base, next);
    }

    private void recoverUnflushed(long checkpointedRecoveryPoint) {
        long recoverFrom = floorBase(checkpointedRecoveryPoint);
        for (LogSegment segment : segments.headMap(recoverFrom).values()) {
            segment.loadIntactState();
        }
        List<LogSegment> unflushed = new ArrayList<>(segments.tailMap(recoverFrom).values());
        long expectedNext = -1;
        for (int i = 0; i < unflushed.size(); i++) {
            LogSegment segment = unflushed.get(i);
            long truncated = segment.recover();
            boolean overlaps = expectedNext >= 0 && segment.baseOffset() < expectedNext;
            if (truncated > 0 || overlaps) {
                // Nothing after a damaged batch can be trusted to follow it: drop the later segments.
                for (LogSegment later : unflushed.subList(i + 1, unflushed.size())) {
                    log.warn("Deleting segment {} of {}: it follows a damaged segment", later.logFile(), topicPartition);
                    segments.remove(later.baseOffset());
                    later.delete();
                }
                if (overlaps) {
                    log.warn("Deleting segment {} of {}: its base offset is below the previous segment's end {}",
                        segment.logFile(), topicPartition, expectedNext);
                    segments.remove(segment.baseOffset());
                    segment.delete();
                }
                break;
            }
            expectedNext = segment.nextOffset();
        }
        if (segments.isEmpty()) {
            segments.put(0L, LogSegment.create(dir, 0L, config));
        }
    }

    /** Base offset of the segment holding {@code offset}, or of the first segment when none does. */
    private long floorBase(long offset) {
        Long floor = segments.floorKey(offset);
        return floor != null ? floor : segments.isEmpty() ? 0L : segments.firstKey();
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
        Verdict verdict = LogValidator.validate(records, ValidationSettings.of(topicPartition, cfg, routedWith), now);
        if (verdict instanceof Refusal refusal) {
            throw refusal.toException();
        }
        Verdict.Accepted accepted = (Verdict.Accepted) verdict;
        return new ValidatedBatches(this, records, accepted.batchCount(), accepted.recordCount(), routedWith, now);
    }

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
     * @throws IllegalArgumentException when another log validated the batches
     * @throws LogStorageException      when the write fails; the log is then unchanged
     */
    public UnflushedAppend appendValidated(ValidatedBatches validated, int leaderEpoch) {
        if (validated.log() != this) {
            throw new IllegalArgumentException("Batches validated by " + validated.log().topicPartition()
                + " cannot be appended to " + topicPartition);
        }
        LogConfig cfg = config;
        ByteBuffer records = validated.records();
        int bytes = records.remaining();
        int batchCount = validated.batchCount();
        int recordCount = validated.recordCount();
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
            firstOffset = logEndOffset;
            nextOffset = stamp(records, firstOffset, leaderEpoch, appendTime);
            LogSegment segment = activeSegment;
            if (segment.shouldRoll(cfg, bytes, batchCount, nextOffset - 1, now)) {
                segment = roll();
            }
            segment.append(records, now);
            logEndOffset = nextOffset;
        } finally {
            writeLock.unlock();
        }
        boolean flushDue = unflushedRecords.addAndGet(recordCount) >= cfg.flushMessages;
        return new UnflushedAppend(new AppendResult(firstOffset, nextOffset - 1, appendTime, logStartOffset, batchCount,
            recordCount, bytes), flushDue);
    }

    /** Stamps offsets (and append time) into the validated batches; returns the offset after the last one. */
    private static long stamp(ByteBuffer records, long firstOffset, int leaderEpoch, long appendTime) {
        int position = records.position();
        int end = records.limit();
        RecordBatch batch = RecordBatch.at(records, position);
        long offset = firstOffset;
        while (position < end) {
            batch.wrap(records, position);
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
        return offset;
    }

    /** Starts a new active segment at the log end offset; the old one is fsynced in the background. */
    public LogSegment roll() {
        writeLock.lock();
        try {
            ensureOpen();
            LogSegment old = activeSegment;
            if (old.size() == 0) {
                return old;
            }
            old.onBecomeInactive();
            LogSegment fresh = LogSegment.create(dir, logEndOffset, config);
            segments.put(fresh.baseOffset(), fresh);
            activeSegment = fresh;
            long flushTo = fresh.baseOffset();
            background.execute(() -> {
                try {
                    flushUpTo(flushTo);
                } catch (RuntimeException e) {
                    log.error("Background flush of {} up to offset {} failed", topicPartition, flushTo, e);
                }
            });
            return fresh;
        } finally {
            writeLock.unlock();
        }
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
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
            long start = logStartOffset;
            long end = logEndOffset;
            if (offset < start || offset > end) {
                throw new OffsetOutOfRangeException("Offset " + offset + " of " + topicPartition
                    + " is outside the log's range [" + start + ", " + end + "]");
            }
            if (offset == end) {
                return LogSlice.empty();
            }
            Map.Entry<Long, LogSegment> floor = segments.floorEntry(offset);
            LogSegment segment = floor == null ? null : floor.getValue();
            boolean retry = false;
            while (segment != null) {
                if (!segment.tryRetain()) {
                    retry = true; // deleted under us by retention: re-check the range
                    break;
                }
                boolean handedOut = false;
                try {
                    LogSegment.BatchPosition first = segment.findBatch(offset, Integer.MAX_VALUE);
                    if (first != null) {
                        LogSegment.SliceEnd sliceEnd = segment.sliceEnd(first, maxBytes, minOneBatch, end);
                        if (sliceEnd.position() == first.position()) {
                            return LogSlice.empty();
                        }
                        handedOut = true;
                        return new LogSlice(segment, first.position(), sliceEnd.position() - first.position(),
                            first.baseOffset(), sliceEnd.nextOffset());
                    }
                } finally {
                    if (!handedOut) {
                        segment.release();
                    }
                }
                Map.Entry<Long, LogSegment> next = segments.higherEntry(segment.baseOffset());
                segment = next == null ? null : next.getValue();
            }
            if (!retry) {
                return LogSlice.empty();
            }
        }
        throw new LogStorageException("Read of " + topicPartition + " at offset " + offset
            + " kept racing with segment deletion (" + MAX_READ_ATTEMPTS + " attempts)");
    }

    /**
     * Calls {@code visitor} with the header of every batch whose last offset is at or above {@code fromOffset}
     * (or, below the log start offset, of every batch), in offset order, up to the log end offset as of the
     * call. Checksums are not verified: the log's recovery has done that for everything it kept. For state
     * that lives in batch headers (producer ids, epochs, sequences) and must be rebuilt after a restart.
     *
     * <p>The header passed is a 61-byte view that is re-pointed for the next batch: it carries no records
     * and must not be kept. Segments deleted by retention while the walk runs are skipped.
     *
     * @return the number of batches visited
     */
    public long forEachBatchHeader(long fromOffset, Consumer<RecordBatch> visitor) {
        long end = logEndOffset;
        long visited = 0;
        Long startKey = segments.floorKey(Math.max(fromOffset, 0));
        Map<Long, LogSegment> from = startKey == null ? segments : segments.tailMap(startKey, true);
        for (LogSegment segment : from.values()) {
            if (segment.baseOffset() >= end || !segment.tryRetain()) {
                continue;
            }
            try {
                LogSegment.BatchPosition first = segment.findBatch(fromOffset, Integer.MAX_VALUE);
                if (first == null) {
                    continue;
                }
                SegmentScanner scanner = new SegmentScanner(segment.channel(), first.position(), segment.size(), false, 1 << 20);
                while (scanner.next()) {
                    RecordBatch header = scanner.header();
                    if (header.baseOffset() >= end) {
                        return visited;
                    }
                    visitor.accept(header);
                    visited++;
                }
                if (scanner.invalidReason() != null) {
                    throw new LogStorageException("Segment " + segment.logFile() + " of " + topicPartition
                        + " has an unreadable batch at byte " + scanner.position() + ": " + scanner.invalidReason());
                }
            } catch (IOException e) {
                throw new LogStorageException("Cannot read batch headers of " + segment.logFile(), e);
            } finally {
                segment.release();
            }
        }
        return visited;
    }

    /**
     * The first record whose timestamp is at least {@code timestamp}, as (its timestamp, its offset); null
     * when every record is older. Log-append-time batches count with their append time.
     */
    public TimestampOffset offsetForTimestamp(long timestamp) {
        for (LogSegment segment : segments.values()) {
            if (segment.maxTimestamp() < timestamp || !segment.tryRetain()) {
                continue;
            }
            try {
                TimestampOffset found = segment.findOffsetByTimestamp(timestamp);
                if (found != null && found.offset() >= logStartOffset) {
                    return found;
                }
            } finally {
                segment.release();
            }
        }
        return null;
    }

    /** The first record carrying the largest timestamp in the log; null when the log has no timestamps. */
    public TimestampOffset maxTimestampOffset() {
        long max = RecordBatch.NO_TIMESTAMP;
        for (LogSegment segment : segments.values()) {
            max = Math.max(max, segment.maxTimestamp());
        }
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
        writeLock.lock();
        try {
            ensureOpen();
            List<LogSegment> doomed = new ArrayList<>();
            // Segments that compaction emptied have no age of their own: they go with the next expired one.
            List<LogSegment> emptied = new ArrayList<>();
            for (LogSegment segment : segments.values()) {
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
                roll();
            }
            long newStart = segments.higherKey(doomed.get(doomed.size() - 1).baseOffset());
            logStartOffset = newStart; // published before the files go, so readers get out-of-range
            for (LogSegment segment : doomed) {
                segments.remove(segment.baseOffset());
                segment.delete();
            }
            raiseRecoveryPoint(newStart);
            log.info("Deleted {} segment(s) of {} for retention; log start offset is now {}", doomed.size(), topicPartition, newStart);
            return doomed.size();
        } finally {
            writeLock.unlock();
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
        return new CleaningSession();
    }

    /** For tests: told the name of each step of a swap as it completes (the crash points recovery must handle). */
    void onSwapStep(Consumer<String> listener) {
        swapStepListener = listener;
    }

    /**
     * What a cleaning pass may do to its log while it holds the cleaning lock: read the sealed segments (they
     * cannot be truncated, deleted or closed under it), swap in cleaned segments, and record how far it got.
     */
    public final class CleaningSession implements AutoCloseable {
        private boolean ended;

        private CleaningSession() {
        }

        public PartitionLog log() {
            return PartitionLog.this;
        }

        /** True once close, delete or truncation asked the pass to stop; it should give up at its next batch. */
        public boolean abortRequested() {
            return cleaningAbortRequests.get() > 0 || closed;
        }

        /**
         * Replaces {@code oldSegments} — consecutive sealed segments of this log, in order — by {@code cleaned},
         * a complete, fsynced segment with {@link LogSegment#CLEANED_SUFFIX} files and the base offset of the
         * first of them. Crash-safe through renames, as in Kafka:
         * <ol>
         *   <li>rename the cleaned files to {@code .swap} (indices, then the log file) and fsync the directory —
         *       the commit point: from here a restart completes the swap ({@code completeSwap} in loading);
         *       before it, it deletes the {@code .cleaned} files and the old segments stay;</li>
         *   <li>swap the segment map under the write lock — the only moment appends wait;</li>
         *   <li>unlink the old segments' files (readers holding slices keep their open channels) and fsync the
         *       directory, so the old files are gone before the new ones take their names;</li>
         *   <li>rename the swap files to their final names and fsync the directory.</li>
         * </ol>
         */
        public void replaceSegments(List<LogSegment> oldSegments, LogSegment cleaned) {
            ensureActive();
            if (oldSegments.isEmpty() || oldSegments.get(0).baseOffset() != cleaned.baseOffset()
                || !LogSegment.CLEANED_SUFFIX.equals(cleaned.fileSuffix())) {
                throw new IllegalArgumentException("Cleaned segment " + cleaned + " cannot replace " + oldSegments
                    + ": it must be a .cleaned segment with the first one's base offset");
            }
            for (LogSegment old : oldSegments) {
                if (segments.get(old.baseOffset()) != old || old == activeSegment) {
                    throw new IllegalStateException("Segment " + old + " of " + topicPartition
                        + " is not a sealed segment of the log; cannot replace it");
                }
            }
            Consumer<String> listener = swapStepListener;
            listener.accept("cleaned segment written");
            cleaned.changeFileSuffix(LogSegment.SWAP_SUFFIX, path -> listener.accept("renamed to " + path.getFileName()));
            CrashSafeFile.fsyncDirectory(dir);
            listener.accept("swap committed");

            writeLock.lock();
            try {
                segments.put(cleaned.baseOffset(), cleaned);
                for (LogSegment old : oldSegments) {
                    if (old.baseOffset() != cleaned.baseOffset()) {
                        segments.remove(old.baseOffset(), old);
                    }
                }
            } finally {
                writeLock.unlock();
            }
            listener.accept("segment map swapped");

            for (LogSegment old : oldSegments) {
                old.delete();
                listener.accept("deleted " + old.logFile().getFileName());
            }
            CrashSafeFile.fsyncDirectory(dir);
            cleaned.changeFileSuffix("", path -> listener.accept("renamed to " + path.getFileName()));
            CrashSafeFile.fsyncDirectory(dir);
            listener.accept("swap complete");
        }

        /**
         * Records the end of a finished pass: below {@code cleanedUpToOffset} the log now holds at most one record
         * per key; {@code deleteHorizonMs} is the earliest horizon of a tombstone batch it kept, or -1.
         */
        public void markCleaned(long cleanedUpToOffset, long deleteHorizonMs) {
            ensureActive();
            cleanedUpTo = cleanedUpToOffset;
            nextDeleteHorizonMs = deleteHorizonMs;
        }

        private void ensureActive() {
            if (ended) {
                throw new IllegalStateException("The cleaning session of " + topicPartition + " has ended");
            }
        }

        /** Gives up the cleaning lock; idempotent. */
        @Override
        public void close() {
            if (!ended) {
                ended = true;
                cleaningLock.unlock();
            }
        }
    }

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
            long lowest = Math.min(floorBase(from), offset);
            for (LogSegment segment : segments.subMap(lowest, true, offset, false).values()) {
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
     * {@code offset}. For replication, which must discard a diverged tail.
     */
    public void truncateTo(long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("Cannot truncate " + topicPartition + " to negative offset " + offset);
        }
        stopCleaning();
        writeLock.lock();
        try {
            ensureOpen();
            if (offset >= logEndOffset) {
                return;
            }
            boolean emptyRestart = offset <= logStartOffset;
            for (LogSegment segment : new ArrayList<>(segments.values())) {
                if (emptyRestart || segment.baseOffset() >= offset) {
                    segments.remove(segment.baseOffset());
                    segment.delete();
                }
            }
            if (segments.isEmpty()) {
                segments.put(offset, LogSegment.create(dir, offset, config));
            } else {
                segments.lastEntry().getValue().truncateTo(offset);
            }
            LogSegment last = segments.lastEntry().getValue();
            last.onBecomeActive(config);
            activeSegment = last;
            logEndOffset = last.nextOffset();
            logStartOffset = segments.firstKey();
            synchronized (flushLock) {
                recoveryPoint = Math.min(recoveryPoint, logEndOffset);
            }
            cleanedUpTo = Math.min(cleanedUpTo, logEndOffset);
        } finally {
            writeLock.unlock();
            resumeCleaning();
        }
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

    public long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    /** The segments in offset order, for tools and tests. */
    public List<LogSegment> segments() {
        return List.copyOf(segments.values());
    }

    public LogSegment activeSegment() {
        return activeSegment;
    }

    private void ensureOpen() {
        if (closed) {
            throw new LogStorageException("Log " + topicPartition + " in " + dir + " is closed");
        }
    }

    /** Flushes, records each segment's largest timestamp, trims indices and closes the files. */
    @Override
    public void close() {
        stopCleaning();
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            flush();
            closed = true;
            for (LogSegment segment : segments.values()) {
                segment.close();
            }
        } finally {
            writeLock.unlock();
            resumeCleaning();
        }
    }

    /** Deletes every segment and the directory; outstanding slices stay readable until released. */
    public void delete() {
        stopCleaning();
        writeLock.lock();
        try {
            closed = true;
            for (LogSegment segment : segments.values()) {
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
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset + ")";
    }
}
