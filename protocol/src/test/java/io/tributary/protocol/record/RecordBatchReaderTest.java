package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading records: without copies, and with every malformed input ending in a named InvalidRecordException. */
class RecordBatchReaderTest {
    private static final RecordBatchReader READER = RecordBatchReader.DEFAULT;

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A records section written field by field. */
    private static ByteBuffer section(Consumer<ByteBuffer> writer) {
        ByteBuffer buffer = ByteBuffer.allocate(256);
        writer.accept(buffer);
        return buffer.flip();
    }

    /** attributes, timestamp delta 0, offset delta {@code delta}, null key, null value, no headers: 6 bytes. */
    private static void minimalBody(ByteBuffer out, int delta) {
        out.put((byte) 0);
        Varints.writeVarlong(0, out);
        Varints.writeVarint(delta, out);
        Varints.writeVarint(-1, out);
        Varints.writeVarint(-1, out);
        Varints.writeVarint(0, out);
    }

    private static List<Record> readRaw(int count, ByteBuffer section) {
        return READER.read(RecordBatch.at(RawBatches.batch(CompressionType.NONE, count, section), 0));
    }

    // ---- no copies ----

    @Test
    void keysValuesAndHeadersOfAnUncompressedBatchAreReadOnlySlicesOfIt() {
        ByteBuffer buffer = new RecordBatchBuilder(Compression.NONE)
            .append(1L, bytes("key"), bytes("value"), List.of(Header.of("h", new byte[] {7}))).build();
        Record record = READER.read(RecordBatch.at(buffer, 0)).get(0);
        ByteBuffer key = record.key();
        assertThat(key.isReadOnly()).isTrue();

        int keyAt = indexOf(buffer, "key");
        buffer.put(keyAt, (byte) 'K');
        int valueAt = indexOf(buffer, "value");
        buffer.put(valueAt, (byte) 'V');
        assertThat(record.key()).isEqualTo(bytes("Key"));
        assertThat(record.value()).isEqualTo(bytes("Value"));
        assertThat(record.headers().get(0).value().isReadOnly()).isTrue();
    }

    @Test
    void accessorsHandOutIndependentPositions() {
        Record record = READER.read(RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .append(1L, bytes("key"), null).build(), 0)).get(0);
        record.key().get();
        assertThat(record.key().remaining()).isEqualTo(3);
        assertThat(record.keySize()).isEqualTo(3);
        assertThat(record.hasValue()).isFalse();
        assertThat(record.valueSize()).isEqualTo(-1);
    }

    @Test
    void aBatchInsideALargerDirectBufferIsReadWhereItLies() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.snappy()).baseOffset(9L)
            .append(1L, bytes("a"), bytes("b")).append(2L, bytes("c"), null).build();
        ByteBuffer direct = ByteBuffer.allocateDirect(100 + batch.remaining() + 50);
        direct.position(100);
        direct.put(batch.duplicate());
        List<Record> records = READER.read(RecordBatch.at(direct, 100));
        assertThat(records).extracting(Record::offset).containsExactly(9L, 10L);
        assertThat(records.get(1).key()).isEqualTo(bytes("c"));
        assertThat(direct.position()).isEqualTo(100 + batch.remaining());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void everyCodecYieldsTheSameUncompressedRecordsSection(CompressionType type) {
        RecordBatchBuilder plain = new RecordBatchBuilder(Compression.NONE);
        RecordBatchBuilder compressed = new RecordBatchBuilder(Compression.of(type));
        for (int i = 0; i < 3000; i++) {
            plain.append(i, bytes("key-" + i), bytes("value-" + i % 7));
            compressed.append(i, bytes("key-" + i), bytes("value-" + i % 7));
        }
        ByteBuffer expected = READER.uncompressedRecords(RecordBatch.at(plain.build(), 0));
        ByteBuffer actual = READER.uncompressedRecords(RecordBatch.at(compressed.build(), 0));
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.isReadOnly()).isTrue();
    }

    @Test
    void theIteratorDecodesLazilyAndStopsAtTheFirstBadRecord() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(6, out);
            minimalBody(out, 0);
            Varints.writeVarint(6, out);
            out.put((byte) 0);
            Varints.writeVarlong(0, out);
            Varints.writeVarint(1, out);
            Varints.writeVarint(-2, out); // bad key length
            Varints.writeVarint(-1, out);
            Varints.writeVarint(0, out);
        });
        Iterator<Record> records = READER.records(RecordBatch.at(RawBatches.batch(CompressionType.NONE, 2, section), 0));
        assertThat(records.next().offset()).isZero();
        assertThatThrownBy(records::next).isInstanceOf(InvalidRecordException.class).hasMessageContaining("Record 1");
    }

    // ---- malformed records ----

    @Test
    void aLengthPastTheEndOfTheSection() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(100, out);
            minimalBody(out, 0);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("Record 0").hasMessageContaining("length 100 is out of range [0, 6]");
    }

    @Test
    void aNegativeRecordLength() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(-3, out);
            minimalBody(out, 0);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("length -3 is out of range");
    }

    @Test
    void aLengthShorterThanTheFields() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(3, out);
            minimalBody(out, 0);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("cut off by the record's end (its length is 3)");
    }

    @Test
    void aLengthLongerThanTheFields() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(7, out);
            minimalBody(out, 0);
            out.put((byte) 0);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("length 7 is larger than its fields, which end after 6 bytes");
    }

    @Test
    void aKeyLengthBelowMinusOne() {
        assertThatThrownBy(() -> readRaw(1, recordWithLengths(-2, -1, 0))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("key length -2 is negative and not -1 (null)");
    }

    @Test
    void aValueLengthBelowMinusOne() {
        assertThatThrownBy(() -> readRaw(1, recordWithLengths(-1, -7, 0))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("value length -7 is negative");
    }

    @Test
    void aKeyLengthPastTheRecordsEnd() {
        assertThatThrownBy(() -> readRaw(1, recordWithLengths(50, -1, 0))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("key length 50 runs past the record's end: 2 bytes remain");
    }

    @Test
    void aNegativeHeaderCount() {
        assertThatThrownBy(() -> readRaw(1, recordWithLengths(-1, -1, -1))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("header count -1 is out of range [0, 0]");
    }

    @Test
    void aHeaderCountTheRecordCannotHoldIsRefusedBeforeAllocating() {
        assertThatThrownBy(() -> readRaw(1, recordWithLengths(-1, -1, 1_000_000_000))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("header count 1000000000 is out of range [0, 0]");
    }

    @Test
    void aNullHeaderKey() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(8, out);
            out.put((byte) 0);
            Varints.writeVarlong(0, out);
            Varints.writeVarint(0, out);
            Varints.writeVarint(-1, out);
            Varints.writeVarint(-1, out);
            Varints.writeVarint(1, out);
            Varints.writeVarint(-1, out); // header key length
            Varints.writeVarint(-1, out);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("header 0 key length -1 is negative");
    }

    @Test
    void anOverlongVarint() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(11, out);
            out.put((byte) 0);
            Varints.writeVarlong(0, out);
            out.put(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0}); // offset delta
            Varints.writeVarint(-1, out);
            Varints.writeVarint(-1, out);
            Varints.writeVarint(0, out);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("offset delta").hasMessageContaining("longer than 5 bytes");
    }

    @Test
    void aVarintCutOffByTheRecordsEnd() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(2, out);
            out.put((byte) 0);
            Varints.writeVarlong(0, out);
            out.put(new byte[4]);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("offset delta varint is cut off by the record's end");
    }

    // ---- counts ----

    @Test
    void moreRecordsDeclaredThanTheSectionHolds() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(14, out);
            out.put((byte) 0);
            Varints.writeVarlong(0, out);
            Varints.writeVarint(0, out);
            Varints.writeVarint(8, out);
            out.put(new byte[8]);
            Varints.writeVarint(-1, out);
            Varints.writeVarint(0, out);
        });
        assertThatThrownBy(() -> readRaw(2, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("declares 2 records but its records section ends after 1");
    }

    @Test
    void fewerRecordsDeclaredThanTheSectionHolds() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(6, out);
            minimalBody(out, 0);
            Varints.writeVarint(6, out);
            minimalBody(out, 1);
        });
        assertThatThrownBy(() -> readRaw(1, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("declares 1 records but 7 bytes of its records section follow the last of them");
        assertThatThrownBy(() -> readRaw(0, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("declares 0 records but 14 bytes");
    }

    @Test
    void aNegativeRecordCount() {
        assertThatThrownBy(() -> readRaw(-1, section(out -> { })))
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("negative record count -1");
    }

    @Test
    void aRecordCountInTheBillionsIsRefusedWithoutAllocating() {
        ByteBuffer section = section(out -> {
            Varints.writeVarint(6, out);
            minimalBody(out, 0);
        });
        assertThatThrownBy(() -> readRaw(2_000_000_000, section)).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("declares 2000000000 records, at least 14000000000 bytes, but its records section has 7");
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aCompressedRecordCountInTheBillionsIsRefusedBeforeDecompressing(CompressionType type) {
        ByteBuffer batch = new RecordBatchBuilder(Compression.of(type)).append(1L, null, null).build();
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, 2_000_000_000);
        RawBatches.resealChecksum(batch);
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("declares 2000000000 records")
            .hasMessageContaining("more than the limit of " + READER.maxDecompressedBytes());
    }

    @ParameterizedTest
    @EnumSource(value = CompressionType.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void aCompressedCountThatFitsTheLimitButNotTheDecompressedBytes(CompressionType type) {
        ByteBuffer batch = new RecordBatchBuilder(Compression.of(type)).append(1L, null, null).build();
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, 1000);
        RawBatches.resealChecksum(batch);
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("declares 1000 records, at least 7000 bytes, but its records section has 7");
    }

    // ---- the batch itself ----

    @Test
    void aChecksumMismatchIsCorrupt() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE).append(1L, bytes("k"), bytes("v")).build();
        batch.put(batch.limit() - 2, (byte) 'x');
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("CRC32C");
    }

    @Test
    void aBatchLengthPastTheBufferIsCorrupt() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE).append(1L, null, null).build();
        batch.putInt(RecordBatch.LENGTH_OFFSET, Integer.MAX_VALUE);
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("length " + Integer.MAX_VALUE + " runs past the end");
    }

    @Test
    void aTruncatedBatchIsCorrupt() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE).append(1L, null, null).build();
        batch.limit(RecordBatch.HEADER_SIZE - 1);
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("truncated");
    }

    @Test
    void anOldMagicIsCorrupt() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE).append(1L, null, null).build();
        batch.put(RecordBatch.MAGIC_OFFSET, (byte) 1);
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("magic is 1");
    }

    @Test
    void anUnknownCompressionIdIsInvalid() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE).append(1L, null, null).build();
        batch.putShort(RecordBatch.ATTRIBUTES_OFFSET, (short) 5);
        RawBatches.resealChecksum(batch);
        assertThatThrownBy(() -> READER.read(RecordBatch.at(batch, 0))).isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("compression type id 5");
    }

    // ---- any damage ends in InvalidRecordException ----

    @Provide
    Arbitrary<Damage> damagedBatches() {
        return BatchSpec.batches(20).flatMap(spec -> {
            ByteBuffer batch = spec.buildWithTributary();
            int sectionSize = batch.remaining() - RecordBatch.RECORDS_OFFSET;
            Arbitrary<int[]> flips = Combinators.combine(
                    Arbitraries.integers().between(0, sectionSize - 1),
                    Arbitraries.integers().between(0, 255))
                .as((at, value) -> new int[] {at, value}).list().ofMinSize(1).ofMaxSize(4)
                .map(list -> list.stream().flatMapToInt(java.util.Arrays::stream).toArray());
            Arbitrary<Integer> cut = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1, sectionSize)));
            return Combinators.combine(flips, cut).as((f, c) -> new Damage(spec, batch, f, c));
        });
    }

    record Damage(BatchSpec spec, ByteBuffer batch, int[] flips, int cut) {
        ByteBuffer apply() {
            ByteBuffer damaged = ByteBuffer.allocate(batch.remaining());
            damaged.put(batch.duplicate()).flip();
            for (int i = 0; i < flips.length; i += 2) {
                damaged.put(RecordBatch.RECORDS_OFFSET + flips[i], (byte) flips[i + 1]);
            }
            damaged.limit(damaged.limit() - cut);
            damaged.putInt(RecordBatch.LENGTH_OFFSET, damaged.limit() - RecordBatch.LOG_OVERHEAD);
            return RawBatches.resealChecksum(damaged.slice());
        }

        @Override
        public String toString() {
            return "Damage(" + spec + ", flips " + java.util.Arrays.toString(flips) + ", cut " + cut + ")";
        }
    }

    /**
     * Random bytes of the records section overwritten (and the section cut short) behind a correct CRC: the reader
     * either decodes records or throws InvalidRecordException; no buffer, index or allocation error escapes.
     */
    @Property(tries = 400)
    void damagedRecordsEndInInvalidRecordExceptionOnly(@ForAll("damagedBatches") Damage damage) {
        ByteBuffer batch = damage.apply();
        try {
            List<Record> records = new RecordBatchReader(1 << 20).read(RecordBatch.at(batch, 0));
            assertThat(records).hasSize(RecordBatch.at(batch, 0).recordCount());
        } catch (InvalidRecordException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    private static ByteBuffer recordWithLengths(int keyLength, int valueLength, int headerCount) {
        return section(out -> {
            ByteBuffer body = ByteBuffer.allocate(64);
            body.put((byte) 0);
            Varints.writeVarlong(0, body);
            Varints.writeVarint(0, body);
            Varints.writeVarint(keyLength, body);
            Varints.writeVarint(valueLength, body);
            Varints.writeVarint(headerCount, body);
            body.flip();
            Varints.writeVarint(body.remaining(), out);
            out.put(body);
        });
    }

    private static int indexOf(ByteBuffer buffer, String text) {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = 0; i <= buffer.limit() - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer.get(i + j) != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(text + " not in the batch");
    }
}
