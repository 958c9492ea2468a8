package io.tributary.log.checkpoint;

import io.tributary.log.LogStorageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The one way the broker replaces a small whole file (checkpoints, topic metadata, cluster identity, producer
 * snapshots, producer-id blocks, the clean-shutdown marker): write {@code <name>.tmp}, fsync it, rename it over
 * {@code <name>}, fsync the directory.
 *
 * <p>Invariant after a crash at any point: {@code <name>} is either the old content or the new, never a mix or a
 * truncation; a left-over {@code <name>.tmp} is garbage that the next write truncates.
 */
public final class CrashSafeFile {
    private static final Logger log = LoggerFactory.getLogger(CrashSafeFile.class);

    private CrashSafeFile() {
    }

    /**
     * Replaces {@code target} with {@code content} so that a crash leaves the old or the new file whole.
     *
     * @throws LogStorageException when any step fails; {@code target} then still holds its old content
     */
    public static void write(Path target, byte[] content) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            fsyncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new LogStorageException("Cannot write " + target, e);
        }
    }

    /** Makes a rename, creation or deletion in {@code dir} durable. */
    public static void fsyncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some file systems refuse to open or sync directories; the data files themselves are synced.
            log.debug("Cannot fsync directory {}: {}", dir, e.toString());
        }
    }
}
