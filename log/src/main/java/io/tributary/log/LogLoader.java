package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.segment.LogSegment;
import io.tributary.log.segment.SegmentScanner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Loading one partition log's segments from its directory at open, and recovering them after a crash (Kafka's
 * LogLoader): what is on disk becomes a consistent {@link LogSegments}, whatever step of an append, a roll or a
 * cleaner's swap the crash interrupted.
 *
 * <p>Files it resolves: {@code .tmp} and {@code .deleted} files are garbage; {@code .cleaned} files are an unfinished
 * cleaning pass and are deleted; a {@code .swap} log file is a finished one and replaces the segments it was cleaned
 * from ({@link #completeSwap}); an index whose log file is gone is deleted. Without a clean shutdown every segment
 * from the one holding the recovery point on is scanned ({@link LogSegment#recover()}): a torn or corrupt tail is
 * truncated to its last valid batch and later segments are dropped.
 *
 * <p>Design note: a separate class so the facade keeps only the live log's state; the loader runs once, before the
 * log is published, so it needs no lock.
 */
final class LogLoader {
    private static final Logger log = LoggerFactory.getLogger(LogLoader.class);

    private final Path dir;
    private final TopicPartition topicPartition;
    private final LogConfig config;
    private final LogSegments segments;

    LogLoader(Path dir, TopicPartition topicPartition, LogConfig config, LogSegments segments) {
        this.dir = dir;
        this.topicPartition = topicPartition;
        this.config = config;
        this.segments = segments;
    }

    /**
     * Fills {@code segments} from {@code dir}: finishes interrupted swaps, deletes unfinished cleanings, temporary
     * files and indices without a segment, opens every segment (creating an empty one at 0 in an empty directory)
     * and, without a clean shutdown, recovers from the segment holding {@code checkpointedRecoveryPoint} on and
     * fsyncs what it recovered.
     */
    void load(long checkpointedRecoveryPoint, boolean hadCleanShutdown) {
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
            segments.add(LogSegment.open(dir, base, cfg));
        }
        if (segments.isEmpty()) {
            segments.add(LogSegment.create(dir, 0L, cfg));
        }

        if (hadCleanShutdown) {
            for (LogSegment segment : segments.all()) {
                segment.loadIntactState();
            }
        } else {
            recoverUnflushed(checkpointedRecoveryPoint);
            // The recovered tail is valid now; make it durable so the next crash need not scan it again.
            for (LogSegment segment : segments.from(segments.floorBase(checkpointedRecoveryPoint))) {
                segment.flush();
            }
        }
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
        long recoverFrom = segments.floorBase(checkpointedRecoveryPoint);
        for (LogSegment segment : segments.below(recoverFrom)) {
            segment.loadIntactState();
        }
        List<LogSegment> unflushed = new ArrayList<>(segments.from(recoverFrom));
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
            segments.add(LogSegment.create(dir, 0L, config));
        }
    }
}
