package io.tributary.log.producer;

import io.tributary.log.LogStorageException;
import io.tributary.log.checkpoint.CrashSafeFile;
import io.tributary.log.segment.LogSegment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The idempotent-producer state of one partition as of an offset, in the partition's directory as
 * {@code <offset, 20 digits>.snapshot}: every batch below that offset is reflected, none at or above it.
 * It bounds the rebuild after a restart to the batch headers from that offset on.
 *
 * <p>Format (big-endian):
 * <pre>
 * int16  version (1, or 2 when some producer has transaction state)
 * int32  number of producers
 * per producer:
 *   int64 producer id, int16 epoch, int64 last update (ms since the epoch),
 *   version 2 only: int32 coordinator epoch of its last marker (-1), int64 first offset of its open transaction (-1),
 *   int8 number of batches (0-5)
 *   per batch, oldest first: int32 first sequence, int32 last sequence, int64 first offset,
 *                            int64 last offset, int64 log-append time (-1 on create-time topics)
 * int32  CRC32C of every byte before it
 * </pre>
 * Version 2 keeps what Kafka's snapshot keeps of a transaction (its entries' CoordinatorEpoch and
 * CurrentTxnFirstOffset), so open transactions survive a restart without replaying from their first batch. A log
 * without transactions keeps writing version 1, byte for byte as before; both versions are read.
 *
 * <p>Written whole to a temporary file, fsynced and renamed, so a crash leaves the old or the new file. A file
 * that fails its CRC or framing is ignored (the state is then rebuilt from the log instead), never trusted.
 */
final class ProducerSnapshotFile {
    private static final Logger log = LoggerFactory.getLogger(ProducerSnapshotFile.class);
    static final String SUFFIX = ".snapshot";
    private static final short VERSION = 1;
    private static final short VERSION_WITH_TRANSACTIONS = 2;
    private static final int PRODUCER_BYTES = 8 + 2 + 8 + 1;
    private static final int TRANSACTION_BYTES = 4 + 8;
    private static final int BATCH_BYTES = 4 + 4 + 8 + 8 + 8;

    /** A snapshot read back: the offset it was taken at and the producers. */
    record Loaded(long offset, List<ProducerEntry> producers) {
    }

    private ProducerSnapshotFile() {
    }

    static Path path(Path dir, long offset) {
        return dir.resolve(LogSegment.fileName(offset, SUFFIX));
    }

    static byte[] encode(Collection<ProducerEntry> producers) {
        boolean transactions = false;
        for (ProducerEntry entry : producers) {
            transactions |= entry.hasTransactionState();
        }
        int size = 2 + 4 + 4;
        for (ProducerEntry entry : producers) {
            size += PRODUCER_BYTES + entry.batches().size() * BATCH_BYTES + (transactions ? TRANSACTION_BYTES : 0);
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort(transactions ? VERSION_WITH_TRANSACTIONS : VERSION).putInt(producers.size());
        for (ProducerEntry entry : producers) {
            List<BatchMetadata> batches = entry.batches();
            out.putLong(entry.producerId()).putShort(entry.epoch()).putLong(entry.lastUpdateMs());
            if (transactions) {
                out.putInt(entry.coordinatorEpoch()).putLong(entry.currentTxnFirstOffset());
            }
            out.put((byte) batches.size());
            for (BatchMetadata batch : batches) {
                out.putInt(batch.firstSeq()).putInt(batch.lastSeq()).putLong(batch.firstOffset())
                    .putLong(batch.lastOffset()).putLong(batch.logAppendTimeMs());
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, size - 4);
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Decodes a snapshot's bytes.
     *
     * @throws IllegalArgumentException naming what is wrong: CRC, version, counts or length
     */
    static List<ProducerEntry> decode(byte[] bytes) {
        if (bytes.length < 2 + 4 + 4) {
            throw new IllegalArgumentException("file of " + bytes.length + " bytes is shorter than the 10-byte minimum");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int stored = in.getInt(bytes.length - 4);
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException("CRC32C " + Integer.toUnsignedString(stored) + " does not match the computed "
                + crc.getValue());
        }
        in.limit(bytes.length - 4);
        try {
            short version = in.getShort();
            if (version != VERSION && version != VERSION_WITH_TRANSACTIONS) {
                throw new IllegalArgumentException("version " + version + " is neither " + VERSION + " nor "
                    + VERSION_WITH_TRANSACTIONS);
            }
            boolean transactions = version == VERSION_WITH_TRANSACTIONS;
            int count = in.getInt();
            if (count < 0 || (long) count * PRODUCER_BYTES > in.remaining()) {
                throw new IllegalArgumentException("producer count " + count + " does not fit the " + in.remaining() + " bytes left");
            }
            List<ProducerEntry> producers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long producerId = in.getLong();
                short epoch = in.getShort();
                long lastUpdateMs = in.getLong();
                int coordinatorEpoch = transactions ? in.getInt() : -1;
                long currentTxnFirstOffset = transactions ? in.getLong() : -1;
                int batchCount = in.get();
                if (batchCount < 0 || batchCount > ProducerEntry.BATCHES_KEPT) {
                    throw new IllegalArgumentException("producer " + producerId + " has " + batchCount
                        + " batches, outside [0, " + ProducerEntry.BATCHES_KEPT + "]");
                }
                List<BatchMetadata> batches = new ArrayList<>(batchCount);
                for (int b = 0; b < batchCount; b++) {
                    batches.add(new BatchMetadata(in.getInt(), in.getInt(), in.getLong(), in.getLong(), in.getLong()));
                }
                producers.add(ProducerEntry.restore(producerId, epoch, lastUpdateMs, batches, coordinatorEpoch,
                    currentTxnFirstOffset));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes left after " + count + " producers");
            }
            return producers;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("file ends inside a producer entry");
        }
    }

    /** Writes the snapshot at {@code offset} atomically, then deletes the older snapshots of {@code dir}. */
    static void write(Path dir, long offset, Collection<ProducerEntry> producers) {
        CrashSafeFile.write(path(dir, offset), encode(producers));
        for (long older : list(dir).headMap(offset).keySet()) {
            delete(dir, older);
        }
    }

    /**
     * The newest readable snapshot at or below {@code maxOffset}, or null. Snapshots above it (left by a
     * log that lost its tail in recovery) and unreadable ones are deleted on the way.
     */
    static Loaded readLatest(Path dir, long maxOffset) {
        TreeMap<Long, Path> snapshots = list(dir);
        for (long stale : snapshots.tailMap(maxOffset, false).keySet()) {
            log.info("Deleting producer snapshot {}: it is past the log end offset {}", path(dir, stale), maxOffset);
            delete(dir, stale);
        }
        for (Long offset : snapshots.headMap(maxOffset, true).descendingKeySet()) {
            Path file = snapshots.get(offset);
            try {
                return new Loaded(offset, decode(Files.readAllBytes(file)));
            } catch (IOException | IllegalArgumentException e) {
                log.warn("Ignoring producer snapshot {}: {}", file, e.getMessage());
                delete(dir, offset);
            }
        }
        return null;
    }

    /** The snapshot files of {@code dir} by offset; empty when the directory is gone. */
    static TreeMap<Long, Path> list(Path dir) {
        TreeMap<Long, Path> found = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                long offset = LogSegment.parseBaseOffset(file.getFileName().toString(), SUFFIX);
                if (offset >= 0) {
                    found.put(offset, file);
                }
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot list producer snapshots in " + dir, e);
        }
        return found;
    }

    static void delete(Path dir, long offset) {
        try {
            Files.deleteIfExists(path(dir, offset));
        } catch (IOException e) {
            log.warn("Cannot delete producer snapshot {}: {}", path(dir, offset), e.toString());
        }
    }
}
