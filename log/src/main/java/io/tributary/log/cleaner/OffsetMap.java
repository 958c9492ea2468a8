package io.tributary.log.cleaner;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The cleaner's map from record key to the offset of the key's latest record, in a fixed amount of memory
 * chosen up front: Kafka's "skimpy offset map".
 *
 * <p>Format: one {@code long[]} of {@code 3 * slots} entries; slot {@code i} holds the first 16 bytes of the
 * key's SHA-256 digest as two longs and then the offset, -1 for an empty slot. 24 bytes per key whatever its
 * length, open addressing with linear probing, at most {@link #MAX_LOAD_FACTOR} of the slots used.
 *
 * <p>Invariant: a key is represented only by its digest. Two keys with equal 128-bit digest prefixes would be
 * taken for one and the older record dropped; SHA-256 (not Kafka's MD5, for which colliding keys can be
 * constructed on purpose) makes that practically impossible even for keys chosen by an adversary.
 *
 * <p>Design note: memory is bounded by the map, not by the data. When a dirty range has more distinct keys
 * than fit, {@link #put} refuses the first key that does not fit; the cleaner then cleans up to that record
 * and leaves the rest for the next pass, so a log of any size is cleaned in several passes.
 *
 * <p>Not thread-safe: each cleaner thread owns one.
 */
final class OffsetMap {
    /** Bytes each slot takes: a 16-byte digest prefix and an 8-byte offset. */
    static final int BYTES_PER_SLOT = 24;
    static final double MAX_LOAD_FACTOR = 0.75;
    /** The most slots one long[] can hold at three longs each. */
    private static final int MAX_SLOTS = (Integer.MAX_VALUE - 8) / 3;

    private final long[] table;
    private final int slots;
    private final int maxEntries;
    private final MessageDigest digest;
    private final byte[] digestBytes = new byte[32];
    private final ByteBuffer digestView = ByteBuffer.wrap(digestBytes);
    private int entries;
    private long latestOffset = -1;
    private long hi;
    private long lo;

    /**
     * @param memoryBytes the memory budget; it must hold at least 2 slots (48 bytes)
     * @throws IllegalArgumentException naming the budget and the limits
     */
    OffsetMap(long memoryBytes) {
        long wanted = memoryBytes / BYTES_PER_SLOT;
        if (wanted < 2) {
            throw new IllegalArgumentException("An offset map of " + memoryBytes + " bytes holds " + wanted
                + " slots; it needs at least 2 (" + 2 * BYTES_PER_SLOT + " bytes)");
        }
        this.slots = (int) Math.min(wanted, MAX_SLOTS);
        this.maxEntries = Math.max(1, (int) (slots * MAX_LOAD_FACTOR));
        this.table = new long[3 * slots];
        try {
            this.digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform provides SHA-256", e);
        }
        clear();
    }

    /** The most keys the map takes before {@link #put} refuses new ones. */
    int capacity() {
        return maxEntries;
    }

    int size() {
        return entries;
    }

    /** Bytes the table takes. */
    long memoryBytes() {
        return (long) table.length * Long.BYTES;
    }

    /** The largest offset put since the last {@link #clear()}, or -1. */
    long latestOffset() {
        return latestOffset;
    }

    void clear() {
        for (int i = 0; i < slots; i++) {
            table[3 * i + 2] = -1;
        }
        entries = 0;
        latestOffset = -1;
    }

    /**
     * Records {@code offset} as the latest for {@code key} (its remaining bytes; the position is not moved).
     *
     * @return false, changing nothing, when the key is new and the map already holds {@link #capacity()} keys
     */
    boolean put(ByteBuffer key, long offset) {
        hash(key);
        int slot = find();
        if (table[3 * slot + 2] < 0) {
            if (entries >= maxEntries) {
                return false;
            }
            table[3 * slot] = hi;
            table[3 * slot + 1] = lo;
            entries++;
        }
        table[3 * slot + 2] = offset;
        latestOffset = Math.max(latestOffset, offset);
        return true;
    }

    /** The latest offset put for {@code key}, or -1. */
    long get(ByteBuffer key) {
        hash(key);
        return table[3 * find() + 2];
    }

    /** The slot holding the current digest, or the empty slot where it belongs. The load factor keeps one free. */
    private int find() {
        int slot = (int) Long.remainderUnsigned(hi ^ (lo >>> 7), slots);
        for (int probes = 0; probes < slots; probes++) {
            long stored = table[3 * slot + 2];
            if (stored < 0 || (table[3 * slot] == hi && table[3 * slot + 1] == lo)) {
                return slot;
            }
            slot = slot + 1 == slots ? 0 : slot + 1;
        }
        throw new IllegalStateException("Offset map of " + slots + " slots has no free slot with " + entries + " entries");
    }

    private void hash(ByteBuffer key) {
        digest.update(key.duplicate());
        try {
            digest.digest(digestBytes, 0, digestBytes.length);
        } catch (DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes", e);
        }
        hi = digestView.getLong(0);
        lo = digestView.getLong(8);
    }

    @Override
    public String toString() {
        return "OffsetMap(" + entries + " of " + maxEntries + " keys, " + memoryBytes() + " bytes)";
    }
}
