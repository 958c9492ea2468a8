package io.tributary.log;

import io.tributary.log.index.TimestampOffset;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.TimestampType;
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
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
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
 *
 * <p>Concurrency: one writer at a time (appends, roll, retention, truncation take {@code writeLock}).
 * Readers never take it: they read the volatile log end offset, which is published only after the bytes
 * and the segment's size, and then look only at published bytes. Flushes take their own lock so an fsync
 * never stalls appends.
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
    private final Object flushLock = new Object();
    private final AtomicLong unflushedRecords = new AtomicLong();

    private volatile LogConfig config;
    private volatile LogSegment activeSegment;
    private volatile long logEndOffset;
    private volatile long logStartOffset;
    private volatile long recoveryPoint;
    private volatile long lastFlushMs;
    private volatile boolean closed;

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
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path file : files) {
                    String name = file.getFileName().toString();
                    long base = LogSegment.parseBaseOffset(name, LogSegment.LOG_SUFFIX);
                    if (base >= 0) {
                        baseOffsets.add(base);
                    } else if (name.endsWith(".tmp") || name.endsWith(".deleted")) {
                        Files.deleteIfExists(file);
                    } else if (LogSegment.parseBaseOffset(name, LogSegment.INDEX_SUFFIX) >= 0
                        || LogSegment.parseBaseOffset(name, LogSegment.TIME_INDEX_SUFFIX) >= 0) {
                        strayIndexFiles.add(file);
                    }
                }
            }
            for (Path index : strayIndexFiles) {
                String name = index.getFileName().toString();
                long base = Long.parseLong(name.substring(0, 20));
                if (!baseOffsets.contains(base)) {
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
     * append does, without touching the log.
     *
     * @throws CorruptRecordException        bad CRC, magic, or framing
     * @throws InvalidRecordException        inconsistent record count, offset deltas or attributes
     * @throws RecordTooLargeException       a batch above {@code max.message.bytes}
     * @throws RecordBatchTooLargeException  the whole append above {@code segment.bytes}
     */
    public ValidatedBatches validate(ByteBuffer records) {
        LogConfig cfg = config;
        int bytes = records.remaining();
        if (bytes > cfg.segmentBytes) {
            throw new RecordBatchTooLargeException("Append of " + bytes + " bytes to " + topicPartition
                + " is larger than the segment size segment.bytes=" + cfg.segmentBytes);
        }
        int[] counts = validate(records, cfg);
        return new ValidatedBatches(this, records, counts[0], counts[1]);
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

    /** Checks every batch; returns {batches, records}. Touches no log state. */
    private int[] validate(ByteBuffer records, LogConfig cfg) {
        int position = records.position();
        int end = records.limit();
        RecordBatch batch = RecordBatch.at(records, position);
        int batches = 0;
        int recordTotal = 0;
        while (position < end) {
            if (end - position < RecordBatch.HEADER_SIZE) {
                throw new CorruptRecordException("Append to " + topicPartition + " ends with " + (end - position)
                    + " bytes, fewer than a batch header (" + RecordBatch.HEADER_SIZE + ")");
            }
            batch.wrap(records, position);
            batch.ensureValid();
            int size = batch.sizeInBytes();
            if (size > cfg.maxMessageBytes) {
                throw new RecordTooLargeException("Batch of " + size + " bytes for " + topicPartition
                    + " is larger than max.message.bytes=" + cfg.maxMessageBytes);
            }
            int count = batch.recordCount();
            if (count <= 0) {
                throw new InvalidRecordException("Batch for " + topicPartition + " declares " + count
                    + " records; an appended batch holds at least one");
            }
            if (batch.lastOffsetDelta() != count - 1) {
                throw new InvalidRecordException("Batch for " + topicPartition + " has last offset delta "
                    + batch.lastOffsetDelta() + " but " + count + " records (expected " + (count - 1) + ")");
            }
            if (batch.compressionType() == CompressionType.NONE) {
                batch.validateUncompressedRecords();
            }
            position += size;
            batches++;
            recordTotal += count;
        }
        return new int[] {batches, recordTotal};
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
                        LogSegment.SliceEnd sliceEnd = segment.sliceEnd(first, maxBytes, minOneBatch);
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
     * the active one is rolled first so the log keeps an (empty) segment at its end offset.
     *
     * @return the number of segments deleted
     */
    public int deleteRetainedSegments() {
        LogConfig cfg = config;
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
    }

    private int deleteSegmentsWhile(Predicate<LogSegment> expired) {
        writeLock.lock();
        try {
            ensureOpen();
            List<LogSegment> doomed = new ArrayList<>();
            for (LogSegment segment : segments.values()) {
                if (segment.size() == 0 || !expired.test(segment)) {
                    break;
                }
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
        }
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
        } finally {
            writeLock.unlock();
        }
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
        }
    }

    /** Deletes every segment and the directory; outstanding slices stay readable until released. */
    public void delete() {
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
        }
    }

    @Override
    public String toString() {
        return "PartitionLog(" + topicPartition + ", start=" + logStartOffset + ", end=" + logEndOffset + ")";
    }
}
