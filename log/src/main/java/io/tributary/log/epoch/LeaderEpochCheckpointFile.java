package io.tributary.log.epoch;

import io.tributary.log.checkpoint.CrashSafeFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A partition's {@code leader-epoch-checkpoint}, in Kafka's text format (UTF-8, one item per line):
 * <pre>
 * 0          version
 * 2          number of entries
 * 0 0        leader epoch (int32), start offset (int64), separated by white space — one line per entry
 * 3 1534
 * </pre>
 * Entries are in increasing order of both epoch and start offset. Written whole through {@link CrashSafeFile},
 * so a crash leaves either the old or the new file. Reading is strict — a wrong version or count, a line that
 * is not two non-negative numbers, or entries out of order make the file {@link Malformed}, never a guess —
 * because the caller can always rebuild the entries from the log's batch headers.
 */
public final class LeaderEpochCheckpointFile {
    public static final String FILE_NAME = "leader-epoch-checkpoint";
    static final int VERSION = 0;
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private final Path file;

    public LeaderEpochCheckpointFile(Path file) {
        this.file = file;
    }

    /** The checkpoint of the partition whose directory is {@code partitionDir}. */
    public static LeaderEpochCheckpointFile in(Path partitionDir) {
        return new LeaderEpochCheckpointFile(partitionDir.resolve(FILE_NAME));
    }

    public Path file() {
        return file;
    }

    /** What reading the file found. */
    public sealed interface Contents permits Missing, Entries, Malformed {
    }

    /** There is no checkpoint file (a new partition, or one written before the cache existed). */
    public record Missing() implements Contents {
    }

    /** The file's entries, in order. */
    public record Entries(List<EpochEntry> entries) implements Contents {
    }

    /** The file exists but cannot be trusted: torn, garbage, or inconsistent; {@code reason} says how. */
    public record Malformed(String reason) implements Contents {
    }

    /** Replaces the file with {@code entries} (in order), crash-safely. */
    public void write(List<EpochEntry> entries) {
        StringBuilder text = new StringBuilder(16 + entries.size() * 16);
        text.append(VERSION).append('\n').append(entries.size()).append('\n');
        for (EpochEntry entry : entries) {
            text.append(entry.epoch()).append(' ').append(entry.startOffset()).append('\n');
        }
        CrashSafeFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    public Contents read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Missing();
        } catch (IOException e) {
            // Undecodable bytes land here too (MalformedInputException): garbage, not a broken disk.
            return new Malformed("cannot be read: " + e);
        }
        if (lines.size() < 2) {
            return new Malformed("has " + lines.size() + " line(s); a version and a count are needed");
        }
        try {
            int version = Integer.parseInt(lines.get(0).trim());
            if (version != VERSION) {
                return new Malformed("has version " + version + ", expected " + VERSION);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                return new Malformed("declares " + count + " entries but holds " + (lines.size() - 2) + " line(s) after the count");
            }
            List<EpochEntry> entries = new ArrayList<>(count);
            for (int i = 2; i < lines.size(); i++) {
                String[] fields = WHITE_SPACE.split(lines.get(i).trim());
                if (fields.length != 2) {
                    return new Malformed("line " + (i + 1) + " '" + lines.get(i) + "' is not 'epoch startOffset'");
                }
                int epoch = Integer.parseInt(fields[0]);
                long startOffset = Long.parseLong(fields[1]);
                if (epoch < 0 || startOffset < 0) {
                    return new Malformed("line " + (i + 1) + " has a negative epoch or offset: '" + lines.get(i) + "'");
                }
                EpochEntry entry = new EpochEntry(epoch, startOffset);
                if (!entries.isEmpty()) {
                    EpochEntry previous = entries.get(entries.size() - 1);
                    if (entry.epoch() <= previous.epoch() || entry.startOffset() <= previous.startOffset()) {
                        return new Malformed("entry " + entry + " on line " + (i + 1) + " does not follow " + previous
                            + " in increasing epoch and start offset");
                    }
                }
                entries.add(entry);
            }
            return new Entries(List.copyOf(entries));
        } catch (NumberFormatException e) {
            return new Malformed("has a field that is not a number: " + e.getMessage());
        }
    }
}
