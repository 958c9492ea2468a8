package io.tributary.log.index;

import io.tributary.protocol.record.RecordBatch;

import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * Sparse map from timestamp to offset in one segment.
 *
 * <p>Format: a sequence of 12-byte entries, {@code int64 timestamp, int32 relativeOffset}, big-endian. An
 * entry (t, o) says: no record at an offset at or below o has a timestamp above t. It is written next to
 * an offset index entry with t = the largest timestamp seen in the segment so far and o = the last offset
 * of the batch just indexed, and only when t grew, so entries are strictly increasing in both fields. The
 * last entry is written when the segment rolls or closes, so it holds the segment's largest timestamp.
 *
 * <p>To find the first record with timestamp >= T, start after the last entry with t < T: every record at
 * or before its offset is older than T. No checksum: rebuilt from the log after an unclean stop.
 */
public final class TimeIndex extends SparseIndex {
    public static final int ENTRY_SIZE = 12;

    public TimeIndex(Path file, long baseOffset, int maxIndexBytes) {
        super(file, baseOffset, maxIndexBytes, ENTRY_SIZE);
    }

    /**
     * Adds (timestamp, offset) when the timestamp is larger than the last entry's; otherwise the last entry
     * already bounds it and nothing is written.
     *
     * @throws IllegalStateException when the offset goes backwards or the index is full
     */
    public void maybeAppend(long timestamp, long offset) {
        int n = entries();
        MappedByteBuffer mmap = buffer();
        if (n > 0) {
            long lastTimestamp = timestampAt(mmap, n - 1);
            long lastOffset = offsetAt(mmap, n - 1);
            if (timestamp <= lastTimestamp) {
                return;
            }
            if (offset <= lastOffset) {
                throw new IllegalStateException("Attempt to append timestamp " + timestamp + " at offset " + offset
                    + " not after offset " + lastOffset + " in " + file);
            }
        } else if (timestamp == RecordBatch.NO_TIMESTAMP) {
            return;
        }
        if (isFull()) {
            throw new IllegalStateException("Attempt to append to full time index " + file + " (" + n + " entries)");
        }
        mmap.putLong(n * ENTRY_SIZE, timestamp);
        mmap.putInt(n * ENTRY_SIZE + 8, relativeOffset(offset));
        publishAppended();
    }

    /**
     * The last entry with a timestamp strictly below {@code target}: every record at or before its offset
     * is older than {@code target}. Null when there is none (the search starts at the segment start).
     */
    public TimestampOffset lastEntryBefore(long target) {
        MappedByteBuffer mmap = buffer();
        int slot = lastMatchingSlot(entries(), s -> timestampAt(mmap, s) < target);
        return slot < 0 ? null : new TimestampOffset(timestampAt(mmap, slot), offsetAt(mmap, slot));
    }

    /** The last entry, holding the largest timestamp indexed; null when empty. */
    public TimestampOffset lastEntry() {
        int n = entries();
        return n == 0 ? null : new TimestampOffset(timestampAt(buffer(), n - 1), offsetAt(buffer(), n - 1));
    }

    public TimestampOffset entry(int i) {
        if (i < 0 || i >= entries()) {
            throw new IndexOutOfBoundsException("Entry " + i + " of " + entries() + " in " + file);
        }
        return new TimestampOffset(timestampAt(buffer(), i), offsetAt(buffer(), i));
    }

    @Override
    protected long offsetAt(MappedByteBuffer mmap, int slot) {
        return baseOffset + mmap.getInt(slot * ENTRY_SIZE + 8);
    }

    @Override
    protected long valueAt(MappedByteBuffer mmap, int slot) {
        return timestampAt(mmap, slot);
    }

    private static long timestampAt(MappedByteBuffer mmap, int slot) {
        return mmap.getLong(slot * ENTRY_SIZE);
    }
}
