package io.tributary.log.index;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * Sparse map from offset to byte position in one segment's {@code .log} file.
 *
 * <p>Format: a sequence of 8-byte entries, {@code int32 relativeOffset, int32 position}, big-endian, where
 * relativeOffset = offset - the segment's base offset. An entry (o, p) says the batch starting at byte p
 * has last offset o. Entries are strictly increasing in both offset and position; one is written per
 * {@code index.interval.bytes} of log, so a lookup lands at most that many bytes before the batch sought.
 * No checksum: after an unclean stop the index is rebuilt from the log.
 */
public final class OffsetIndex extends SparseIndex {
    public static final int ENTRY_SIZE = 8;

    public OffsetIndex(Path file, long baseOffset, int maxIndexBytes) {
        super(file, baseOffset, maxIndexBytes, ENTRY_SIZE);
    }

    /**
     * Adds an entry.
     *
     * @throws IllegalStateException when the offset or position is not larger than the last entry's, or the
     *                               index is full — both are bugs in the caller
     */
    public void append(long offset, int position) {
        int n = entries();
        if (n > 0) {
            long lastOffset = offsetAt(buffer(), n - 1);
            int lastPosition = positionAt(buffer(), n - 1);
            if (offset <= lastOffset || position <= lastPosition) {
                throw new IllegalStateException("Attempt to append offset " + offset + " at position " + position
                    + " after offset " + lastOffset + " at position " + lastPosition + " to " + file);
            }
        }
        if (isFull()) {
            throw new IllegalStateException("Attempt to append to full index " + file + " (" + n + " entries)");
        }
        MappedByteBuffer mmap = buffer();
        mmap.putInt(n * ENTRY_SIZE, relativeOffset(offset));
        mmap.putInt(n * ENTRY_SIZE + 4, position);
        publishAppended();
    }

    /**
     * The entry with the largest offset at or below {@code target}: where a scan for {@code target} may
     * start. Below every entry, the segment start (base offset, position 0).
     */
    public OffsetPosition lookup(long target) {
        MappedByteBuffer mmap = buffer();
        return entryOrStart(mmap, lastMatchingSlot(entries(), slot -> offsetAt(mmap, slot) <= target));
    }

    /**
     * The entry with the largest position at or below {@code maxPosition}: the last indexed batch start a
     * read bounded by {@code maxPosition} can reach without scanning from the beginning. Below every entry,
     * the segment start.
     */
    public OffsetPosition lookupByPosition(long maxPosition) {
        MappedByteBuffer mmap = buffer();
        return entryOrStart(mmap, lastMatchingSlot(entries(), slot -> positionAt(mmap, slot) <= maxPosition));
    }

    private OffsetPosition entryOrStart(MappedByteBuffer mmap, int slot) {
        return slot < 0 ? new OffsetPosition(baseOffset, 0) : new OffsetPosition(offsetAt(mmap, slot), positionAt(mmap, slot));
    }

    /** The last entry, or the segment start when there is none. */
    public OffsetPosition lastEntry() {
        int n = entries();
        return n == 0 ? new OffsetPosition(baseOffset, 0) : new OffsetPosition(offsetAt(buffer(), n - 1), positionAt(buffer(), n - 1));
    }

    /** The i-th entry, for tests and tools. */
    public OffsetPosition entry(int i) {
        if (i < 0 || i >= entries()) {
            throw new IndexOutOfBoundsException("Entry " + i + " of " + entries() + " in " + file);
        }
        return new OffsetPosition(offsetAt(buffer(), i), positionAt(buffer(), i));
    }

    /** The largest position any entry names, for checking against the log file's size. */
    public int lastPosition() {
        int n = entries();
        return n == 0 ? 0 : positionAt(buffer(), n - 1);
    }

    @Override
    protected long offsetAt(MappedByteBuffer mmap, int slot) {
        return baseOffset + mmap.getInt(slot * ENTRY_SIZE);
    }

    @Override
    protected long valueAt(MappedByteBuffer mmap, int slot) {
        return positionAt(mmap, slot);
    }

    private static int positionAt(MappedByteBuffer mmap, int slot) {
        return mmap.getInt(slot * ENTRY_SIZE + 4);
    }
}
