package io.tributary.log.checkpoint;

import io.tributary.log.LogStorageException;
import io.tributary.protocol.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A per-directory file of one offset per partition, in Kafka's checkpoint format:
 * <pre>
 * 0                      version
 * 2                      number of entries
 * orders 0 1534          topic, partition, offset — one line each
 * orders 1 977
 * </pre>
 * Written through {@link CrashSafeFile}, so a crash leaves either the old or the new file, never a mix.
 */
public final class OffsetCheckpointFile {
    private static final Logger log = LoggerFactory.getLogger(OffsetCheckpointFile.class);
    private static final int VERSION = 0;

    private final Path file;

    public OffsetCheckpointFile(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    public void write(Map<TopicPartition, Long> offsets) {
        StringBuilder text = new StringBuilder();
        text.append(VERSION).append('\n').append(offsets.size()).append('\n');
        new TreeMap<>(offsets).forEach((tp, offset) ->
            text.append(tp.topic()).append(' ').append(tp.partition()).append(' ').append(offset).append('\n'));
        CrashSafeFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The offsets in the file; empty when it does not exist. A malformed file is logged and read as empty:
     * for a recovery point that means "recover everything", which is slow but safe.
     */
    public Map<TopicPartition, Long> read() {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new LogStorageException("Cannot read checkpoint " + file, e);
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IllegalArgumentException("expected version " + VERSION + " and a count on the first two lines");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count != lines.size() - 2) {
                throw new IllegalArgumentException("count " + count + " but " + (lines.size() - 2) + " entries");
            }
            Map<TopicPartition, Long> offsets = new HashMap<>();
            for (String line : lines.subList(2, lines.size())) {
                String[] parts = line.trim().split(" ");
                if (parts.length != 3) {
                    throw new IllegalArgumentException("malformed line '" + line + "'");
                }
                offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
            return offsets;
        } catch (IllegalArgumentException e) {
            log.warn("Ignoring malformed checkpoint {}: {}", file, e.getMessage());
            return Map.of();
        }
    }
}
