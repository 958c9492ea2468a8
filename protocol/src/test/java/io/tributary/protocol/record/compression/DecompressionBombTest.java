package io.tributary.protocol.record.compression;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.InvalidRecordException;
import io.tributary.protocol.record.RawBatches;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchReader;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Decompression bombs for every codec: small streams that would inflate far past the limit stop at the limit
 * with {@link DecompressionLimitExceededException}, allocating in proportion to the limit, never to the claim.
 */
class DecompressionBombTest {
    private static final int MIB = 1 << 20;
    private static final long GIB = 1L << 30;
    private static final Map<CompressionType, byte[]> BOMBS = new EnumMap<>(CompressionType.class);

    /**
     * gzip: 64 members of 16 MiB of zeros each, 1 GiB in all, in about 1 MiB (deflate peaks near 1000:1).
     * zstd: one frame of 1 GiB of zeros in a few KiB.
     * lz4: one Kafka frame of 16384 blocks of 64 KiB of zeros, 1 GiB in about 4 MiB (lz4 peaks near 250:1).
     * snappy: one stream of 64 chunks of 4 MiB of zeros, 256 MiB in about 12 MiB (snappy peaks near 21:1).
     */
    private static synchronized byte[] bomb(CompressionType type) {
        return BOMBS.computeIfAbsent(type, t -> {
            try {
                return switch (t) {
                    case GZIP -> repeat(compress(Compression.gzip(9), new byte[16 * MIB]), 64);
                    case ZSTD -> zstdOfZeros(GIB);
                    case LZ4 -> lz4OfZeros(GIB);
                    case SNAPPY -> snappyOfZeros(256 * MIB);
                    case NONE -> throw new IllegalArgumentException();
                };
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aBombStopsAtTheDefaultLimit(CompressionType type) {
        byte[] bomb = bomb(type);
        assertThat(bomb.length).isLessThan(16 * MIB);
        Measured measured = measure(() -> Decompressor.DEFAULT.decompress(type, ByteBuffer.wrap(bomb)));
        assertThat(measured.thrown()).isInstanceOf(DecompressionLimitExceededException.class)
            .hasMessageContaining(type.configName)
            .hasMessageContaining("limit of " + Decompressor.DEFAULT_MAX_DECOMPRESSED_BYTES + " bytes");
        // Doubling up to the limit allocates about twice the limit; nothing near the GiB the stream holds.
        assertThat(measured.allocated()).isLessThan(3L * Decompressor.DEFAULT_MAX_DECOMPRESSED_BYTES);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aBombInABatchIsRefusedByTheReaderWithASmallLimit(CompressionType type) {
        ByteBuffer batch = RawBatches.batch(type, 1, ByteBuffer.wrap(bomb(type)));
        RecordBatchReader reader = new RecordBatchReader(4 * MIB);
        Measured measured = measure(() -> reader.read(RecordBatch.at(batch, 0)));
        assertThat(measured.thrown()).isInstanceOfSatisfying(DecompressionLimitExceededException.class, e -> {
            assertThat(e.limit()).isEqualTo(4 * MIB);
            assertThat(e.compressionType()).isEqualTo(type);
        });
        assertThat(measured.allocated()).isLessThan(3L * 4 * MIB);
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void theLimitIsExact(CompressionType type) throws IOException {
        byte[] input = new byte[100_000];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) (i % 251);
        }
        byte[] stream = compress(Compression.of(type), input);
        assertThat(new Decompressor(100_000).decompress(type, ByteBuffer.wrap(stream)).remaining()).isEqualTo(100_000);
        assertThatThrownBy(() -> new Decompressor(99_999).decompress(type, ByteBuffer.wrap(stream)))
            .isInstanceOf(DecompressionLimitExceededException.class).hasMessageContaining("99999");
    }

    /** A snappy chunk's preamble states its size: a claim past the limit is refused before anything is allocated. */
    @Test
    void aSnappyChunkClaimingMoreThanTheLimitIsRefusedBeforeAllocating() throws IOException {
        warmUp(CompressionType.SNAPPY);
        byte[] chunk = Snappy.compress(new byte[16 * MIB]);
        ByteBuffer stream = ByteBuffer.allocate(SnappyCodec.HEADER_SIZE + 4 + chunk.length);
        stream.put(SnappyCodec.MAGIC).putInt(1).putInt(1).putInt(chunk.length).put(chunk).flip();
        Measured measured = measure(() -> new Decompressor(MIB).decompress(CompressionType.SNAPPY, stream));
        assertThat(measured.thrown()).isInstanceOf(DecompressionLimitExceededException.class)
            .hasMessageContaining("snappy chunk 0 declares 16777216 decompressed bytes, which with the 0 already decompressed "
                + "exceeds the limit of 1048576");
        // The first guess at the output size (at most 1 MiB), nothing for the 16 MiB claimed.
        assertThat(measured.allocated()).isLessThan(2 * MIB);
    }

    /** Claims of GiBs in a few bytes: snappy-java already finds them implausible; either way nothing is allocated. */
    @Test
    void aSnappyChunkClaimingGibibytesInAFewBytesAllocatesNothing() throws IOException {
        warmUp(CompressionType.SNAPPY);
        for (byte[] preamble : new byte[][] {
            {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x04}, // 1 GiB
            {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}}) { // 4 GiB - 1
            ByteBuffer stream = ByteBuffer.allocate(SnappyCodec.HEADER_SIZE + 4 + preamble.length + 8);
            stream.put(SnappyCodec.MAGIC).putInt(1).putInt(1).putInt(preamble.length + 8).put(preamble).put(new byte[8]).flip();
            Measured measured = measure(() -> Decompressor.DEFAULT.decompress(CompressionType.SNAPPY, stream));
            assertThat(measured.thrown()).isInstanceOf(InvalidRecordException.class).hasMessageContaining("snappy chunk 0");
            assertThat(measured.allocated()).isLessThan(MIB);
        }
    }

    /** 4 MiB lz4 blocks against a 1 MiB limit: the block that crosses it is told apart from a malformed one. */
    @Test
    void anLz4BlockLargerThanWhatTheLimitLeaves() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB,
            LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE)) {
            lz4.write(new byte[3 * MIB]);
        }
        assertThatThrownBy(() -> new Decompressor(MIB).decompress(CompressionType.LZ4, ByteBuffer.wrap(out.toByteArray())))
            .isInstanceOf(DecompressionLimitExceededException.class).hasMessageContaining("limit of " + MIB);
        assertThat(new Decompressor(3 * MIB).decompress(CompressionType.LZ4, ByteBuffer.wrap(out.toByteArray())).remaining())
            .isEqualTo(3 * MIB);
    }

    // ---- bomb makers ----

    private static byte[] compress(Compression compression, byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        compression.compress(ByteBuffer.wrap(input), out);
        return out.toByteArray();
    }

    private static byte[] repeat(byte[] part, int times) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(part.length * times);
        for (int i = 0; i < times; i++) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private static byte[] zstdOfZeros(long size) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] zeros = new byte[MIB];
        try (ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(out, 1)) {
            for (long written = 0; written < size; written += zeros.length) {
                zstd.write(zeros);
            }
        }
        return out.toByteArray();
    }

    /** Our own frame of one 64 KiB block of zeros, its block repeated to reach {@code size}. */
    private static byte[] lz4OfZeros(long size) throws IOException {
        byte[] oneBlock = compress(Compression.lz4(), new byte[Lz4FrameCodec.BLOCK_SIZE]);
        int header = 7;
        int endMark = 4;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(oneBlock, 0, header);
        for (long written = 0; written < size; written += Lz4FrameCodec.BLOCK_SIZE) {
            out.write(oneBlock, header, oneBlock.length - header - endMark);
        }
        out.write(new byte[endMark]);
        return out.toByteArray();
    }

    private static byte[] snappyOfZeros(int size) throws IOException {
        byte[] chunk = Snappy.compress(new byte[4 * MIB]);
        ByteBuffer stream = ByteBuffer.allocate(SnappyCodec.HEADER_SIZE + (size / (4 * MIB)) * (4 + chunk.length));
        stream.put(SnappyCodec.MAGIC).putInt(SnappyCodec.VERSION).putInt(SnappyCodec.MIN_COMPATIBLE_VERSION);
        for (int written = 0; written < size; written += 4 * MIB) {
            stream.putInt(chunk.length).put(chunk);
        }
        return stream.array();
    }

    /** Loads the codec's classes and native library, so their one-time allocations are not measured. */
    private static void warmUp(CompressionType type) throws IOException {
        Decompressor.DEFAULT.decompress(type, ByteBuffer.wrap(compress(Compression.of(type), new byte[10])));
    }

    record Measured(long allocated, Throwable thrown) {
    }

    /** Runs {@code action}, catching what it throws, and the bytes the current thread allocated meanwhile. */
    private static Measured measure(Runnable action) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        Throwable thrown = null;
        try {
            action.run();
        } catch (RuntimeException e) {
            thrown = e;
        }
        return new Measured(threads.getCurrentThreadAllocatedBytes() - before, thrown);
    }
}
