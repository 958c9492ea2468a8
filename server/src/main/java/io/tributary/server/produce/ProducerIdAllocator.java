package io.tributary.server.produce;

import io.tributary.log.LogStorageException;
import io.tributary.log.checkpoint.CrashSafeFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Hands out producer ids that are never handed out again, also across restarts and crashes.
 *
 * <p>Ids are reserved in blocks of {@value #BLOCK_SIZE}: before the first id of a block is given out, the
 * end of the block is written to {@code <first log dir>/producer-id-block}, atomically (temporary file,
 * fsync, rename, directory fsync). The file holds two lines:
 * <pre>
 * 0        format version
 * 2000     the first id no block has reserved yet
 * </pre>
 * A start resumes at that id, so the unused rest of the last block is skipped rather than reused. A
 * missing file means no id was ever reserved; a malformed one stops the start, since guessing could reuse
 * ids.
 *
 * <p>In a cluster of several brokers the blocks come from the controller instead ({@link #fromController}): the
 * metadata quorum records each block given out, so no two brokers (nor two incarnations of one) ever hand out the same
 * id. A per-broker file there would let every broker start at 0, and an idempotent producer given id 0 by one broker
 * would have its batches taken for duplicates of another producer's (DUPLICATE_SEQUENCE_NUMBER, which the client
 * counts as success) wherever both wrote: acknowledged records never written.
 *
 * <p>Thread-safe. Reserving a block fsyncs (or waits for the quorum), so callers allocate off the network threads.
 */
public final class ProducerIdAllocator {
    public static final String FILE_NAME = "producer-id-block";
    public static final int BLOCK_SIZE = 1000;
    private static final int VERSION = 0;

    /** Where a cluster broker's blocks come from: the controller, through the metadata quorum. */
    public interface BlockSource {
        /**
         * Reserves a block of {@value #BLOCK_SIZE} ids no broker was given before; returns its first id.
         *
         * @throws BlockUnavailableException when no block can be had now (no controller, this broker not registered)
         */
        long reserveBlock();

        /** Whether {@code producerId} may have been handed out by any broker of the cluster. */
        boolean mayHaveIssued(long producerId);
    }

    /** No block of producer ids can be had now; the client retries (COORDINATOR_LOAD_IN_PROGRESS, as Kafka answers). */
    public static final class BlockUnavailableException extends RuntimeException {
        public BlockUnavailableException(String message) {
            super(message);
        }
    }

    private final Path file;
    private final BlockSource source;
    private long next;
    private long blockEnd;

    private ProducerIdAllocator(Path file, BlockSource source, long reservedUpTo) {
        this.file = file;
        this.source = source;
        this.next = reservedUpTo;
        this.blockEnd = reservedUpTo;
    }

    /** The allocator of a broker of a cluster: every block from the controller ({@code source}), nothing on disk. */
    public static ProducerIdAllocator fromController(BlockSource source) {
        return new ProducerIdAllocator(null, source, 0);
    }

    /**
     * Opens the allocator of the broker whose first log directory is {@code logDir}.
     *
     * @throws LogStorageException when the file cannot be read or is malformed, naming the file and the problem
     */
    public static ProducerIdAllocator open(Path logDir) {
        Path file = logDir.resolve(FILE_NAME);
        return new ProducerIdAllocator(file, null, read(file));
    }

    private static long read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new LogStorageException("Cannot read producer id block file " + file, e);
        }
        try {
            if (lines.size() != 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new NumberFormatException("expected version " + VERSION + " and one id on two lines, found " + lines.size() + " lines");
            }
            long reserved = Long.parseLong(lines.get(1).trim());
            if (reserved < 0) {
                throw new NumberFormatException("reserved id " + reserved + " is negative");
            }
            return reserved;
        } catch (NumberFormatException e) {
            throw new LogStorageException("Producer id block file " + file + " is malformed (" + e.getMessage()
                + "); refusing to start rather than risk handing out a producer id twice");
        }
    }

    /** A producer id never handed out before by this broker. */
    public synchronized long allocate() {
        if (next == blockEnd && source != null) {
            long first = source.reserveBlock();
            next = first;
            blockEnd = first + BLOCK_SIZE;
        }
        if (next == blockEnd) {
            if (blockEnd > Long.MAX_VALUE - BLOCK_SIZE) {
                throw new IllegalStateException("Producer ids are exhausted: the next block would pass " + Long.MAX_VALUE);
            }
            long newEnd = blockEnd + BLOCK_SIZE;
            CrashSafeFile.write(file, (VERSION + "\n" + newEnd + "\n").getBytes(StandardCharsets.UTF_8));
            blockEnd = newEnd;
        }
        return next++;
    }

    /** Whether {@code producerId} may have been handed out (it is below the ids still to come). */
    public synchronized boolean mayHaveIssued(long producerId) {
        if (source != null) {
            return source.mayHaveIssued(producerId);
        }
        return producerId >= 0 && producerId < next;
    }
}
