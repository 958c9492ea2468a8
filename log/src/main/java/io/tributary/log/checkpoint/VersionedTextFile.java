package io.tributary.log.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small ASCII state file of the broker (SCRAM credentials, ACLs, client quotas): a version line, then one entry a
 * line; blank lines are ignored. Written whole and crash-safe ({@link CrashSafeFile}), so a reader sees the old or
 * the new content, never a mix.
 */
public final class VersionedTextFile {
    private VersionedTextFile() {
    }

    /**
     * The entry lines of {@code file}, or none when it does not exist.
     *
     * @throws IllegalStateException when the first line is not {@code version}
     */
    public static List<String> readEntries(Path file, String version) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (lines.isEmpty() || !lines.get(0).equals(version)) {
            throw new IllegalStateException("Unknown format of " + file + ": first line " + (lines.isEmpty() ? "missing" : lines.get(0)));
        }
        List<String> entries = new ArrayList<>(lines.size() - 1);
        for (String line : lines.subList(1, lines.size())) {
            if (!line.isBlank()) {
                entries.add(line);
            }
        }
        return entries;
    }

    /** Replaces {@code file} with the version line followed by {@code entries}, each ending in a newline. */
    public static void write(Path file, String version, CharSequence entries) {
        String text = version + '\n' + entries;
        CrashSafeFile.write(file, text.getBytes(StandardCharsets.US_ASCII));
    }
}
