package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG.Bits;
import net.jpountz.xxhash.XXHashFactory;
import org.apache.kafka.common.compress.Lz4BlockOutputStream;
import org.apache.kafka.common.utils.BufferSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.xerial.snappy.Snappy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The byte layouts the codec class comments state, and what each reader accepts and refuses beyond them. */
class CodecFormatTest {
    private static final byte[] TEXT = text(600_000);

    private static byte[] text(int size) {
        Random random = new Random(42);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) ("tributary record ".charAt(i % 17) + (random.nextInt(50) == 0 ? 1 : 0));
        }
        return bytes;
    }

    private static byte[] compress(Compression compression, byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        compression.compress(ByteBuffer.wrap(input), out);
        return out.toByteArray();
    }

    private static byte[] decompress(CompressionType type, byte[] stream) {
        return CodecProperties.bytes(Decompressor.DEFAULT.decompress(type, ByteBuffer.wrap(stream)));
    }

    private static byte[] kafkaDecompress(CompressionType type, byte[] stream) throws IOException {
        try (InputStream in = org.apache.kafka.common.compress.Compression.of(type.configName).build()
            .wrapForInput(ByteBuffer.wrap(stream), (byte) 2, BufferSupplier.NO_CACHING)) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void garbageIsCorrupt(CompressionType type) {
        byte[] garbage = new byte[300];
        new Random(7).nextBytes(garbage);
        assertThatThrownBy(() -> decompress(type, garbage)).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining(type.configName);
        assertThatThrownBy(() -> decompress(type, new byte[0])).isInstanceOf(CorruptRecordException.class);
    }

    // ---- lz4 ----

    @Test
    void lz4FrameHeaderIsKafkasAndEndsWithAnEndMark() throws IOException {
        byte[] frame = compress(Compression.lz4(), TEXT);
        byte hc = (byte) ((XXHashFactory.fastestInstance().hash32().hash(new byte[] {0x60, 0x40}, 0, 2, 0) >> 8) & 0xFF);
        assertThat(Arrays.copyOf(frame, 7)).containsExactly(0x04, 0x22, 0x4D, 0x18, 0x60, 0x40, hc);
        assertThat(Arrays.copyOfRange(frame, frame.length - 4, frame.length)).containsExactly(0, 0, 0, 0);
        int firstBlock = ByteBuffer.wrap(frame, 7, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(firstBlock).isPositive().isLessThan(64 * 1024);
    }

    @Test
    void lz4StoresBlocksThatDoNotShrinkWithTheHighBitSet() throws IOException {
        byte[] random = new byte[70_000];
        new Random(1).nextBytes(random);
        byte[] frame = compress(Compression.lz4(), random);
        int firstBlock = ByteBuffer.wrap(frame, 7, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertThat(firstBlock).isEqualTo(0x80000000 | 64 * 1024);
        assertThat(decompress(CompressionType.LZ4, frame)).isEqualTo(random);
    }

    @ParameterizedTest
    @EnumSource(BLOCKSIZE.class)
    void lz4ReadsStandardFramesWithEveryBlockSizeAndOptionalField(BLOCKSIZE blockSize) throws IOException {
        for (Bits[] bits : new Bits[][] {
            {Bits.BLOCK_INDEPENDENCE},
            {Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM},
            {Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_CHECKSUM},
            {Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_SIZE, Bits.BLOCK_CHECKSUM, Bits.CONTENT_CHECKSUM}}) {
            byte[] frame = standardLz4Frame(blockSize, TEXT.length, bits);
            assertThat(decompress(CompressionType.LZ4, frame)).as(Arrays.toString(bits)).isEqualTo(TEXT);
        }
    }

    /**
     * The output array is sized from the block headers when that is below the guess from the compressed size
     * (four times it): no zeroed bytes that are never written; never above it, so claiming is not allocating.
     */
    @Test
    void lz4OutputIsSizedByItsBlocksNotFourTimesTheCompressedSize() throws IOException {
        Random random = new Random(7);
        byte[] twoBlocks = new byte[2 * Lz4FrameCodec.BLOCK_SIZE];
        for (int i = 0; i < twoBlocks.length; i++) {
            twoBlocks[i] = (byte) ('a' + random.nextInt(16)); // compresses a little, far less than 4:1
        }
        byte[] frame = compress(Compression.of(CompressionType.LZ4), twoBlocks);
        assertThat(Lz4FrameCodec.INSTANCE.decompressedBound(ByteBuffer.wrap(frame))).isEqualTo(twoBlocks.length);
        ByteBuffer out = Decompressor.DEFAULT.decompress(CompressionType.LZ4, ByteBuffer.wrap(frame));
        assertThat(CodecProperties.bytes(out)).isEqualTo(twoBlocks);
        assertThat(out.array().length).as("output array").isEqualTo(twoBlocks.length).isLessThan(4 * frame.length);

        assertThat(Lz4FrameCodec.INSTANCE.decompressedBound(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}))).isEqualTo(-1);
        int limit = Decompressor.DEFAULT_MAX_DECOMPRESSED_BYTES;
        assertThat(new DecompressedBytes(CompressionType.LZ4, limit, 100_000, -1).array()).hasSize(400_000);
        assertThat(new DecompressedBytes(CompressionType.LZ4, limit, 100_000, 131_072).array()).hasSize(131_072);
        assertThat(new DecompressedBytes(CompressionType.LZ4, limit, 1_000, 1 << 20).array()).as("a claim above the guess")
            .hasSize(4096);
        assertThat(decompress(CompressionType.LZ4, compress(Compression.of(CompressionType.LZ4), TEXT)))
            .as("highly compressible: grows past the guess").isEqualTo(TEXT);
    }

    @Test
    void lz4RefusesDependentBlocks() throws IOException {
        // No library at hand writes dependent blocks; clear the bit and re-seal the header checksum.
        byte[] frame = compress(Compression.lz4(), TEXT);
        frame[4] = 0x40;
        frame[6] = (byte) ((XXHashFactory.fastestInstance().hash32().hash(frame, 4, 2, 0) >> 8) & 0xFF);
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, frame)).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("dependent blocks");
    }

    @Test
    void lz4RefusesTheMagicInclusiveHeaderChecksumOfPre010Clients() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Lz4BlockOutputStream broken = new Lz4BlockOutputStream(out, 9, true)) {
            broken.write(TEXT);
        }
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, out.toByteArray()))
            .isInstanceOf(CorruptRecordException.class).hasMessageContaining("header checksum");
    }

    @Test
    void lz4HeaderDamageIsNamed() throws IOException {
        byte[] frame = compress(Compression.lz4(), TEXT);
        assertLz4Refuses(frame, f -> f[0] = 0x05, "magic is 0x184d2205");
        assertLz4Refuses(frame, f -> f[4] = 0x20, "version bits are 0");
        assertLz4Refuses(frame, f -> f[4] = 0x61, "reserved bits");
        assertLz4Refuses(frame, f -> f[5] = 0x30, "block size code 3");
        assertLz4Refuses(frame, f -> f[5] = (byte) 0xC0, "BD 0xc0");
        assertLz4Refuses(frame, f -> f[6]++, "header checksum");
        assertLz4Refuses(Arrays.copyOf(frame, 6), f -> { }, "shorter than the 7-byte minimum header");
    }

    @Test
    void lz4BlockDamageIsNamed() throws IOException {
        byte[] frame = compress(Compression.lz4(), TEXT);
        assertLz4Refuses(frame, f -> putIntLE(f, 7, 64 * 1024 + 1), "claims 65537 bytes, more than the frame's max block size 65536");
        assertLz4Refuses(Arrays.copyOf(frame, 200), f -> { }, "remain in the frame");
        assertLz4Refuses(Arrays.copyOf(frame, frame.length - 4), f -> { }, "without its end mark");
        assertLz4Refuses(frame, f -> putIntLE(f, 7, 5), "does not decompress");
    }

    @Test
    void lz4ChecksumsAreVerified() throws IOException {
        byte[] blockChecksums = standardLz4Frame(BLOCKSIZE.SIZE_64KB, -1, Bits.BLOCK_INDEPENDENCE, Bits.BLOCK_CHECKSUM);
        int firstBlock = ByteBuffer.wrap(blockChecksums, 7, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0x7FFFFFFF;
        assertLz4Refuses(blockChecksums, f -> f[7 + 4 + firstBlock]++, "block 0 checksum");

        byte[] contentChecksum = standardLz4Frame(BLOCKSIZE.SIZE_64KB, -1, Bits.BLOCK_INDEPENDENCE, Bits.CONTENT_CHECKSUM);
        assertLz4Refuses(contentChecksum, f -> f[f.length - 1]++, "content checksum");
        assertLz4Refuses(Arrays.copyOf(contentChecksum, contentChecksum.length - 4), f -> { },
            "declares a content checksum but ends");
    }

    private static void assertLz4Refuses(byte[] frame, java.util.function.Consumer<byte[]> damage, String message) {
        byte[] damaged = frame.clone();
        damage.accept(damaged);
        assertThatThrownBy(() -> decompress(CompressionType.LZ4, damaged)).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining(message);
    }

    private static byte[] standardLz4Frame(BLOCKSIZE blockSize, long knownSize, Bits... bits) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (LZ4FrameOutputStream lz4 = new LZ4FrameOutputStream(out, blockSize, knownSize, bits)) {
            lz4.write(TEXT);
        }
        return out.toByteArray();
    }

    private static void putIntLE(byte[] bytes, int offset, int value) {
        ByteBuffer.wrap(bytes, offset, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(value);
    }

    // ---- snappy ----

    @Test
    void snappyStreamHeaderAndChunksOf32KiB() throws IOException {
        byte[] stream = compress(Compression.snappy(), TEXT);
        assertThat(Arrays.copyOf(stream, 16)).containsExactly(
            0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0, 0, 0, 0, 1, 0, 0, 0, 1);
        int chunk = ByteBuffer.wrap(stream, 16, 4).getInt();
        assertThat(Snappy.uncompressedLength(stream, 20, chunk)).isEqualTo(32 * 1024);
    }

    @Test
    void snappyReadsARawBlockAsSnappyInputStreamDoes() throws IOException {
        byte[] raw = Snappy.compress(TEXT);
        assertThat(decompress(CompressionType.SNAPPY, raw)).isEqualTo(TEXT).isEqualTo(kafkaDecompress(CompressionType.SNAPPY, raw));
    }

    @Test
    void snappyReadsConcatenatedStreamsAsSnappyInputStreamDoes() throws IOException {
        byte[] first = compress(Compression.snappy(), Arrays.copyOf(TEXT, 40_000));
        byte[] second = compress(Compression.snappy(), Arrays.copyOfRange(TEXT, 40_000, 100_000));
        byte[] both = concat(first, second);
        assertThat(decompress(CompressionType.SNAPPY, both)).isEqualTo(Arrays.copyOf(TEXT, 100_000))
            .isEqualTo(kafkaDecompress(CompressionType.SNAPPY, both));
    }

    @Test
    void snappyDamageIsNamed() throws IOException {
        byte[] stream = compress(Compression.snappy(), TEXT);
        assertSnappyRefuses(stream, s -> ByteBuffer.wrap(s).putInt(16, -5), "chunk 0 claims -5 compressed bytes");
        assertSnappyRefuses(stream, s -> ByteBuffer.wrap(s).putInt(16, Integer.MAX_VALUE), "chunk 0 claims 2147483647");
        assertSnappyRefuses(Arrays.copyOf(stream, 18), s -> { }, "length is cut off: 2 bytes remain");
        assertSnappyRefuses(stream, s -> ByteBuffer.wrap(s).putInt(8, 0), "version 0");
        assertSnappyRefuses(stream, s -> Arrays.fill(s, 20, 40, (byte) 0xFF), "chunk 0");
    }

    private static void assertSnappyRefuses(byte[] stream, java.util.function.Consumer<byte[]> damage, String message) {
        byte[] damaged = stream.clone();
        damage.accept(damaged);
        assertThatThrownBy(() -> decompress(CompressionType.SNAPPY, damaged)).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining(message);
    }

    // ---- gzip ----

    @Test
    void gzipMemberHeaderIsTheJdksFixedOne() throws IOException {
        byte[] stream = compress(Compression.gzip(), TEXT);
        assertThat(Arrays.copyOf(stream, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    }

    @Test
    void gzipReadsConcatenatedMembersAsKafkaDoes() throws IOException {
        byte[] both = concat(compress(Compression.gzip(1), Arrays.copyOf(TEXT, 1000)),
            compress(Compression.gzip(9), Arrays.copyOfRange(TEXT, 1000, 5000)));
        assertThat(decompress(CompressionType.GZIP, both)).isEqualTo(Arrays.copyOf(TEXT, 5000))
            .isEqualTo(kafkaDecompress(CompressionType.GZIP, both));
    }

    @Test
    void gzipTrailerDamageIsCorrupt() throws IOException {
        byte[] stream = compress(Compression.gzip(), TEXT);
        stream[stream.length - 5]++; // CRC-32 of the content
        assertThatThrownBy(() -> decompress(CompressionType.GZIP, stream)).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("gzip stream");
    }

    // ---- zstd ----

    @Test
    void zstdFramesStartWithTheMagic() throws IOException {
        assertThat(Arrays.copyOf(compress(Compression.zstd(), TEXT), 4)).containsExactly(0x28, 0xb5, 0x2f, 0xfd);
    }

    @Test
    void zstdReadsConcatenatedAndSkippableFramesAsKafkaDoes() throws IOException {
        byte[] skippable = {0x50, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 9, 9, 9};
        byte[] stream = concat(skippable, compress(Compression.zstd(1), Arrays.copyOf(TEXT, 1000)),
            compress(Compression.zstd(19), Arrays.copyOfRange(TEXT, 1000, 5000)));
        assertThat(decompress(CompressionType.ZSTD, stream)).isEqualTo(Arrays.copyOf(TEXT, 5000))
            .isEqualTo(kafkaDecompress(CompressionType.ZSTD, stream));
    }
}
