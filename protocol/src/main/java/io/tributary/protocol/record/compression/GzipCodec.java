package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * gzip (RFC 1952) through the JDK's zlib, as Kafka writes and reads it.
 *
 * <p>Layout: a 10-byte member header {@code 1f 8b 08 00 00000000 00 ff} (deflate, no flags, no mtime, no extra
 * flags, OS unknown: the JDK's fixed header), the raw deflate stream at the configured level, then CRC-32 and the uncompressed size
 * mod 2^32, both little-endian. Reading accepts what {@link GZIPInputStream} accepts, as Kafka does:
 * concatenated members, and trailing bytes after the last member that do not start another one.
 */
final class GzipCodec implements Codec {
    static final GzipCodec INSTANCE = new GzipCodec();

    /** Kafka's deflater output buffer. */
    private static final int DEFLATE_BUFFER_SIZE = 8 * 1024;
    /** Kafka's inflater input buffer. */
    private static final int INFLATE_BUFFER_SIZE = 8 * 1024;

    private GzipCodec() {
    }

    @Override
    public CompressionType type() {
        return CompressionType.GZIP;
    }

    @Override
    public void compress(ByteBuffer uncompressed, int level, OutputStream out) throws IOException {
        ByteRange input = ByteRange.of(uncompressed);
        try (LevelledGzipOutputStream gzip = new LevelledGzipOutputStream(new NonClosingOutputStream(out), level)) {
            gzip.write(input.array(), input.offset(), input.length());
        }
    }

    @Override
    public void decompress(ByteBuffer compressed, DecompressedBytes into) {
        ByteRange input = ByteRange.of(compressed);
        try (GZIPInputStream gzip = new GZIPInputStream(
            new ByteArrayInputStream(input.array(), input.offset(), input.length()), INFLATE_BUFFER_SIZE)) {
            into.readFully(gzip);
        } catch (IOException e) {
            throw new CorruptRecordException("gzip stream of " + input.length() + " bytes is malformed after "
                + into.size() + " decompressed bytes: " + e.getMessage());
        }
    }

    @Override
    public DecompressingStream openStream(ByteBuffer compressed, int limit) {
        ByteRange input = ByteRange.of(compressed);
        return new LibraryStream(CompressionType.GZIP, limit, input.length(), () -> new GZIPInputStream(
            new ByteArrayInputStream(input.array(), input.offset(), input.length()), INFLATE_BUFFER_SIZE));
    }

    /** {@link GZIPOutputStream} with a level: the deflater is only reachable from a subclass. */
    private static final class LevelledGzipOutputStream extends GZIPOutputStream {
        LevelledGzipOutputStream(OutputStream out, int level) throws IOException {
            super(out, DEFLATE_BUFFER_SIZE);
            def.setLevel(level);
        }
    }
}
