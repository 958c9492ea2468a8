package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;

/**
 * The records section of one compressed batch, decompressed piece by piece as it is read, never more than the
 * limit in all: what the log's append validation walks record by record, so a batch is checked without its
 * whole decompressed form ever being held (Kafka's broker reads a compressed batch the same way).
 *
 * <p>Invariant: {@link #read} never hands out more than {@link #limit()} bytes in total; asking past the limit
 * throws {@link DecompressionLimitExceededException} once the stream shows it has more. A malformed or truncated
 * stream throws {@link CorruptRecordException} from the read that reaches the fault. The compressed input is
 * read in place (a heap buffer's array) and never modified.
 *
 * <p>Memory: each codec decompresses into at most one chunk or block at a time (lz4: the frame's block size,
 * 64 KiB in Kafka's frames; snappy: one chunk, 32 KiB in Kafka's streams; gzip and zstd: their library stream's
 * window), held in a per-thread scratch array that is reused by the next stream on that thread. One thread
 * reads one stream at a time. Not thread-safe; {@link #close()} releases native resources.
 */
public abstract class DecompressingStream implements AutoCloseable {
    private final CompressionType type;
    private final int limit;
    private long produced;

    DecompressingStream(CompressionType type, int limit) {
        this.type = type;
        this.limit = limit;
    }

    public CompressionType compressionType() {
        return type;
    }

    /** The most bytes this stream hands out in total. */
    public int limit() {
        return limit;
    }

    /** Bytes handed out so far. */
    public long produced() {
        return produced;
    }

    /**
     * Reads up to {@code length} decompressed bytes into {@code into} at {@code offset}; blocks on nothing.
     *
     * @return the number of bytes read, at least 1 when {@code length > 0}, or -1 at the end of the stream
     * @throws CorruptRecordException if the stream is malformed or truncated
     * @throws DecompressionLimitExceededException if the stream holds more than {@link #limit()} bytes
     */
    public final int read(byte[] into, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        // Ask for at most one byte past the budget: enough to tell a stream that ends at the limit from one that goes on.
        long budget = limit - produced;
        int ask = (int) Math.min(length, budget + 1);
        int read = readDecompressed(into, offset, ask);
        if (read < 0) {
            return -1;
        }
        if (read > budget) {
            throw new DecompressionLimitExceededException(type, limit);
        }
        produced += read;
        return read;
    }

    /** One byte, or -1 at the end of the stream. */
    public final int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    /**
     * The codec's part of {@link #read}: decompressed bytes into {@code into}, at least one unless at the end
     * (-1). Faults as {@link CorruptRecordException}; a size the stream declares past {@code limit - produced()}
     * may be refused before anything is allocated for it ({@link #remainingBudget()}).
     */
    abstract int readDecompressed(byte[] into, int offset, int length);

    /** How many more bytes the limit lets this stream decompress. */
    final long remainingBudget() {
        return limit - produced;
    }

    @Override
    public abstract void close();

    /** A per-thread scratch array of at least {@code size} bytes, reused by later streams on the thread. */
    static byte[] scratch(ThreadLocal<byte[]> holder, int size) {
        byte[] array = holder.get();
        if (array == null || array.length < size) {
            array = new byte[size];
            if (size <= MAX_RETAINED_SCRATCH) {
                holder.set(array);
            }
        }
        return array;
    }

    /** Scratch arrays larger than this (a 4 MiB lz4 block is the largest Kafka frame block) are not kept per thread. */
    static final int MAX_RETAINED_SCRATCH = 4 * 1024 * 1024;
}
