package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.log.index.TimestampOffset;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import io.tributary.protocol.record.RecordBatch;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;

/**
 * The segments of one partition log by base offset (Kafka's LogSegments), and the reads that walk them without
 * the log's write lock.
 *
 * <p>Invariant: keys are the segments' base offsets, ascending; each segment's batches lie at or above its base
 * offset and below the next segment's. The map is changed only under the owning {@link PartitionLog}'s write lock
 * (or while it loads); readers use it concurrently. A reader must {@link LogSegment#tryRetain() retain} a segment
 * before touching its file: retention, truncation and the cleaner's swap delete segments under a reader's feet,
 * and a segment that can no longer be retained is gone, so the read re-checks the log's range and tries again
 * ({@link #read}).
 */
final class LogSegments {
    private static final int MAX_READ_ATTEMPTS = 16;

    /** The log's current bounds, read afresh on each attempt of a read. */
    interface Bounds {
        long logStartOffset();

        long logEndOffset();
    }

    private final TopicPartition topicPartition;
    private final ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();

    LogSegments(TopicPartition topicPartition) {
        this.topicPartition = topicPartition;
    }

    // ---- changes (under the log's write lock, or while it loads)

    void add(LogSegment segment) {
        segments.put(segment.baseOffset(), segment);
    }

    void remove(long baseOffset) {
        segments.remove(baseOffset);
    }

    /** Removes {@code segment} only if it is still the one at its base offset. */
    void remove(LogSegment segment) {
        segments.remove(segment.baseOffset(), segment);
    }

    void clear() {
        segments.clear();
    }

    // ---- views

    boolean isEmpty() {
        return segments.isEmpty();
    }

    LogSegment get(long baseOffset) {
        return segments.get(baseOffset);
    }

    LogSegment last() {
        return segments.lastEntry().getValue();
    }

    long firstBaseOffset() {
        return segments.firstKey();
    }

    /** Base offset of the segment after the one at {@code baseOffset}; null at the last. */
    Long higherBaseOffset(long baseOffset) {
        return segments.higherKey(baseOffset);
    }

    /** Base offset of the segment holding {@code offset}, or of the first segment when none does (0 when empty). */
    long floorBase(long offset) {
        Long floor = segments.floorKey(offset);
        return floor != null ? floor : segments.isEmpty() ? 0L : segments.firstKey();
    }

    /** Every segment in offset order; a live view. */
    Collection<LogSegment> all() {
        return segments.values();
    }

    /** The segments with base offsets below {@code baseOffset}; a live view. */
    Collection<LogSegment> below(long baseOffset) {
        return segments.headMap(baseOffset).values();
    }

    /** The segments with base offsets at or above {@code baseOffset}; a live view. */
    Collection<LogSegment> from(long baseOffset) {
        return segments.tailMap(baseOffset).values();
    }

    /** The segments with base offsets in [{@code from}, {@code to}); a live view. */
    Collection<LogSegment> between(long from, long to) {
        return segments.subMap(from, true, to, false).values();
    }

    List<LogSegment> copy() {
        return List.copyOf(segments.values());
    }

    long sizeInBytes() {
        long total = 0;
        for (LogSegment segment : segments.values()) {
            total += segment.size();
        }
        return total;
    }

    // ---- reads (no lock; segments retained while used)

    /** See {@link PartitionLog#read}. */
    LogSlice read(long offset, int maxBytes, boolean minOneBatch, long maxOffset, Bounds bounds) {
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++) {
            long start = bounds.logStartOffset();
            long end = bounds.logEndOffset();
            if (offset < start || offset > end) {
                throw new OffsetOutOfRangeException("Offset " + offset + " of " + topicPartition
                    + " is outside the log's range [" + start + ", " + end + "]");
            }
            if (offset == end || offset >= maxOffset) {
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
                        LogSegment.SliceEnd sliceEnd = segment.sliceEnd(first, maxBytes, minOneBatch, Math.min(end, maxOffset));
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

    /** See {@link PartitionLog#forEachBatchHeader}; {@code end} is the log end offset as of the call. */
    long forEachBatchHeader(long fromOffset, long end, Consumer<RecordBatch> visitor) {
        return walk(fromOffset, end, false, HEADER_WALK_CHUNK_BYTES, visitor);
    }

    /** See {@link PartitionLog#forEachBatch}; {@code end} is the log end offset as of the call. */
    long forEachBatch(long fromOffset, long end, int chunkBytes, Consumer<RecordBatch> visitor) {
        return walk(fromOffset, end, true, chunkBytes, visitor);
    }

    /** Bytes read per I/O call by a walk over batch headers: the headers of about a thousand 1 KiB batches. */
    private static final int HEADER_WALK_CHUNK_BYTES = 1 << 20;

    /**
     * The one walk behind both: every batch whose last offset is at or above {@code fromOffset}, up to
     * {@code end}, through a {@link SegmentScanner} per segment; whole batches, or headers (control batches whole).
     */
    private long walk(long fromOffset, long end, boolean wholeBatches, int chunkBytes, Consumer<RecordBatch> visitor) {
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
                SegmentScanner scanner = new SegmentScanner(segment.channel(), first.position(), segment.size(), false, chunkBytes);
                while (scanner.next()) {
                    RecordBatch header = scanner.header();
                    if (header.baseOffset() >= end) {
                        return visited;
                    }
                    // A control batch (a transaction marker, a few dozen bytes) is passed whole: its record says
                    // whether it commits or aborts.
                    visitor.accept(wholeBatches || header.isControlBatch() ? scanner.batch() : header);
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

    /** See {@link PartitionLog#offsetForTimestamp}. */
    TimestampOffset offsetForTimestamp(long timestamp, long logStartOffset) {
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

    /** The largest timestamp of any segment, or {@link RecordBatch#NO_TIMESTAMP}. */
    long maxTimestamp() {
        long max = RecordBatch.NO_TIMESTAMP;
        for (LogSegment segment : segments.values()) {
            max = Math.max(max, segment.maxTimestamp());
        }
        return max;
    }
}
