package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * The write side of compression: a codec and its level, as a producer's {@code compression.type} and
 * {@code compression.<codec>.level} configure it, validated once when the value is made.
 *
 * <p>Levels and their ranges are Kafka's (KIP-390, Kafka 3.8+), so a config that Kafka accepts is accepted here
 * and means the same thing:
 * <pre>
 *  codec   config key               range                 default
 *  gzip    compression.gzip.level   1..9, or -1           -1 (zlib's default, which is 6)
 *  lz4     compression.lz4.level    1..17                 9  (lz4's fast compressor; other levels use LZ4 HC)
 *  zstd    compression.zstd.level   -131072..22           3
 *  snappy  (no level)
 *  none    (no level)
 * </pre>
 *
 * <p>Reading needs no level: see {@link Decompressor}.
 */
public final class Compression {
    public static final int GZIP_MIN_LEVEL = 1;
    public static final int GZIP_MAX_LEVEL = 9;
    /** {@code java.util.zip.Deflater.DEFAULT_COMPRESSION}. */
    public static final int GZIP_DEFAULT_LEVEL = -1;

    public static final int LZ4_MIN_LEVEL = 1;
    public static final int LZ4_MAX_LEVEL = 17;
    public static final int LZ4_DEFAULT_LEVEL = 9;

    /** {@code ZSTD_minCLevel()} of zstd 1.5: -(1 << 17). Kafka takes the bounds from the native library. */
    public static final int ZSTD_MIN_LEVEL = -131072;
    /** {@code ZSTD_maxCLevel()}. */
    public static final int ZSTD_MAX_LEVEL = 22;
    public static final int ZSTD_DEFAULT_LEVEL = 3;

    /** What {@link #level()} returns for the codecs that have no level (none, snappy). */
    public static final int NO_LEVEL = 0;

    public static final Compression NONE = new Compression(CompressionType.NONE, NO_LEVEL);
    private static final Compression SNAPPY = new Compression(CompressionType.SNAPPY, NO_LEVEL);

    private final CompressionType type;
    private final int level;

    private Compression(CompressionType type, int level) {
        this.type = type;
        this.level = level;
    }

    public static Compression none() {
        return NONE;
    }

    public static Compression gzip() {
        return new Compression(CompressionType.GZIP, GZIP_DEFAULT_LEVEL);
    }

    /** @throws IllegalArgumentException unless {@code level} is 1..9 or -1 */
    public static Compression gzip(int level) {
        if ((level < GZIP_MIN_LEVEL || level > GZIP_MAX_LEVEL) && level != GZIP_DEFAULT_LEVEL) {
            throw new IllegalArgumentException("compression.gzip.level " + level + " is out of range ["
                + GZIP_MIN_LEVEL + ", " + GZIP_MAX_LEVEL + "] (or " + GZIP_DEFAULT_LEVEL + " for zlib's default)");
        }
        return new Compression(CompressionType.GZIP, level);
    }

    public static Compression snappy() {
        return SNAPPY;
    }

    public static Compression lz4() {
        return new Compression(CompressionType.LZ4, LZ4_DEFAULT_LEVEL);
    }

    /** @throws IllegalArgumentException unless {@code level} is 1..17 */
    public static Compression lz4(int level) {
        if (level < LZ4_MIN_LEVEL || level > LZ4_MAX_LEVEL) {
            throw new IllegalArgumentException("compression.lz4.level " + level + " is out of range ["
                + LZ4_MIN_LEVEL + ", " + LZ4_MAX_LEVEL + "]");
        }
        return new Compression(CompressionType.LZ4, level);
    }

    public static Compression zstd() {
        return new Compression(CompressionType.ZSTD, ZSTD_DEFAULT_LEVEL);
    }

    /** @throws IllegalArgumentException unless {@code level} is -131072..22 */
    public static Compression zstd(int level) {
        if (level < ZSTD_MIN_LEVEL || level > ZSTD_MAX_LEVEL) {
            throw new IllegalArgumentException("compression.zstd.level " + level + " is out of range ["
                + ZSTD_MIN_LEVEL + ", " + ZSTD_MAX_LEVEL + "]");
        }
        return new Compression(CompressionType.ZSTD, level);
    }

    /** The codec at its default level. */
    public static Compression of(CompressionType type) {
        return switch (type) {
            case NONE -> NONE;
            case GZIP -> gzip();
            case SNAPPY -> SNAPPY;
            case LZ4 -> lz4();
            case ZSTD -> zstd();
        };
    }

    /**
     * The codec at {@code level}.
     *
     * @throws IllegalArgumentException for a level out of the codec's range, or any level but {@link #NO_LEVEL}
     *     for none and snappy, which have none
     */
    public static Compression of(CompressionType type, int level) {
        return switch (type) {
            case GZIP -> gzip(level);
            case LZ4 -> lz4(level);
            case ZSTD -> zstd(level);
            case NONE, SNAPPY -> {
                if (level != NO_LEVEL) {
                    throw new IllegalArgumentException(type.configName + " has no compression level, got " + level);
                }
                yield of(type);
            }
        };
    }

    public CompressionType type() {
        return type;
    }

    /** The level, or {@link #NO_LEVEL} for none and snappy. */
    public int level() {
        return level;
    }

    /**
     * Writes the compressed form of {@code uncompressed}'s remaining bytes to {@code out}, in the stream format
     * Kafka writes for this codec; for {@link CompressionType#NONE} the bytes themselves. The buffer's position
     * is not moved and {@code out} is not closed.
     */
    public void compress(ByteBuffer uncompressed, OutputStream out) throws IOException {
        if (type == CompressionType.NONE) {
            ByteRange bytes = ByteRange.of(uncompressed);
            out.write(bytes.array(), bytes.offset(), bytes.length());
            return;
        }
        Codec.of(type).compress(uncompressed, level, out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Compression other && type == other.type && level == other.level;
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, level);
    }

    @Override
    public String toString() {
        return level == NO_LEVEL && (type == CompressionType.NONE || type == CompressionType.SNAPPY)
            ? type.configName
            : type.configName + "(level " + level + ")";
    }
}
