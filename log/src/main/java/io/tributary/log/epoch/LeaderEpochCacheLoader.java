package io.tributary.log.epoch;

import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import io.tributary.protocol.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Brings a partition's leader-epoch cache in line with its log at start, after the log's own recovery: reads
 * {@code leader-epoch-checkpoint}, drops entries at or above the recovered log end (data that did not survive a
 * crash), moves the first entry up to the log start, and checks that the first and last batch of the log carry
 * the epochs the entries give for their offsets. A checkpoint that is missing (while the log has batches),
 * malformed or in disagreement is rebuilt from the partitionLeaderEpoch of every batch header; start-up never
 * fails because of it.
 *
 * <p>Design note: a separate class so that the log facade only calls it. The checks read two batch headers, so a
 * good checkpoint costs two small reads per partition; a bad or missing one costs two per segment plus a walk of
 * the segments in which the epoch changes (once: the rebuilt file is written).
 */
public final class LeaderEpochCacheLoader {
    private static final Logger log = LoggerFactory.getLogger(LeaderEpochCacheLoader.class);

    private LeaderEpochCacheLoader() {
    }

    /** A batch's base offset and partition leader epoch. */
    private record BatchEpoch(long baseOffset, int epoch) {
    }

    /**
     * Fills {@code cache} for {@code partitionLog}, which has finished loading and recovering its segments and is
     * not yet shared with any other thread.
     */
    public static void load(LeaderEpochFileCache cache, PartitionLog partitionLog) {
        long logStart = partitionLog.logStartOffset();
        long logEnd = partitionLog.logEndOffset();
        List<LogSegment> segments = partitionLog.segments();
        String reason;
        LeaderEpochCheckpointFile.Contents contents = cache.checkpoint().read();
        if (contents instanceof LeaderEpochCheckpointFile.Entries read) {
            cache.restore(read.entries());
            cache.truncateFromEnd(logEnd);
            cache.truncateFromStart(logStart);
            reason = disagreement(cache, segments);
            if (reason == null) {
                return;
            }
        } else if (contents instanceof LeaderEpochCheckpointFile.Malformed malformed) {
            reason = "is malformed: it " + malformed.reason();
        } else if (segments.stream().allMatch(segment -> segment.size() == 0)) {
            return; // a new or empty log: the first append writes the file
        } else {
            rebuild(cache, partitionLog, "is missing", true);
            return;
        }
        rebuild(cache, partitionLog, reason, false);
    }

    /** Null when the first and last batches carry the epochs the cache gives for their offsets, else how not. */
    private static String disagreement(LeaderEpochFileCache cache, List<LogSegment> segments) {
        BatchEpoch[] ends;
        try {
            ends = new BatchEpoch[] {firstBatch(segments), lastBatch(segments)};
        } catch (LogStorageException e) {
            return "cannot be checked against the log: " + e.getMessage();
        }
        for (BatchEpoch batch : ends) {
            if (batch == null) {
                continue;
            }
            int expected = batch.epoch() >= 0 ? batch.epoch() : LeaderEpochs.UNDEFINED;
            int cached = cache.epochForOffset(batch.baseOffset());
            if (cached != expected) {
                return "says epoch " + cached + " for the batch at offset " + batch.baseOffset() + ", whose header says "
                    + batch.epoch() + " (entries " + cache.entries() + ")";
            }
        }
        return null;
    }

    /**
     * Rebuilds the entries from the batch headers. Epochs never decrease along a log (a leader appends at its own
     * epoch, which only grows, and a follower truncates before it appends an older leader's batches), so a segment
     * whose first and last batches carry the same epoch holds no other: it costs two header reads, and only a
     * segment in which the epoch changes is walked batch by batch. A log of one epoch — every log of a single
     * broker, and every log written before this cache existed — is rebuilt in two reads per segment.
     */
    private static void rebuild(LeaderEpochFileCache cache, PartitionLog partitionLog, String reason, boolean missing) {
        long started = System.nanoTime();
        List<EpochEntry> entries = new ArrayList<>();
        int walked = 0;
        try {
            for (LogSegment segment : partitionLog.segments()) {
                BatchEpoch first = firstBatch(List.of(segment));
                if (first == null) {
                    continue;
                }
                BatchEpoch last = lastBatch(List.of(segment));
                if (first.epoch() == last.epoch()) {
                    addIfNewer(entries, first.epoch(), first.baseOffset());
                } else {
                    walk(segment, entries);
                    walked++;
                }
            }
        } catch (LogStorageException e) {
            // A flushed segment the recovery trusted is unreadable; the log will say so when it is read. Keep what
            // the readable part says rather than refuse to start.
            log.error("Rebuilding the leader epoch cache of {} stopped at an unreadable batch; keeping {}",
                partitionLog.topicPartition(), entries, e);
        }
        cache.restore(entries);
        cache.writeCheckpoint();
        // A missing file is expected once per partition written before the cache existed; anything else is damage.
        String message = "Rebuilt the leader epoch cache of {} from the batch headers ({} segment(s) walked) in {} ms because {} {}; "
            + "entries now {}";
        Object[] arguments = {partitionLog.topicPartition(), walked, (System.nanoTime() - started) / 1_000_000,
            cache.checkpoint().file(), reason, cache.entries()};
        if (missing) {
            log.info(message, arguments);
        } else {
            log.warn(message, arguments);
        }
    }

    /** The same rule as appends: only an epoch newer than the latest starts an entry. */
    private static void addIfNewer(List<EpochEntry> entries, int epoch, long baseOffset) {
        int latest = entries.isEmpty() ? LeaderEpochs.UNDEFINED : entries.get(entries.size() - 1).epoch();
        if (epoch > latest) {
            entries.add(new EpochEntry(epoch, baseOffset));
        }
    }

    private static void walk(LogSegment segment, List<EpochEntry> entries) {
        SegmentScanner scanner = new SegmentScanner(segment.channel(), 0, segment.size(), false, 1 << 20);
        try {
            while (scanner.next()) {
                addIfNewer(entries, scanner.header().partitionLeaderEpoch(), scanner.header().baseOffset());
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot read the batch headers of " + segment.logFile(), e);
        }
        if (scanner.invalidReason() != null) {
            throw new LogStorageException("Segment " + segment.logFile() + " has an unreadable batch at byte " + scanner.position()
                + ": " + scanner.invalidReason());
        }
    }

    private static BatchEpoch firstBatch(List<LogSegment> segments) {
        for (LogSegment segment : segments) {
            if (segment.size() > 0) {
                return readBatchEpoch(segment, 0);
            }
        }
        return null;
    }

    private static BatchEpoch lastBatch(List<LogSegment> segments) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            LogSegment segment = segments.get(i);
            if (segment.size() > 0) {
                LogSegment.BatchPosition last = segment.findBatch(segment.nextOffset() - 1, Integer.MAX_VALUE);
                if (last != null) {
                    return readBatchEpoch(segment, last.position());
                }
            }
        }
        return null;
    }

    /** The batch at {@code position}, read by the log's one batch walker; a header-sized read. */
    private static BatchEpoch readBatchEpoch(LogSegment segment, int position) {
        SegmentScanner scanner = new SegmentScanner(segment.channel(), position, segment.size(), false, RecordBatch.HEADER_SIZE);
        try {
            if (!scanner.next()) {
                throw new LogStorageException("Segment " + segment.logFile() + " has no readable batch at byte " + position + ": "
                    + scanner.invalidReason());
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot read the batch header at byte " + position + " of " + segment.logFile(), e);
        }
        return new BatchEpoch(scanner.header().baseOffset(), scanner.header().partitionLeaderEpoch());
    }
}
