package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.InvalidRecordException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.kafka.common.utils.BufferSupplier;
import org.apache.kafka.common.utils.ByteBufferOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each codec against Kafka's own streams (kafka-clients {@code Compression.wrapForOutput/wrapForInput}): the same
 * bytes out for the same input, each side reads the other's, and damaged streams end in InvalidRecordException.
 */
class CodecProperties {

    /** A codec and level, and input of some size and kind, from a seed so big inputs are cheap to generate. */
    record Case(Compression compression, int size, boolean compressible, long seed) {
        byte[] input() {
            Random random = new Random(seed);
            byte[] bytes = new byte[size];
            if (compressible) {
                for (int i = 0; i < size; ) {
                    int run = 1 + random.nextInt(40);
                    byte b = (byte) ('a' + random.nextInt(4));
                    for (int j = 0; j < run && i < size; j++) {
                        bytes[i++] = b;
                    }
                }
            } else {
                random.nextBytes(bytes);
            }
            return bytes;
        }

        org.apache.kafka.common.compress.Compression kafka() {
            return switch (compression.type()) {
                case GZIP -> org.apache.kafka.common.compress.Compression.gzip().level(compression.level()).build();
                case SNAPPY -> org.apache.kafka.common.compress.Compression.snappy().build();
                case LZ4 -> org.apache.kafka.common.compress.Compression.lz4().level(compression.level()).build();
                case ZSTD -> org.apache.kafka.common.compress.Compression.zstd().level(compression.level()).build();
                case NONE -> throw new IllegalArgumentException();
            };
        }

        @Override
        public String toString() {
            return "Case(" + compression + ", " + size + " " + (compressible ? "compressible" : "random") + " bytes, seed " + seed + ")";
        }
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Compression> compressions = Arbitraries.of(
            Compression.gzip(), Compression.gzip(1), Compression.gzip(9),
            Compression.snappy(),
            Compression.lz4(), Compression.lz4(1), Compression.lz4(17),
            Compression.zstd(), Compression.zstd(-5), Compression.zstd(Compression.ZSTD_MIN_LEVEL), Compression.zstd(19));
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 32 * 1024, 32 * 1024 + 1, 64 * 1024, 64 * 1024 + 1)),
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 300_000)));
        return Combinators.combine(compressions, sizes, Arbitraries.of(true, false), Arbitraries.longs())
            .as(Case::new);
    }

    @Property(tries = 120)
    void roundTripsAndMatchesKafkasBytesBothWays(@ForAll("cases") Case c) throws IOException {
        byte[] input = c.input();

        ByteArrayOutputStream ours = new ByteArrayOutputStream();
        c.compression().compress(ByteBuffer.wrap(input), ours);
        byte[] kafka = kafkaCompress(c, input);

        assertThat(ours.toByteArray()).isEqualTo(kafka);
        assertThat(bytes(Decompressor.DEFAULT.decompress(c.compression().type(), ByteBuffer.wrap(kafka)))).isEqualTo(input);
        assertThat(kafkaDecompress(c, ours.toByteArray())).isEqualTo(input);
    }

    @Property(tries = 60)
    void readOnlyAndDirectInputsCompressAndDecompressTheSame(@ForAll("cases") Case c) throws IOException {
        byte[] input = c.input();
        ByteArrayOutputStream fromHeap = new ByteArrayOutputStream();
        c.compression().compress(ByteBuffer.wrap(input), fromHeap);

        ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
        ByteArrayOutputStream fromDirect = new ByteArrayOutputStream();
        c.compression().compress(direct, fromDirect);
        assertThat(direct.position()).isZero();
        assertThat(fromDirect.toByteArray()).isEqualTo(fromHeap.toByteArray());

        ByteBuffer readOnly = ByteBuffer.wrap(fromHeap.toByteArray()).asReadOnlyBuffer();
        assertThat(bytes(Decompressor.DEFAULT.decompress(c.compression().type(), readOnly))).isEqualTo(input);
        assertThat(readOnly.position()).isZero();
    }

    /** Truncated anywhere: an error, except that snappy's stream, having no end mark, may end at a chunk boundary. */
    @Property(tries = 200)
    void truncatedStreamsFailOrYieldAPrefix(@ForAll("cases") Case c, @ForAll @IntRange(min = 1, max = 1_000_000) int cutSeed)
        throws IOException {
        byte[] input = c.input();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.compression().compress(ByteBuffer.wrap(input), out);
        byte[] stream = out.toByteArray();
        int keep = cutSeed % stream.length;
        try {
            byte[] result = bytes(Decompressor.DEFAULT.decompress(c.compression().type(), ByteBuffer.wrap(stream, 0, keep)));
            assertThat(c.compression().type()).as("only snappy streams end without an end mark").isEqualTo(CompressionType.SNAPPY);
            assertThat(result.length).isLessThanOrEqualTo(input.length);
            assertThat(java.util.Arrays.copyOf(input, result.length)).isEqualTo(result);
        } catch (InvalidRecordException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    /** Random bytes overwritten: the codec decodes something within the limit or throws InvalidRecordException. */
    @Property(tries = 400)
    void damagedStreamsNeverThrowAnythingElse(@ForAll("cases") Case c, @ForAll long damageSeed) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.compression().compress(ByteBuffer.wrap(c.input()), out);
        byte[] stream = out.toByteArray();
        Random random = new Random(damageSeed);
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            stream[random.nextInt(stream.length)] = (byte) random.nextInt(256);
        }
        Decompressor small = new Decompressor(1 << 20);
        try {
            assertThat(small.decompress(c.compression().type(), ByteBuffer.wrap(stream)).remaining()).isLessThanOrEqualTo(1 << 20);
        } catch (InvalidRecordException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static byte[] kafkaCompress(Case c, byte[] input) throws IOException {
        ByteBufferOutputStream buffer = new ByteBufferOutputStream(64);
        // Kafka's builder writes a record at a time; feed its stream in small random pieces the same way.
        Random random = new Random(c.seed());
        try (OutputStream out = c.kafka().wrapForOutput(buffer, (byte) 2)) {
            for (int i = 0; i < input.length; ) {
                int n = Math.min(input.length - i, 1 + random.nextInt(300));
                out.write(input, i, n);
                i += n;
            }
        }
        return bytes(buffer.buffer().flip());
    }

    private static byte[] kafkaDecompress(Case c, byte[] stream) throws IOException {
        try (InputStream in = c.kafka().wrapForInput(ByteBuffer.wrap(stream), (byte) 2, BufferSupplier.NO_CACHING)) {
            return in.readAllBytes();
        }
    }

    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
