package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * One compression codec in the stream format Kafka uses for it inside a v2 record batch: the records section
 * (everything after the 61-byte batch header) is one such stream.
 *
 * <p>Design note: package-private so that levels reach a codec only through {@link Compression}, which has
 * checked them, and limits only through {@link Decompressor}.
 */
sealed interface Codec permits GzipCodec, SnappyCodec, Lz4FrameCodec, ZstdCodec {

    CompressionType type();

    /** Writes {@code uncompressed}'s remaining bytes compressed to {@code out}; the position is not moved. */
    void compress(ByteBuffer uncompressed, int level, OutputStream out) throws IOException;

    /**
     * Decompresses all of {@code compressed}'s remaining bytes into {@code into}, which enforces the size limit.
     *
     * @throws io.tributary.protocol.record.CorruptRecordException if the stream is malformed or truncated
     * @throws DecompressionLimitExceededException if it decompresses to more than the limit
     */
    void decompress(ByteBuffer compressed, DecompressedBytes into);

    /**
     * A stream over {@code compressed}'s remaining bytes that decompresses as it is read, at most {@code limit}
     * bytes in all. {@code compressed} must not change while the stream is open.
     */
    DecompressingStream openStream(ByteBuffer compressed, int limit);

    /**
     * An upper bound of what {@code compressed} decompresses to, read cheaply from the stream's own framing
     * without decompressing, or -1 if the format has none. Not a check: a malformed stream may get any answer,
     * and {@link #decompress} finds the fault. Used only to size the output array, never above the guess made
     * from the compressed size, so a stream cannot make the reader allocate more by claiming more.
     */
    default long decompressedBound(ByteBuffer compressed) {
        return -1;
    }

    static Codec of(CompressionType type) {
        return switch (type) {
            case GZIP -> GzipCodec.INSTANCE;
            case SNAPPY -> SnappyCodec.INSTANCE;
            case LZ4 -> Lz4FrameCodec.INSTANCE;
            case ZSTD -> ZstdCodec.INSTANCE;
            case NONE -> throw new IllegalArgumentException("Compression type none has no codec");
        };
    }
}
