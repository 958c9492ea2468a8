package io.tributary.log.index;

import io.tributary.log.LogStorageException;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A memory-mapped file of fixed-size entries sorted by offset, shared by the offset and time indices.
 *
 * <p>The file is preallocated to the configured maximum while its segment is active, so appends never
 * grow it, and trimmed to exactly {@code entries * entrySize} bytes when the segment rolls or closes; an
 * untrimmed file found at start-up therefore means the broker did not stop cleanly.
 *
 * <p>Concurrency: one writer (the log's appender) adds entries and then publishes the new count through
 * a volatile; readers read the count once and only look at entries below it, so they never see a
 * half-written entry and never read past the trimmed end of the file. Entries carry no checksum: an index
 * is derived data, rebuilt from the log when it is missing or fails {@link #isSane}.
 */
abstract class SparseIndex {
    /** Changes only through {@link #renameTo}, which the owning segment calls under its own lock. */
    protected volatile Path file;
    protected final long baseOffset;
    private final int entrySize;
    private FileChannel channel;
    private volatile MappedByteBuffer mmap;
    private volatile int entries;
    private int maxEntries;

    SparseIndex(Path file, long baseOffset, int maxIndexBytes, int entrySize) {
        this.file = file;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        try {
            boolean existed = Files.exists(file);
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long length = channel.size();
            // An existing file holds whole entries only when it was trimmed; a torn length rounds down and
            // the sanity check decides whether the content is usable.
            entries = existed ? (int) Math.min(length / entrySize, Integer.MAX_VALUE) : 0;
            // A new index is preallocated; an existing one is mapped as found until resize() makes it active.
            map(existed ? length : roundDown(maxIndexBytes));
        } catch (IOException e) {
            throw new LogStorageException("Cannot open index " + file, e);
        }
    }

    private long roundDown(long bytes) {
        return bytes / entrySize * entrySize;
    }

    private void map(long length) throws IOException {
        if (channel.size() != length) {
            channel.truncate(length);
            if (channel.size() < length) {
                // FileChannel.truncate only shrinks; extend by writing the last byte.
                channel.write(java.nio.ByteBuffer.wrap(new byte[1]), length - 1);
            }
        }
        mmap = channel.map(FileChannel.MapMode.READ_WRITE, 0, length);
        maxEntries = (int) Math.min(length / entrySize, Integer.MAX_VALUE);
    }

    public Path file() {
        return file;
    }

    public int entries() {
        return entries;
    }

    public int maxEntries() {
        return maxEntries;
    }

    /** True when {@code more} further entries would not fit. */
    public boolean wouldOverflow(int more) {
        return entries + more > maxEntries;
    }

    public boolean isFull() {
        return entries >= maxEntries;
    }

    protected MappedByteBuffer buffer() {
        return mmap;
    }

    protected int entrySize() {
        return entrySize;
    }

    /** Publishes one more entry, written by the caller at slot {@link #entries()}. */
    protected void publishAppended() {
        entries = entries + 1;
    }

    /** Drops every entry at or after slot {@code keep}. */
    protected void truncateToEntries(int keep) {
        if (keep < entries) {
            entries = keep;
        }
    }

    /** Drops every entry. */
    public void reset() {
        entries = 0;
    }

    /** Shrinks the file to its entries, for a segment that will not grow again. */
    public void trimToValidSize() {
        resize(entries * (long) entrySize);
    }

    /** Grows (or shrinks) the preallocated file, keeping the entries; for a segment that becomes active again. */
    public void resize(long maxIndexBytes) {
        try {
            long target = Math.max(roundDown(maxIndexBytes), entries * (long) entrySize);
            if (target != channel.size()) {
                map(target);
            }
        } catch (IOException e) {
            throw new LogStorageException("Cannot resize index " + file + " to " + maxIndexBytes + " bytes", e);
        }
    }

    public void flush() {
        mmap.force();
    }

    /** Trims and closes the file; the mapping is released by the garbage collector. */
    public void close() {
        try {
            trimToValidSize();
            channel.close();
        } catch (IOException | LogStorageException e) {
            throw new LogStorageException("Cannot close index " + file, e);
        }
    }

    /** Renames the file (atomically, replacing any file of that name); the mapping stays valid. */
    public void renameTo(Path target) throws IOException {
        Files.move(file, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        file = target;
    }

    /** Closes and deletes the file. */
    public void delete() {
        try {
            channel.close();
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new LogStorageException("Cannot delete index " + file, e);
        }
    }

    /** The absolute offset an entry holds. */
    protected abstract long offsetAt(MappedByteBuffer mmap, int slot);

    /** The entry's other field (position or timestamp), which must grow with the offset. */
    protected abstract long valueAt(MappedByteBuffer mmap, int slot);

    /**
     * Binary search: the last slot below {@code entries} for which {@code matches} holds, given that it holds
     * for a prefix of the entries (they are sorted); -1 when it holds for none.
     */
    protected static int lastMatchingSlot(int entries, java.util.function.IntPredicate matches) {
        int lo = 0;
        int hi = entries - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (matches.test(mid)) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Drops every entry for an offset at or above {@code offset}. */
    public void truncateTo(long offset) {
        MappedByteBuffer mmap = buffer();
        int keep = entries();
        while (keep > 0 && offsetAt(mmap, keep - 1) >= offset) {
            keep--;
        }
        truncateToEntries(keep);
    }

    /**
     * Cheap start-up check of a loaded file, after Kafka's: whole entries only, and the last entry, if any,
     * is ordered after the first in both fields. A zero-filled preallocated tail fails it.
     */
    public boolean isSane() {
        try {
            if (channel.size() % entrySize != 0) {
                return false;
            }
        } catch (IOException e) {
            return false;
        }
        int n = entries();
        if (n <= 1) {
            return true;
        }
        MappedByteBuffer mmap = buffer();
        return offsetAt(mmap, n - 1) > offsetAt(mmap, 0) && valueAt(mmap, n - 1) > valueAt(mmap, 0);
    }

    protected int relativeOffset(long offset) {
        long relative = offset - baseOffset;
        if (relative < 0 || relative > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("Offset " + offset + " cannot be stored relative to base offset "
                + baseOffset + " in " + file);
        }
        return (int) relative;
    }
}
