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
 * <p>In a cluster ({@link #fromQuorum}) the blocks come from the metadata quorum instead (Kafka's AllocateProducerIds):
 * the controller commits a record moving the cluster's next free id past the block before the broker hears of it, so
 * no two brokers, and no later incarnation of one, get the same id. The file above is then only read, once: a data
 * directory from before the cluster asks for its first block at or above the id it had reserved, so an upgrade
 * never hands out an id the local allocator already did.
 *
 * <p>Thread-safe. Reserving a block fsyncs (or waits for the quorum), so callers allocate off the network threads.
 */
public final class ProducerIdAllocator {
    public static final String FILE_NAME = "producer-id-block";
    static final int BLOCK_SIZE = 1000;
    private static final int VERSION = 0;

    /** Reserves the next block of {@value #BLOCK_SIZE} ids cluster-wide and returns its first id. */
    @FunctionalInterface
    public interface BlockSource {
        /**
         * @param atLeast the block must start at or above this id
         * @throws Unavailable when no block can be had now (no controller, not registered yet): the caller retries
         */
        long reserve(long atLeast);
    }

    /** No producer id can be handed out now; retriable (Kafka answers COORDINATOR_LOAD_IN_PROGRESS). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Path file;
    private final BlockSource quorum;
    private final java.util.function.LongSupplier clusterNext;
    /** Quorum mode: the id the next block must start at or above (the pre-cluster reservation, then each block's end). */
    private long floor;
    private long next;
    private long blockEnd;

    private ProducerIdAllocator(Path file, long reservedUpTo, BlockSource quorum, java.util.function.LongSupplier clusterNext) {
        this.file = file;
        this.quorum = quorum;
        this.clusterNext = clusterNext;
        this.floor = reservedUpTo;
        this.next = reservedUpTo;
        this.blockEnd = reservedUpTo;
    }

    /**
     * Opens the allocator of the broker whose first log directory is {@code logDir}.
     *
     * @throws LogStorageException when the file cannot be read or is malformed, naming the file and the problem
     */
    public static ProducerIdAllocator open(Path logDir) {
        Path file = logDir.resolve(FILE_NAME);
        return new ProducerIdAllocator(file, read(file), null, () -> 0);
    }

    /**
     * An allocator taking its blocks from the metadata quorum; the first block starts at or above what
     * {@code <logDir>/producer-id-block} reserved, if a pre-cluster broker left one.
     *
     * @param clusterNext the cluster's next unreserved id as this broker's image knows it (for {@link #mayHaveIssued})
     * @throws LogStorageException when the file exists but cannot be read or is malformed
     */
    public static ProducerIdAllocator fromQuorum(Path logDir, BlockSource quorum, java.util.function.LongSupplier clusterNext) {
        Path file = logDir.resolve(FILE_NAME);
        return new ProducerIdAllocator(file, read(file), java.util.Objects.requireNonNull(quorum), clusterNext);
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
        if (next == blockEnd && quorum != null) {
            long first = quorum.reserve(floor);
            if (first < floor || first > Long.MAX_VALUE - BLOCK_SIZE) {
                throw new IllegalStateException("The controller handed out a producer id block at " + first
                    + ", below the " + floor + " this broker must stay above");
            }
            next = first;
            blockEnd = first + BLOCK_SIZE;
            floor = blockEnd;
            return next++;
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
        // in a cluster another broker may have issued it: anything below the cluster's next free id may be in use
        return producerId >= 0 && (producerId < next || producerId < floor || producerId < clusterNext.getAsLong());
    }
}
