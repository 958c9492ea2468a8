package io.tributary.protocol.routing;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The 32-bit MurmurHash2 that Apache Kafka's clients hash record keys with (seed {@code 0x9747b28c}, four-byte
 * little-endian blocks), bit for bit: {@code hash(key)} equals Kafka's {@code Utils.murmur2(key)} and
 * {@link #toPositive} its {@code Utils.toPositive}. Kafka's default partitioner puts a keyed record in
 * {@code toPositive(murmur2(key)) % partitions}; any client of ours that routes by key must agree with it, or a
 * key written by both would land in two partitions.
 *
 * <p>Design note: the {@link ByteBuffer} form reads the key where it lies (a slice of a produce request, say)
 * with absolute gets, so the broker can hash keys without copying them and without moving the buffer's position.
 * Blocks are read as whole little-endian ints (one bounds check and one load each, not four byte loads), which
 * the JIT compiles to a plain load on x86 and ARM.
 */
public final class Murmur2 {
    private static final int SEED = 0x9747b28c;
    private static final int M = 0x5bd1e995;
    private static final int R = 24;
    private static final VarHandle LITTLE_ENDIAN_INT =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private Murmur2() {
    }

    /** Kafka's {@code Utils.murmur2(key)}. */
    public static int hash(byte[] key) {
        int length = key.length;
        int h = SEED ^ length;
        int blocks = length & ~3;
        for (int i = 0; i < blocks; i += 4) {
            h = mixBlock(h, (int) LITTLE_ENDIAN_INT.get(key, i));
        }
        int tail = blocks;
        switch (length & 3) {
            case 3:
                h ^= (key[tail + 2] & 0xff) << 16;
                // fall through: the tail bytes are mixed in from the last down, as in the reference
            case 2:
                h ^= (key[tail + 1] & 0xff) << 8;
                // fall through
            case 1:
                h ^= key[tail] & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        return finish(h);
    }

    /** The hash of {@code key}'s remaining bytes; its position and limit are left as they were. */
    public static int hash(ByteBuffer key) {
        return hash(key, key.position(), key.remaining());
    }

    /**
     * The hash of the {@code length} bytes of {@code buffer} from absolute index {@code start}; the buffer's
     * position and limit are not used nor changed (for keys read in place from a record batch).
     */
    public static int hash(ByteBuffer buffer, int start, int length) {
        int h = SEED ^ length;
        int blocks = length & ~3;
        // getInt follows the buffer's byte order; the hash reads blocks little-endian whatever the caller set.
        boolean swap = buffer.order() != ByteOrder.LITTLE_ENDIAN;
        for (int i = 0; i < blocks; i += 4) {
            int block = buffer.getInt(start + i);
            h = mixBlock(h, swap ? Integer.reverseBytes(block) : block);
        }
        int tail = start + blocks;
        switch (length & 3) {
            case 3:
                h ^= (buffer.get(tail + 2) & 0xff) << 16;
                // fall through: the tail bytes are mixed in from the last down, as in the reference
            case 2:
                h ^= (buffer.get(tail + 1) & 0xff) << 8;
                // fall through
            case 1:
                h ^= buffer.get(tail) & 0xff;
                h *= M;
                break;
            default:
                break;
        }
        return finish(h);
    }

    private static int mixBlock(int h, int block) {
        int k = block * M;
        k ^= k >>> R;
        k *= M;
        return (h * M) ^ k;
    }

    private static int finish(int h) {
        h ^= h >>> 13;
        h *= M;
        h ^= h >>> 15;
        return h;
    }

    /**
     * Kafka's {@code Utils.toPositive}: the sign bit cleared (not {@code Math.abs}, which leaves
     * {@code Integer.MIN_VALUE} negative).
     */
    public static int toPositive(int hash) {
        return hash & 0x7fffffff;
    }

    /** Kafka's default placement of a keyed record: {@code toPositive(murmur2(key)) % partitions}. */
    public static int partition(ByteBuffer key, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("Partition count must be positive, was " + partitions);
        }
        return toPositive(hash(key)) % partitions;
    }
}
