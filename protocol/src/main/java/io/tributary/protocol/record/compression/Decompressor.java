package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;

import java.nio.ByteBuffer;

/**
 * The read side of compression: turns a batch's compressed records section back into bytes, never holding more
 * than {@link #maxDecompressedBytes()} of output whatever the stream claims.
 *
 * <p>The limit is per batch. The default, {@value #DEFAULT_MAX_DECOMPRESSED_BYTES} bytes (64 MiB), is 64 times
 * Kafka's default {@code message.max.bytes} (about 1 MiB): room for highly compressible real data, while a
 * decompression bomb (a few KiB that would inflate to GiBs) stops at 64 MiB of work and memory. A broker that
 * raises {@code message.max.bytes} should raise this with it.
 *
 * <p>Thread-safe and stateless apart from the limit.
 */
public final class Decompressor {
    public static final int DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;
    public static final Decompressor DEFAULT = new Decompressor(DEFAULT_MAX_DECOMPRESSED_BYTES);

    private final int maxDecompressedBytes;

    /** @throws IllegalArgumentException if the limit is negative or larger than the largest Java array */
    public Decompressor(int maxDecompressedBytes) {
        if (maxDecompressedBytes < 0 || maxDecompressedBytes > DecompressedBytes.MAX_ARRAY_SIZE) {
            throw new IllegalArgumentException("Max decompressed bytes " + maxDecompressedBytes + " is out of range [0, "
                + DecompressedBytes.MAX_ARRAY_SIZE + "]");
        }
        this.maxDecompressedBytes = maxDecompressedBytes;
    }

    public int maxDecompressedBytes() {
        return maxDecompressedBytes;
    }

    /**
     * Decompresses {@code compressed}'s remaining bytes (its position is not moved) into a new heap buffer,
     * position 0, limit the decompressed size.
     *
     * @throws io.tributary.protocol.record.CorruptRecordException if the stream is malformed or truncated
     * @throws DecompressionLimitExceededException if it decompresses to more than the limit
     * @throws IllegalArgumentException for {@link CompressionType#NONE}
     */
    public ByteBuffer decompress(CompressionType type, ByteBuffer compressed) {
        Codec codec = Codec.of(type);
        DecompressedBytes into = new DecompressedBytes(type, maxDecompressedBytes, compressed.remaining(),
            codec.decompressedBound(compressed));
        codec.decompress(compressed, into);
        return into.toByteBuffer();
    }

    /**
     * A stream that decompresses {@code compressed}'s remaining bytes as it is read, at most
     * {@link #maxDecompressedBytes()} in all; the caller closes it. {@code compressed} must not change while it
     * is open. Nothing is decompressed until the first read.
     *
     * @throws IllegalArgumentException for {@link CompressionType#NONE}
     */
    public DecompressingStream stream(CompressionType type, ByteBuffer compressed) {
        return Codec.of(type).openStream(compressed, maxDecompressedBytes);
    }

    @Override
    public String toString() {
        return "Decompressor(maxDecompressedBytes=" + maxDecompressedBytes + ")";
    }
}
