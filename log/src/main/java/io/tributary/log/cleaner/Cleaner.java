package io.tributary.log.cleaner;

import io.tributary.log.CleaningSession;
import io.tributary.log.LogConfig;
import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.log.index.OffsetIndex;
import io.tributary.log.index.TimeIndex;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.compression.Compression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * One cleaning pass over one compacted log: keeps the latest record of each key among the sealed segments
 * below the first uncleanable offset, and swaps the rewritten segments in. Kafka's {@code Cleaner}.
 *
 * <p>A pass:
 * <ol>
 *   <li><b>Range.</b> The dirty range runs from the log's {@link PartitionLog#firstDirtyOffset() first dirty
 *       offset} to the first uncleanable offset: the active segment's base offset, or the base of the first
 *       dirty segment holding a record younger than {@code min.compaction.lag.ms}.</li>
 *   <li><b>Map.</b> The {@link OffsetMap} takes the latest offset of every key in the dirty range, front to
 *       back, until it is full; the pass then covers the range only up to the record that did not fit
 *       ({@code mappedUpTo}) and a later pass does the rest. The same read notes the last batch of each
 *       producer id.</li>
 *   <li><b>Clean.</b> Every sealed segment from the log start up to the one holding {@code mappedUpTo} is
 *       rewritten, consecutive ones merged into one while the output so far plus the next segment's size stays
 *       within {@code segment.bytes} (and the indices within {@code segment.index.bytes}, offsets within int32
 *       of the base). A record below {@code mappedUpTo} stays when it has a
 *       key, no later record of that key is in the map, and it has a value or is a tombstone whose batch's
 *       delete horizon has not passed; records at or above {@code mappedUpTo} all stay.</li>
 *   <li><b>Swap.</b> Each rewritten group is written to {@code .cleaned} files, fsynced, and swapped in by
 *       {@link CleaningSession#replaceSegments}; the first dirty offset becomes {@code mappedUpTo}.</li>
 * </ol>
 *
 * <p>Invariants of the output: records keep their offsets, timestamps, keys, values and headers, in order;
 * offsets may have gaps. A batch whose records all stay is copied byte for byte. Otherwise it is re-encoded
 * with the same codec (at the topic's level when the codec is the topic's {@code compression.type}, else at its
 * default level), base offset, leader epoch, producer id, epoch and base sequence,
 * timestamp type and transactional flag, and — as Kafka does — its original last offset delta, so that the
 * producer's last sequence survives; its record count may then be below that delta plus one. A batch left
 * with no record is dropped, unless it is its producer id's last batch in the cleaned range: then its bare
 * header (no records) stays, so producer state can be rebuilt from the log.
 *
 * <p>Transactions ({@link CleanedTransactions}, Kafka's rules): the dirty range ends at the last stable offset at the
 * latest. Batches of aborted transactions (from the aborted-transaction index) are dropped wherever they are in the
 * cleaned segments and never enter the offset map. A transaction marker whose transaction has no data left gets a
 * delete horizon as tombstones do and goes in a pass after it; an ABORT marker's index entry goes when its data is
 * found gone, before the marker itself can.
 *
 * <p>Tombstones: a batch keeping a tombstone and no delete horizon yet is re-encoded with the horizon set to
 * now + {@code delete.retention.ms} (attribute bit 6; the base timestamp field holds the horizon); a pass at
 * or after the horizon drops its tombstones. The earliest horizon still pending is handed to the log so the
 * {@link LogCleaner} knows when to clean it again.
 *
 * <p>Not thread-safe: one per cleaner thread, which owns its offset map and buffers.
 */
final class Cleaner {
    private static final Logger log = LoggerFactory.getLogger(Cleaner.class);

    private final OffsetMap map;
    /** Walks each segment's whole batches, many per I/O call, through one reusable buffer. */
    private final SegmentScanner reader;
    private final int ioBufferSize;
    private final RecordBatchReader recordReader = RecordBatchReader.DEFAULT;
    private final BooleanSupplier stopRequested;
    private ByteBuffer out;

    /** @param stopRequested polled at every batch, with the log's own abort request: the owner is shutting down */
    Cleaner(long mapBytes, int ioBufferSize, BooleanSupplier stopRequested) {
        this.stopRequested = stopRequested;
        this.map = new OffsetMap(mapBytes);
        this.reader = new SegmentScanner(null, 0, 0, false, ioBufferSize);
        this.ioBufferSize = ioBufferSize;
        this.out = ByteBuffer.allocate(ioBufferSize);
    }

    /** How many keys one pass can map. */
    int mapCapacity() {
        return map.capacity();
    }

    /**
     * The part of a log a pass may clean now, and how dirty it is.
     *
     * @param firstDirtyOffset       where the dirty range starts
     * @param firstUncleanableOffset where it ends: nothing at or above is touched
     * @param cleanBytes             bytes of sealed segments wholly below the first dirty offset
     * @param dirtyBytes             bytes of sealed segments holding dirty records below the uncleanable offset
     * @param compactionLagExceeded  the oldest dirty segment's first batch is older than {@code max.compaction.lag.ms}
     */
    record CleanableRange(long firstDirtyOffset, long firstUncleanableOffset, long cleanBytes, long dirtyBytes,
                          boolean compactionLagExceeded) {
        /** Dirty bytes over all cleanable bytes, Kafka's "cleanable ratio"; 0 for an empty log. */
        double dirtyRatio() {
            long total = cleanBytes + dirtyBytes;
            return total == 0 ? 0 : (double) dirtyBytes / total;
        }
    }

    static CleanableRange cleanableRange(PartitionLog partitionLog, long now) {
        LogConfig cfg = partitionLog.config();
        List<LogSegment> sealed = sealedSegments(partitionLog);
        long firstDirty = partitionLog.firstDirtyOffset();
        // Never past the last stable offset (an open transaction may still commit or abort what lies beyond it) nor
        // the high watermark (what lies beyond may be truncated, and must not supersede the values it would replace).
        long upper = Math.min(Math.min(partitionLog.activeSegment().baseOffset(), partitionLog.lastStableOffset()),
            partitionLog.cleaningBound());
        if (cfg.minCompactionLagMs > 0) {
            for (LogSegment segment : sealed) {
                if (segment.nextOffset() > firstDirty && segment.maxTimestamp() > now - cfg.minCompactionLagMs) {
                    upper = Math.min(upper, segment.baseOffset());
                    break;
                }
            }
        }
        long clean = 0;
        long dirty = 0;
        boolean lagExceeded = false;
        boolean firstDirtySegment = true;
        for (LogSegment segment : sealed) {
            if (segment.nextOffset() <= firstDirty) {
                clean += segment.size();
            } else if (segment.baseOffset() < upper) {
                dirty += segment.size();
                if (firstDirtySegment && cfg.maxCompactionLagMs != Long.MAX_VALUE) {
                    long first = segment.firstBatchTimestamp();
                    lagExceeded = first >= 0 && now - first > cfg.maxCompactionLagMs;
                }
                firstDirtySegment = false;
            }
        }
        return new CleanableRange(firstDirty, upper, clean, dirty, lagExceeded);
    }

    /** The segments below the active one. The active segment is read after the list, so no listed one still grows. */
    private static List<LogSegment> sealedSegments(PartitionLog partitionLog) {
        List<LogSegment> all = partitionLog.segments();
        long activeBase = partitionLog.activeSegment().baseOffset();
        List<LogSegment> sealed = new ArrayList<>(all.size());
        for (LogSegment segment : all) {
            if (segment.baseOffset() < activeBase) {
                sealed.add(segment);
            }
        }
        return sealed;
    }

    /**
     * Runs one pass at time {@code now} (which decides min.compaction.lag and tombstone horizons).
     *
     * @throws CleaningAbortedException when the log asks the pass to stop; unfinished output is deleted
     */
    CleanerStats clean(CleaningSession session, long now) {
        long started = System.nanoTime();
        PartitionLog partitionLog = session.log();
        LogConfig cfg = partitionLog.config();
        CleanableRange range = cleanableRange(partitionLog, now);
        long firstDirty = range.firstDirtyOffset();
        long upper = range.firstUncleanableOffset();
        List<LogSegment> candidates = new ArrayList<>();
        for (LogSegment segment : sealedSegments(partitionLog)) {
            if (segment.baseOffset() < Math.max(upper, firstDirty)) {
                candidates.add(segment);
            }
        }
        Pass pass = new Pass(session, cfg, now);
        int lastToClean = pass.buildOffsetMap(candidates, firstDirty, upper);
        List<LogSegment> toClean = candidates.subList(0, lastToClean + 1);
        pass.cleanTxns = pass.transactionsOf(toClean);
        for (int next = 0; next < toClean.size(); ) {
            next = pass.cleanGroup(toClean, next);
        }
        session.markCleaned(pass.mappedUpTo, pass.earliestHorizon);
        CleanerStats stats = new CleanerStats(1, pass.bytesRead, pass.bytesWritten, pass.recordsRead, pass.recordsRemoved,
            pass.segmentsReplaced, pass.segmentsWritten, pass.mappedUpTo, pass.mappedUpTo < upper, System.nanoTime() - started);
        log.debug("Cleaned {} up to offset {}: {}", partitionLog.topicPartition(), pass.mappedUpTo, stats);
        return stats;
    }

    /**
     * Index room for a cleaned segment of up to {@code bytes} of batches: an entry needs more than
     * {@code index.interval.bytes} of batches since the previous one and at least one batch (61 bytes or more),
     * plus the time index's final entry; sized for the larger (time) index entry. The files are sparse until
     * written and trimmed to their entries when the segment is finished.
     */
    static int indexBytesFor(long bytes, LogConfig cfg) {
        long entries = Math.min(bytes / RecordBatch.HEADER_SIZE, bytes / (cfg.indexIntervalBytes + 1L)) + 3;
        return (int) Math.min(entries * TimeIndex.ENTRY_SIZE, Integer.MAX_VALUE / TimeIndex.ENTRY_SIZE * TimeIndex.ENTRY_SIZE);
    }

    /** The state of one pass. */
    private final class Pass {
        private final CleaningSession session;
        private final PartitionLog partitionLog;
        private final LogConfig cfg;
        private final long now;
        /** Producer id to the last offset of its last batch in the cleaned segments. */
        private final Map<Long, Long> lastBatchOfProducer = new HashMap<>();
        /** The transactions of the rewrite's read (the map's read keeps its own). */
        private CleanedTransactions cleanTxns;
        private long mappedUpTo;
        private long earliestHorizon = RecordBatch.NO_TIMESTAMP;
        private long bytesRead;
        private long bytesWritten;
        private long recordsRead;
        private long recordsRemoved;
        private int segmentsReplaced;
        private int segmentsWritten;

        Pass(CleaningSession session, LogConfig cfg, long now) {
            this.session = session;
            this.partitionLog = session.log();
            this.cfg = cfg;
            this.now = now;
        }

        /** The aborted transactions overlapping {@code segments}, for one read of them front to back. */
        CleanedTransactions transactionsOf(List<LogSegment> segments) {
            if (segments.isEmpty()) {
                return new CleanedTransactions(List.of());
            }
            return new CleanedTransactions(partitionLog.collectAbortedTransactions(segments.get(0).baseOffset(),
                segments.get(segments.size() - 1).nextOffset()));
        }

        /**
         * The next whole batch of {@code segment} (the one {@link #reader} was reset to), or null at its end. The
         * framing was checked; the CRC is checked by whoever decodes the batch.
         *
         * @throws LogStorageException at a batch whose framing is bad, or when the file cannot be read
         */
        private RecordBatch nextBatch(LogSegment segment) {
            try {
                if (reader.next()) {
                    return reader.batch();
                }
            } catch (IOException e) {
                throw new LogStorageException("Cannot read " + segment.logFile() + " at position " + reader.position(), e);
            }
            if (reader.invalidReason() != null) {
                throw new LogStorageException("Segment " + segment.logFile() + " has a bad batch at position " + reader.position()
                    + ": " + reader.invalidReason());
            }
            return null;
        }

        /**
         * Maps the keys of [firstDirty, upper) and notes each producer's last batch, reading the candidates front
         * to back. Sets {@link #mappedUpTo}; returns the index of the last candidate to clean.
         */
        int buildOffsetMap(List<LogSegment> candidates, long firstDirty, long upper) {
            map.clear();
            mappedUpTo = -1;
            CleanedTransactions mapTxns = transactionsOf(candidates);
            for (int i = 0; i < candidates.size(); i++) {
                LogSegment segment = candidates.get(i);
                reader.reset(segment.channel(), 0, segment.size());
                bytesRead += segment.size();
                RecordBatch batch;
                while ((batch = nextBatch(segment)) != null) {
                    checkAborted();
                    if (batch.producerId() != RecordBatch.NO_PRODUCER_ID) {
                        lastBatchOfProducer.put(batch.producerId(), batch.lastOffset());
                    }
                    // Aborted data never enters the map: its values must not supersede committed ones.
                    boolean aborted = false;
                    if (batch.isControlBatch()) {
                        mapTxns.markerRemovable(batch); // ends its producer's transaction for the batches after it
                    } else {
                        aborted = mapTxns.isAbortedData(batch);
                    }
                    if (aborted || mappedUpTo >= 0 || batch.isControlBatch() || batch.lastOffset() < firstDirty || batch.baseOffset() >= upper) {
                        continue;
                    }
                    List<Record> records = decode(batch);
                    if (records == null) {
                        continue;
                    }
                    for (Record record : records) {
                        long offset = record.offset();
                        if (offset < firstDirty || offset >= upper || !record.hasKey()) {
                            continue;
                        }
                        if (!map.put(record.key(), offset)) {
                            mappedUpTo = offset;
                            break;
                        }
                    }
                }
                if (mappedUpTo >= 0) {
                    return i;
                }
            }
            mappedUpTo = Math.max(upper, firstDirty);
            return candidates.size() - 1;
        }

        /**
         * Cleans {@code segments[from]} and as many following segments as fit into one cleaned segment, swaps it in
         * for them (unless that would change nothing: one segment whose every batch stayed as it was), and returns
         * the index of the first segment not cleaned. A segment joins while what is written so far plus its size
         * before cleaning stays within {@code segment.bytes}, the index entries written so far plus its own stay
         * within {@code segment.index.bytes}, and its offsets stay within int32 of the base offset — so several
         * segments that compaction shrinks merge into one in the same pass.
         */
        int cleanGroup(List<LogSegment> segments, int from) {
            LogSegment first = segments.get(from);
            long bound = Math.max(cfg.segmentBytes, first.size());
            // Twice the bound: re-encoding with the codec's default level may, rarely, write more than it read.
            LogSegment cleaned = LogSegment.createCleaned(partitionLog.dir(), first.baseOffset(), cfg, indexBytesFor(2 * bound, cfg));
            List<LogSegment> group = new ArrayList<>();
            boolean swapped = false;
            try {
                boolean changed = false;
                out.clear();
                int next = from;
                while (next < segments.size() && (next == from || fits(cleaned, segments.get(next), first))) {
                    LogSegment segment = segments.get(next);
                    changed |= !group.isEmpty();
                    group.add(segment);
                    reader.reset(segment.channel(), 0, segment.size());
                    bytesRead += segment.size();
                    RecordBatch batch;
                    while ((batch = nextBatch(segment)) != null) {
                        checkAborted();
                        changed |= filter(batch, cleaned);
                    }
                    next++;
                }
                // Before the swap: these transactions had no data left in the segments this pass read.
                session.forgetAbortedTransactions(cleanTxns.forgettable());
                if (!changed) {
                    return next;
                }
                flushOut(cleaned);
                cleaned.onBecomeInactive();
                cleaned.flush();
                session.replaceSegments(group, cleaned);
                swapped = true;
                bytesWritten += cleaned.size();
                segmentsReplaced += group.size();
                segmentsWritten++;
                return next;
            } finally {
                if (!swapped) {
                    cleaned.delete();
                }
            }
        }

        private boolean fits(LogSegment cleaned, LogSegment candidate, LogSegment first) {
            long written = (long) cleaned.size() + out.position();
            long indexEntries = cleaned.offsetIndex().entries() + (long) candidate.offsetIndex().entries() + 1;
            long timeIndexEntries = cleaned.timeIndex().entries() + (long) candidate.timeIndex().entries() + 1;
            return written + candidate.size() <= cfg.segmentBytes
                && indexEntries * OffsetIndex.ENTRY_SIZE <= cfg.segmentIndexBytes
                && timeIndexEntries * TimeIndex.ENTRY_SIZE <= cfg.segmentIndexBytes
                && candidate.nextOffset() - 1 - first.baseOffset() <= Integer.MAX_VALUE;
        }

        /** Writes what stays of {@code batch} to {@code cleaned}; true when that differs from the batch. */
        private boolean filter(RecordBatch batch, LogSegment cleaned) {
            if (batch.isControlBatch()) {
                return filterMarker(batch, cleaned);
            }
            if (cleanTxns.isAbortedData(batch)) {
                recordsRead += batch.recordCount();
                recordsRemoved += batch.recordCount();
                return dropKeepingProducer(batch, cleaned);
            }
            List<Record> records = decode(batch);
            if (records == null) {
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                return false;
            }
            if (records.isEmpty()) {
                // A bare header kept for its producer: it stays only while it is still the producer's last batch.
                if (isLastOfProducer(batch)) {
                    write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                    return false;
                }
                return true;
            }
            boolean horizonPassed = batch.hasDeleteHorizon() && now >= batch.deleteHorizonMs();
            List<Record> kept = new ArrayList<>(records.size());
            boolean keptTombstone = false;
            for (Record record : records) {
                if (retain(record, horizonPassed)) {
                    kept.add(record);
                    keptTombstone |= !record.hasValue();
                }
            }
            recordsRead += records.size();
            recordsRemoved += records.size() - kept.size();
            boolean needsHorizon = keptTombstone && !batch.hasDeleteHorizon();
            if (kept.size() == records.size() && !needsHorizon) {
                if (keptTombstone) {
                    noteHorizon(batch.deleteHorizonMs());
                }
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                return false;
            }
            if (kept.isEmpty()) {
                if (isLastOfProducer(batch)) {
                    ByteBuffer header = emptyBatch(batch);
                    write(header, 0, header.remaining(), cleaned);
                }
                return true;
            }
            long horizon = batch.hasDeleteHorizon() ? batch.deleteHorizonMs()
                : keptTombstone ? saturatedAdd(now, cfg.deleteRetentionMs) : RecordBatch.NO_TIMESTAMP;
            ByteBuffer rebuilt = rebuild(batch, kept, horizon);
            if (rebuilt == null) {
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                recordsRemoved -= records.size() - kept.size();
                return false;
            }
            if (keptTombstone) {
                noteHorizon(horizon);
            }
            write(rebuilt, 0, rebuilt.remaining(), cleaned);
            return true;
        }

        /**
         * A transaction marker stays while data of its transaction may be in the log ({@link CleanedTransactions}); then
         * it gets a delete horizon, now + {@code delete.retention.ms}, like a tombstone's, and a pass after the horizon
         * drops it (its bare header stays while it is its producer's last batch).
         */
        private boolean filterMarker(RecordBatch batch, LogSegment cleaned) {
            boolean removable = cleanTxns.markerRemovable(batch);
            if (batch.recordCount() == 0) {
                return dropKeepingProducer(batch, cleaned); // emptied by an earlier pass
            }
            if (!removable) {
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                return false;
            }
            if (batch.hasDeleteHorizon()) {
                if (now >= batch.deleteHorizonMs()) {
                    return dropKeepingProducer(batch, cleaned);
                }
                noteHorizon(batch.deleteHorizonMs());
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                return false;
            }
            List<Record> records = decode(batch);
            long horizon = saturatedAdd(now, cfg.deleteRetentionMs);
            ByteBuffer rebuilt = records == null ? null : rebuild(batch, records, horizon);
            if (rebuilt == null) {
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                return false;
            }
            noteHorizon(horizon);
            write(rebuilt, 0, rebuilt.remaining(), cleaned);
            return true;
        }

        /**
         * Drops {@code batch}, unless it is its producer's last batch in the log: then its bare header stays (as it is
         * when it already is one), so producer state can be rebuilt. True when the output differs from the batch.
         */
        private boolean dropKeepingProducer(RecordBatch batch, LogSegment cleaned) {
            if (!isLastOfProducer(batch)) {
                return true;
            }
            if (batch.recordCount() == 0) {
                write(batch.buffer(), batch.start(), batch.sizeInBytes(), cleaned);
                return false;
            }
            ByteBuffer header = emptyBatch(batch);
            write(header, 0, header.remaining(), cleaned);
            return true;
        }

        private boolean retain(Record record, boolean horizonPassed) {
            if (record.offset() >= mappedUpTo) {
                return true; // beyond the map: whether a later record supersedes it is for a later pass to tell
            }
            if (!record.hasKey()) {
                return false; // a compacted log cannot keep what it cannot deduplicate; Kafka drops these too
            }
            if (record.offset() < map.get(record.key())) {
                return false;
            }
            return record.hasValue() || !horizonPassed;
        }

        private boolean isLastOfProducer(RecordBatch batch) {
            long producerId = batch.producerId();
            return producerId != RecordBatch.NO_PRODUCER_ID
                && Long.valueOf(batch.lastOffset()).equals(lastBatchOfProducer.get(producerId));
        }

        /**
         * The codec a rebuilt batch keeps, at the topic's {@code compression.<codec>.level} when it is the topic's
         * {@code compression.type} (the level the batch was stored with if the broker re-encoded it), else at the
         * codec's default level, the only one known for a producer's batch. Kafka's cleaner always uses the default
         * level; a topic that asks for zstd at level 19 would lose that on every cleaning.
         */
        private Compression codecFor(CompressionType type) {
            return cfg.compression != null && cfg.compression.type() == type ? cfg.compression : Compression.of(type);
        }

        private void noteHorizon(long horizon) {
            if (horizon >= 0 && (earliestHorizon < 0 || horizon < earliestHorizon)) {
                earliestHorizon = horizon;
            }
        }

        /**
         * The batch re-encoded with only {@code kept}; null when its producer fields break the rules the builder
         * enforces (such a batch was appended by a non-conforming client and is then kept whole).
         */
        private ByteBuffer rebuild(RecordBatch batch, List<Record> kept, long horizon) {
            RecordBatchBuilder builder = new RecordBatchBuilder(codecFor(batch.compressionType()),
                Math.min(batch.sizeInBytes(), ioBufferSize));
            builder.baseOffset(batch.baseOffset())
                .partitionLeaderEpoch(batch.partitionLeaderEpoch())
                .producer(batch.producerId(), batch.producerEpoch(), batch.baseSequence())
                .transactional(batch.isTransactional())
                .control(batch.isControlBatch())
                .deleteHorizonMs(horizon);
            if (batch.timestampType() == TimestampType.LOG_APPEND_TIME) {
                builder.logAppendTime(batch.maxTimestamp());
            }
            for (Record record : kept) {
                builder.appendWithOffset(record.offset(), record.timestamp(), record.key(), record.value(), record.headers());
            }
            ByteBuffer built;
            try {
                built = builder.build();
            } catch (IllegalArgumentException e) {
                log.warn("Keeping batch at offset {} of {} whole: it cannot be re-encoded ({})", batch.baseOffset(),
                    partitionLog.topicPartition(), e.getMessage());
                return null;
            }
            // Kafka keeps the original last offset so that the producer's last sequence survives compaction.
            built.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, batch.lastOffsetDelta());
            built.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(built, 0).computeChecksum());
            return built;
        }

        /** The records, or null (and a warning) when they cannot be decoded; such a batch is kept as it is. */
        private List<Record> decode(RecordBatch batch) {
            try {
                return recordReader.read(batch);
            } catch (InvalidRecordException e) {
                log.warn("Keeping batch at offset {} of {} uncleaned: its records cannot be read ({})", batch.baseOffset(),
                    partitionLog.topicPartition(), e.getMessage());
                return null;
            }
        }

        /** Appends to the output buffer, handing it to the segment whenever it fills. */
        private void write(ByteBuffer source, int start, int length, LogSegment cleaned) {
            if ((long) cleaned.size() + out.position() + length > Integer.MAX_VALUE) {
                throw new LogStorageException("Cleaned segment " + cleaned.logFile() + " would pass the 2 GiB limit of int32 positions");
            }
            if (length > out.remaining()) {
                flushOut(cleaned);
            }
            ByteBuffer bytes = source.duplicate();
            bytes.limit(start + length).position(start);
            if (length > out.capacity()) {
                cleaned.append(bytes, now);
            } else {
                out.put(bytes);
            }
        }

        private void flushOut(LogSegment cleaned) {
            if (out.position() > 0) {
                out.flip();
                cleaned.append(out, now);
                out.clear();
            }
        }

        private void checkAborted() {
            if (session.abortRequested() || stopRequested.getAsBoolean()) {
                throw new CleaningAbortedException("Cleaning of " + partitionLog.topicPartition()
                    + " stopped: the log or the cleaner is shutting down, or the log is being truncated");
            }
        }
    }

    /**
     * The bare header of {@code batch}: no records, its offsets, timestamps and producer fields unchanged, no
     * codec (there is nothing to compress), a new CRC.
     */
    static ByteBuffer emptyBatch(RecordBatch batch) {
        ByteBuffer header = ByteBuffer.allocate(RecordBatch.HEADER_SIZE);
        ByteBuffer source = batch.buffer().duplicate();
        source.limit(batch.start() + RecordBatch.HEADER_SIZE).position(batch.start());
        header.put(source).flip();
        header.putInt(RecordBatch.LENGTH_OFFSET, RecordBatch.MIN_BATCH_LENGTH);
        header.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) (batch.attributes() & ~CompressionType.ATTRIBUTE_MASK));
        header.putInt(RecordBatch.RECORD_COUNT_OFFSET, 0);
        header.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(header, 0).computeChecksum());
        return header;
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
