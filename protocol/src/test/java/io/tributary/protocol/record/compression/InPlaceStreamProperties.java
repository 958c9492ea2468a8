package io.tributary.protocol.record.compression;

import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.CorruptRecordException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gzip and zstd streams the append validation reads compressed batches with, read where the bytes lie (direct
 * buffers, as in a produce request): gzip's against the JDK's {@link GZIPInputStream} over the same bytes, which is
 * what Kafka's broker and {@link Decompressor#decompress} read with, on well-formed, concatenated, header-flagged,
 * trailing-garbage, truncated and damaged streams: the same bytes out, or both refuse. zstd's against
 * {@link Decompressor#decompress}.
 */
class InPlaceStreamProperties {

    /** One gzip stream: its members and what is done to it after. */
    record GzipCase(int members, int flagsSeed, int size, boolean compressible, int garbage, int cut, int damage, long seed) {
        byte[] stream() {
            Random random = new Random(seed);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int m = 0; m < members; m++) {
                byte[] input = input(random, size / members, compressible);
                writeMember(out, input, (flagsSeed >>> (4 * m)) & 0x1E, random);
            }
            byte[] bytes = out.toByteArray();
            if (garbage > 0) {
                byte[] tail = new byte[garbage];
                random.nextBytes(tail);
                if (random.nextBoolean() && garbage >= 3) {
                    tail[0] = 0x1F; // looks like the start of another member
                    tail[1] = (byte) 0x8B;
                    tail[2] = 8;
                    if (garbage >= 4 && random.nextBoolean()) {
                        tail[3] = 0; // no optional fields: a whole header in 10 bytes
                    }
                }
                bytes = concat(bytes, tail);
            }
            if (cut > 0 && bytes.length > 0) {
                bytes = Arrays.copyOf(bytes, bytes.length - 1 - (cut - 1) % bytes.length);
            }
            for (int i = 0; i < damage && bytes.length > 0; i++) {
                bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
            }
            return bytes;
        }
    }

    @Provide
    Arbitrary<GzipCase> gzipCases() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(1, Arbitraries.of(0, 1, 8 * 1024, 8 * 1024 + 1)),
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(0, 60_000)));
        Arbitrary<Integer> garbage = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1, 40)));
        Arbitrary<Integer> cuts = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 100_000)));
        Arbitrary<Integer> damage = Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(4, Arbitraries.just(0)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, 3)));
        return Combinators.combine(Arbitraries.integers().between(1, 3), Arbitraries.integers(), sizes,
                Arbitraries.of(true, false), garbage, cuts, damage, Arbitraries.longs())
            .as(GzipCase::new);
    }

    @Property(tries = 600)
    void gzipReadInPlaceAcceptsAndRefusesWhatGzipInputStreamDoes(@ForAll("gzipCases") GzipCase c) {
        byte[] stream = c.stream();
        Outcome jdk = jdk(stream);
        assertThat(ours(direct(stream))).as("direct").isEqualTo(jdk);
        assertThat(ours(ByteBuffer.wrap(stream).asReadOnlyBuffer())).as("read-only heap").isEqualTo(jdk);
    }

    @Property(tries = 60)
    void zstdReadInPlaceMatchesDecompress(@ForAll("sizes") int size, @ForAll boolean compressible, @ForAll long seed,
                                          @ForAll boolean damaged) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Compression.zstd().compress(ByteBuffer.wrap(input(random, size, compressible)), out);
        byte[] stream = out.toByteArray();
        if (damaged) {
            stream[random.nextInt(stream.length)] ^= (byte) (1 + random.nextInt(255));
        }
        Outcome expected;
        try {
            expected = Outcome.of(CodecProperties.bytes(Decompressor.DEFAULT.decompress(CompressionType.ZSTD, ByteBuffer.wrap(stream))));
        } catch (CorruptRecordException e) {
            expected = Outcome.REFUSED;
        }
        assertThat(ours(CompressionType.ZSTD, direct(stream))).isEqualTo(expected);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(0, 300_000);
    }

    /** The per-thread inflater is reset for each stream: one abandoned halfway does not leak into the next. */
    @Example
    void anAbandonedGzipStreamDoesNotDisturbTheNext() throws IOException {
        Random random = new Random(7);
        byte[] first = input(random, 100_000, false);
        byte[] second = input(random, 50_000, true);
        ByteArrayOutputStream a = new ByteArrayOutputStream();
        Compression.gzip().compress(ByteBuffer.wrap(first), a);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        Compression.gzip().compress(ByteBuffer.wrap(second), b);
        DecompressingStream abandoned = Decompressor.DEFAULT.stream(CompressionType.GZIP, direct(a.toByteArray()));
        assertThat(abandoned.read(new byte[1000], 0, 1000)).isPositive();
        assertThat(ours(CompressionType.GZIP, direct(b.toByteArray()))).isEqualTo(Outcome.of(second));
        abandoned.close();
        assertThat(ours(CompressionType.GZIP, direct(a.toByteArray()))).isEqualTo(Outcome.of(first));
    }

    @Example
    void anEmptyGzipStreamIsRefused() {
        assertThatThrownBy(() -> readAll(Decompressor.DEFAULT.stream(CompressionType.GZIP, ByteBuffer.allocateDirect(0))))
            .isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("gzip stream of 0 bytes is malformed");
    }

    /** Decoded bytes, or a refusal. */
    record Outcome(boolean refused, byte[] bytes) {
        static final Outcome REFUSED = new Outcome(true, new byte[0]);

        static Outcome of(byte[] bytes) {
            return new Outcome(false, bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Outcome other && refused == other.refused && Arrays.equals(bytes, other.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return refused ? "refused" : bytes.length + " bytes";
        }
    }

    private static Outcome jdk(byte[] stream) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(stream), 8 * 1024)) {
            return Outcome.of(in.readAllBytes());
        } catch (IOException e) {
            return Outcome.REFUSED;
        }
    }

    private static Outcome ours(ByteBuffer stream) {
        return ours(CompressionType.GZIP, stream);
    }

    private static Outcome ours(CompressionType type, ByteBuffer stream) {
        try (DecompressingStream in = Decompressor.DEFAULT.stream(type, stream)) {
            return Outcome.of(readAll(in));
        } catch (CorruptRecordException e) {
            assertThat(e.getMessage()).startsWith(type.configName + " stream");
            return Outcome.REFUSED;
        }
    }

    private static byte[] readAll(DecompressingStream in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] piece = new byte[3000];
        for (int n; (n = in.read(piece, 0, piece.length)) >= 0; ) {
            out.write(piece, 0, n);
        }
        return out.toByteArray();
    }

    private static ByteBuffer direct(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length + 16);
        direct.position(16); // not at the start of its memory, as a batch inside a request is not
        direct.put(bytes).flip().position(16);
        return direct.slice();
    }

    private static byte[] input(Random random, int size, boolean compressible) {
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

    /** One RFC 1952 member with the given header flags (FHCRC 2, FEXTRA 4, FNAME 8, FCOMMENT 16). */
    private static void writeMember(ByteArrayOutputStream out, byte[] input, int flags, Random random) {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.writeBytes(new byte[] {0x1F, (byte) 0x8B, 8, (byte) flags, 0, 0, 0, 0, 0, (byte) 0xFF});
        if ((flags & 4) != 0) {
            int length = random.nextInt(20);
            header.write(length);
            header.write(0);
            byte[] extra = new byte[length];
            random.nextBytes(extra);
            header.writeBytes(extra);
        }
        if ((flags & 8) != 0) {
            header.writeBytes("name.txt".getBytes());
            header.write(0);
        }
        if ((flags & 16) != 0) {
            header.writeBytes("a comment".getBytes());
            header.write(0);
        }
        if ((flags & 2) != 0) {
            CRC32 crc = new CRC32();
            crc.update(header.toByteArray());
            header.write((int) crc.getValue());
            header.write((int) crc.getValue() >>> 8);
        }
        out.writeBytes(header.toByteArray());
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(input);
        deflater.finish();
        byte[] chunk = new byte[8192];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        CRC32 crc = new CRC32();
        crc.update(input);
        writeIntLE(out, (int) crc.getValue());
        writeIntLE(out, input.length);
    }

    private static void writeIntLE(ByteArrayOutputStream out, int value) {
        out.write(value);
        out.write(value >>> 8);
        out.write(value >>> 16);
        out.write(value >>> 24);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
