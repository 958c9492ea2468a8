package io.tributary.ops.log;

import io.tributary.protocol.TopicPartition;
import io.tributary.log.segment.LogSegment;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One partition directory checked segment by segment ({@link SegmentDump} without records), plus what only the
 * whole partition shows: each segment starts at or after the offset where the one before it ended. Files a
 * cleaning pass left ({@code .cleaned}, {@code .swap}) are noted, not judged: the broker settles them at start.
 */
public record PartitionCheck(Path dir, String name, int segments, long batches, long records, long firstOffset,
                             long nextOffset, long bytes, List<String> problems, List<String> notes) {

    /** The partition directories in {@code dir}: itself when it holds segment files, else its topic-partition subdirectories. */
    static List<Path> partitionDirs(Path dir) throws IOException {
        if (!segmentFiles(dir).isEmpty()) {
            return List.of(dir);
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isDirectory)) {
            for (Path entry : entries) {
                if (TopicPartition.parseDirName(entry.getFileName().toString()) != null) {
                    found.add(entry);
                }
            }
        }
        found.sort(null);
        return found;
    }

    static PartitionCheck of(Path dir) throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        TreeMap<Long, Path> files = segmentFiles(dir);
        long batches = 0;
        long records = 0;
        long bytes = 0;
        long firstOffset = -1;
        long previousNext = -1;
        for (Path file : files.values()) {
            SegmentDump dump = SegmentDump.of(file, false);
            String name = file.getFileName().toString();
            dump.problems().forEach(p -> problems.add(name + ": " + p));
            if (previousNext >= 0 && dump.baseOffset() < previousNext) {
                problems.add(name + ": starts at offset " + dump.baseOffset() + ", before the previous segment's end " + previousNext);
            }
            if (firstOffset < 0 && !dump.batches().isEmpty()) {
                firstOffset = dump.batches().get(0).baseOffset();
            }
            batches += dump.batches().size();
            records += dump.recordCount();
            bytes += dump.fileSize();
            previousNext = Math.max(previousNext, dump.nextOffset());
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.endsWith(LogSegment.CLEANED_SUFFIX) || name.endsWith(LogSegment.SWAP_SUFFIX)) {
                    notes.add(name + " is left from a cleaning pass; the broker completes or deletes it at start");
                }
            }
        }
        notes.sort(null);
        return new PartitionCheck(dir, dir.getFileName().toString(), files.size(), batches, records, firstOffset,
            previousNext < 0 ? -1 : previousNext, bytes, problems, notes);
    }

    private static TreeMap<Long, Path> segmentFiles(Path dir) throws IOException {
        TreeMap<Long, Path> files = new TreeMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, Files::isRegularFile)) {
            for (Path entry : entries) {
                long base = LogSegment.parseBaseOffset(entry.getFileName().toString(), LogSegment.LOG_SUFFIX);
                if (base >= 0) {
                    files.put(base, entry);
                }
            }
        }
        return files;
    }
}
