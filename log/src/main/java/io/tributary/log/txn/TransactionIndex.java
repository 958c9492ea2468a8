package io.tributary.log.txn;

import io.tributary.log.LogStorageException;
import io.tributary.log.checkpoint.CrashSafeFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The aborted transactions whose ABORT marker lies in one segment: {@code <base offset, 20 digits>.txnindex}
 * next to the segment's {@code .log}, Kafka's {@code TransactionIndex} format. Entries of 34 bytes, big-endian:
 * <pre>
 * int16 version (0), int64 producer id, int64 first offset, int64 last offset, int64 last stable offset
 * </pre>
 * appended in the order the markers were written, so last offsets increase strictly. No header, no checksum:
 * a torn last entry (a length that is not a multiple of 34) is cut off when the file is opened, and the log
 * rebuilds what is missing by replaying markers ({@code PartitionLog}'s recovery).
 *
 * <p>Durability: each entry is fsynced as it is appended, under the log's write lock. Aborts are rare (one per
 * aborted transaction and partition) and the fsync lets recovery trust every entry below where it replays from.
 *
 * <p>Threads: changed under the partition log's write lock only; read by fetches on any thread without a lock,
 * from an in-memory copy-on-write list of the entries, so a read never touches the file.
 */
public final class TransactionIndex implements AutoCloseable {
    public static final String SUFFIX = ".txnindex";
    public static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;
    private static final short VERSION = 0;

    private final Path file;
    private final long baseOffset;
    private final CopyOnWriteArrayList<AbortedTxn> entries = new CopyOnWriteArrayList<>();
    private FileChannel channel;

    private TransactionIndex(Path file, long baseOffset) {
        this.file = file;
        this.baseOffset = baseOffset;
    }

    /** Opens the index file (created when first written), reading its entries and cutting off a torn tail. */
    public static TransactionIndex open(Path file, long baseOffset) {
        TransactionIndex index = new TransactionIndex(file, baseOffset);
        if (Files.exists(file)) {
            index.load();
        }
        return index;
    }

    private void load() {
        try {
            byte[] bytes = Files.readAllBytes(file);
            int whole = bytes.length / ENTRY_SIZE;
            ByteBuffer in = ByteBuffer.wrap(bytes);
            List<AbortedTxn> read = new ArrayList<>(whole);
            long previousLast = -1;
            for (int i = 0; i < whole; i++) {
                short version = in.getShort();
                AbortedTxn txn = new AbortedTxn(in.getLong(), in.getLong(), in.getLong(), in.getLong());
                if (version != VERSION || txn.lastOffset() <= previousLast) {
                    throw new LogStorageException("Entry " + i + " of " + file + " has version " + version + " and last offset "
                        + txn.lastOffset() + " after " + previousLast + "; expected version " + VERSION
                        + " and strictly increasing last offsets");
                }
                previousLast = txn.lastOffset();
                read.add(txn);
            }
            entries.addAll(read);
            if (bytes.length != whole * ENTRY_SIZE) {
                rewrite(); // a torn last entry from a crash
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new LogStorageException("Cannot read transaction index " + file, e);
        }
    }

    public Path file() {
        return file;
    }

    public long baseOffset() {
        return baseOffset;
    }

    /** The entries, in marker order (an unmodifiable snapshot). */
    public List<AbortedTxn> entries() {
        return List.copyOf(entries);
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /**
     * Appends (and fsyncs) an entry whose last offset is above every entry's.
     *
     * @throws IllegalArgumentException when it is not
     */
    public void append(AbortedTxn txn) {
        if (!entries.isEmpty() && txn.lastOffset() <= entries.get(entries.size() - 1).lastOffset()) {
            throw new IllegalArgumentException("Aborted transaction ending at " + txn.lastOffset() + " is not after the last entry "
                + entries.get(entries.size() - 1) + " of " + file);
        }
        try {
            FileChannel out = channel();
            ByteBuffer bytes = encode(txn);
            long at = out.size();
            while (bytes.hasRemaining()) {
                at += out.write(bytes, at);
            }
            out.force(true);
        } catch (IOException e) {
            throw new LogStorageException("Cannot append to transaction index " + file, e);
        }
        entries.add(txn);
    }

    /** Removes every entry whose marker is at or after {@code offset} (a truncation of the log). */
    public void truncateTo(long offset) {
        List<AbortedTxn> kept = new ArrayList<>();
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() < offset) {
                kept.add(txn);
            }
        }
        if (kept.size() == entries.size()) {
            return;
        }
        entries.retainAll(kept);
        rewrite();
    }

    /**
     * Removes {@code gone} (entries of transactions whose aborted data the cleaner has removed from the log). The file
     * is replaced whole through {@link CrashSafeFile} (temporary file, fsync, rename), so a crash leaves either every
     * old entry or exactly the rest, never a truncated index that would let aborted data through to read_committed.
     *
     * @return whether anything was removed
     */
    public boolean remove(java.util.Collection<AbortedTxn> gone) {
        List<AbortedTxn> kept = new ArrayList<>(entries);
        if (!kept.removeAll(gone)) {
            return false;
        }
        ByteBuffer bytes = ByteBuffer.allocate(kept.size() * ENTRY_SIZE);
        kept.forEach(txn -> bytes.put(encode(txn)));
        try {
            close(); // the rename replaces the file under the open channel; the next append reopens it
            CrashSafeFile.write(file, bytes.array());
        } catch (RuntimeException e) {
            throw new LogStorageException("Cannot rewrite transaction index " + file, e);
        }
        entries.retainAll(kept);
        return true;
    }

    /**
     * Adds the entries of {@code later} that end after this index's last one, at the end: segments merged by the
     * cleaner (entries already here, from a merge a crash interrupted, are not added twice).
     */
    public void appendAll(TransactionIndex later) {
        for (AbortedTxn txn : later.entries) {
            if (entries.isEmpty() || txn.lastOffset() > entries.get(entries.size() - 1).lastOffset()) {
                append(txn);
            }
        }
    }

    /**
     * Adds to {@code into} each entry that overlaps [{@code fetchOffset}, {@code upperBoundOffset}): its marker at or
     * after the fetch offset and its first batch below the bound.
     *
     * @return whether the search is complete (Kafka's rule): an entry's last stable offset reached the bound, so no
     * transaction open when it ended started below the bound, and no later index can hold one that overlaps
     */
    public boolean collect(long fetchOffset, long upperBoundOffset, List<AbortedTxn> into) {
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                into.add(txn);
            }
            if (txn.lastStableOffset() >= upperBoundOffset) {
                return true;
            }
        }
        return false;
    }

    private static ByteBuffer encode(AbortedTxn txn) {
        return ByteBuffer.allocate(ENTRY_SIZE).putShort(VERSION).putLong(txn.producerId()).putLong(txn.firstOffset())
            .putLong(txn.lastOffset()).putLong(txn.lastStableOffset()).flip();
    }

    private void rewrite() {
        try {
            FileChannel out = channel();
            out.truncate(0);
            long at = 0;
            for (AbortedTxn txn : entries) {
                ByteBuffer bytes = encode(txn);
                while (bytes.hasRemaining()) {
                    at += out.write(bytes, at);
                }
            }
            out.force(true);
        } catch (IOException e) {
            throw new LogStorageException("Cannot rewrite transaction index " + file, e);
        }
    }

    private FileChannel channel() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot close transaction index " + file, e);
        }
    }

    /** Closes and deletes the file; the entries stay readable by fetches that already hold this index. */
    public void delete() {
        close();
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LogStorageException("Cannot delete transaction index " + file, e);
        }
    }

    @Override
    public String toString() {
        return "TransactionIndex(" + file + ", " + entries.size() + " entries)";
    }
}
