package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * The growing output of one decompression, capped at a hard limit.
 *
 * <p>Invariant: the array never grows past {@code limit} bytes, and it grows by doubling from a small start, so
 * memory tracks what was actually decompressed, not what the stream claims. Asking for room past the limit
 * throws {@link DecompressionLimitExceededException} before anything is allocated.
 */
final class DecompressedBytes {
    /** Arrays a little smaller than Integer.MAX_VALUE are the largest every JVM allocates. */
    static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;
    private static final int MIN_INITIAL_CAPACITY = 4096;
    private static final int MAX_INITIAL_CAPACITY = 1 << 20;

    private final CompressionType type;
    private final int limit;
    private byte[] bytes;
    private int size;

    /**
     * @param compressedSize the size of the compressed input, used only to pick a first capacity; the array
     *     still grows as needed up to {@code limit}
     * @param bound what the stream's framing says it decompresses to at most, or -1: taken as the first
     *     capacity when below the guess from {@code compressedSize} (no zeroed bytes that are never written),
     *     never above it (a stream must not get a larger allocation by claiming more)
     */
    DecompressedBytes(CompressionType type, int limit, int compressedSize, long bound) {
        this.type = type;
        this.limit = limit;
        long guess = Math.max(MIN_INITIAL_CAPACITY, Math.min(MAX_INITIAL_CAPACITY, 4L * compressedSize));
        if (bound >= 0 && bound < guess) {
            guess = bound;
        }
        this.bytes = new byte[(int) Math.min(limit, guess)];
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    int limit() {
        return limit;
    }

    /** Bytes that may still be added before the limit. */
    int remainingBudget() {
        return limit - size;
    }

    /**
     * Makes room for {@code count} more bytes at {@link #size()} in {@link #array()}.
     *
     * @param part  names the part of the stream that declared the size ("chunk", "block"), for the error message
     * @param index which one of them
     * @throws DecompressionLimitExceededException if that would pass the limit; nothing is allocated then
     */
    void reserve(long count, String part, int index) {
        if (count > remainingBudget()) {
            throw new DecompressionLimitExceededException(type, limit, size, count, part + " " + index);
        }
        ensureCapacity((int) (size + count));
    }

    /** Records that {@code count} bytes were written at {@link #size()}, within a prior {@link #reserve}. */
    void advance(int count) {
        size += count;
    }

    void write(byte[] source, int offset, int count) {
        if (count > remainingBudget()) {
            throw new DecompressionLimitExceededException(type, limit);
        }
        ensureCapacity(size + count);
        System.arraycopy(source, offset, bytes, size, count);
        size += count;
    }

    /**
     * Reads {@code in} to its end. Once the limit is reached, one more byte is asked for, to tell a stream that
     * ends exactly at the limit from one that goes on.
     */
    void readFully(InputStream in) throws IOException {
        while (true) {
            if (size == bytes.length) {
                if (size == limit) {
                    if (in.read() < 0) {
                        return;
                    }
                    throw new DecompressionLimitExceededException(type, limit);
                }
                ensureCapacity(size + 1);
            }
            int read = in.read(bytes, size, bytes.length - size);
            if (read < 0) {
                return;
            }
            size += read;
        }
    }

    /** The decompressed bytes, position 0 to limit {@link #size()}; shares the array. */
    ByteBuffer toByteBuffer() {
        return ByteBuffer.wrap(bytes, 0, size).slice();
    }

    private void ensureCapacity(int needed) {
        if (needed <= bytes.length) {
            return;
        }
        long doubled = Math.max(needed, 2L * bytes.length);
        int capacity = (int) Math.min(Math.min(doubled, limit), MAX_ARRAY_SIZE);
        byte[] grown = new byte[capacity];
        System.arraycopy(bytes, 0, grown, 0, size);
        bytes = grown;
    }
}
