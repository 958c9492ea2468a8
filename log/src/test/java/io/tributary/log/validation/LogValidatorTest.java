package io.tributary.log.validation;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.CompressionType;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.TimestampType;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link LogValidator} answers for compressed payloads, timestamps at the window's edges, and keys. */
class LogValidatorTest {
    static final long NOW = 1_800_000_000_000L;
    static final TopicPartition TP = new TopicPartition("t", 0);

    static ValidationSettings settings(TimestampType type, long before, long after, int maxDecompressed) {
        return new ValidationSettings(TP, 1 << 20, 1 << 30, false, "delete", 0, type, before, after, maxDecompressed);
    }

    static ValidationSettings defaults() {
        return settings(TimestampType.CREATE_TIME, Long.MAX_VALUE, 3_600_000L, 1 << 20);
    }

    static Refusal refused(ByteBuffer batch, ValidationSettings settings) {
        Verdict verdict = LogValidator.validate(batch, settings, NOW);
        assertThat(verdict).isInstanceOf(Refusal.class);
        return (Refusal) verdict;
    }

    static final CompressionType[] CODECS = {CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.LZ4, CompressionType.ZSTD};

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void aWellFormedBatchOfEveryCodecIsAcceptedAndLeftUnchanged(CompressionType type) {
        ByteBuffer batch = CraftedBatches.compressed(type, CraftedBatches.records(50, 100, NOW));
        ByteBuffer before = batch.duplicate();
        byte[] copy = new byte[batch.remaining()];
        before.get(copy);
        assertThat(LogValidator.validate(batch, defaults(), NOW)).isEqualTo(new Verdict.Accepted(1, 50));
        byte[] after = new byte[batch.remaining()];
        batch.duplicate().get(after);
        assertThat(after).isEqualTo(copy);
    }

    @Test
    void concatenatedStreamsAreReadAsOneAsKafkaReadsThem() {
        byte[] section = CraftedBatches.section(CraftedBatches.records(30, 300, NOW));
        int half = section.length / 2;
        for (CompressionType type : new CompressionType[] {CompressionType.GZIP, CompressionType.SNAPPY, CompressionType.ZSTD}) {
            byte[] first = CraftedBatches.compress(type, Arrays.copyOfRange(section, 0, half));
            byte[] second = CraftedBatches.compress(type, Arrays.copyOfRange(section, half, section.length));
            byte[] joined = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, joined, first.length, second.length);
            assertThat(LogValidator.validate(CraftedBatches.batch(type, joined, 30, NOW, NOW, false), defaults(), NOW))
                .as(type.configName).isEqualTo(new Verdict.Accepted(1, 30));
        }
    }

    @Test
    void garbageUnderEveryCodecFlagIsRefused() {
        byte[] garbage = new byte[300];
        new java.util.Random(7).nextBytes(garbage);
        for (CompressionType type : CODECS) {
            Refusal refusal = refused(CraftedBatches.batch(type, garbage, 3, NOW, NOW, false), defaults());
            assertThat(refusal.kind()).as(type.configName).isIn(Refusal.Kind.CORRUPT, Refusal.Kind.INVALID_RECORD);
            assertThat(refusal.batchIndex()).isZero();
        }
    }

    @Test
    void aTruncatedStreamIsRefusedWhereverItIsCut() {
        byte[] section = CraftedBatches.section(CraftedBatches.records(40, 200, NOW));
        for (CompressionType type : CODECS) {
            byte[] whole = CraftedBatches.compress(type, section);
            for (int cut : new int[] {0, 1, 7, whole.length / 3, whole.length / 2, whole.length - 5, whole.length - 1}) {
                byte[] truncated = Arrays.copyOf(whole, cut);
                Refusal refusal = refused(CraftedBatches.batch(type, truncated, 40, NOW, NOW, false), defaults());
                assertThat(refusal.kind()).as("%s cut at %d of %d", type, cut, whole.length)
                    .isIn(Refusal.Kind.CORRUPT, Refusal.Kind.INVALID_RECORD);
            }
        }
    }

    @Test
    void aNegativeLengthIsNamedByItsFieldInTheRefusal() {
        // one record: attributes, timestamp delta 0, offset delta 0, key null, value "v", one header of key length -2
        byte[] badHeader = {0x12, 0, 0, 0, 0x01, 0x02, 'v', 0x02, 0x03, 0x00};
        Refusal header = refused(CraftedBatches.batch(CompressionType.NONE, badHeader, 1, NOW, NOW, false), defaults());
        assertThat(header.kind()).isEqualTo(Refusal.Kind.INVALID_RECORD);
        assertThat(header.message()).contains("has header 0 key length -2, which is negative");
        // the same record with key length -2 instead of null
        byte[] badKey = {0x12, 0, 0, 0, 0x03, 0x02, 'v', 0x02, 0x03, 0x00};
        Refusal key = refused(CraftedBatches.batch(CompressionType.NONE, badKey, 1, NOW, NOW, false), defaults());
        assertThat(key.message()).contains("has key length -2, which is negative and not -1 (null)");
    }

    @Test
    void aBombOfZerosStopsAtTheFirstRecord() {
        for (CompressionType type : CODECS) {
            byte[] bomb = CraftedBatches.compress(type, new byte[16 << 20]);
            long start = System.nanoTime();
            Refusal refusal = refused(CraftedBatches.batch(type, bomb, 1, NOW, NOW, false), defaults());
            assertThat(refusal.kind()).as(type.configName).isEqualTo(Refusal.Kind.INVALID_RECORD);
            assertThat(refusal.recordIndex()).isZero();
            assertThat(refusal.message()).contains("claims 0 bytes");
            assertThat(System.nanoTime() - start).as("not decompressed to its end").isLessThan(2_000_000_000L);
        }
    }

    @Test
    void aRecordLargerThanTheDecompressionLimitIsRefusedBeforeItIsRead() {
        for (CompressionType type : CODECS) {
            ByteBuffer batch = CraftedBatches.compressed(type, CraftedBatches.records(1, 2 << 20, NOW));
            Refusal refusal = refused(batch, defaults());
            assertThat(refusal.kind()).as(type.configName).isEqualTo(Refusal.Kind.INVALID_RECORD);
            assertThat(refusal.message()).contains("decompressed.batch.max.bytes=" + (1 << 20));
        }
    }

    @Test
    void manySmallRecordsPastTheLimitAreRefusedAtTheLimit() {
        for (CompressionType type : CODECS) {
            ByteBuffer batch = CraftedBatches.compressed(type, CraftedBatches.records(2000, 1000, NOW));
            Refusal refusal = refused(batch, defaults());
            assertThat(refusal.kind()).as(type.configName).isEqualTo(Refusal.Kind.INVALID_RECORD);
            assertThat(refusal.recordIndex()).as("somewhere past the first MiB").isBetween(900, 1100);
        }
    }

    @Test
    void aCountThatDisagreesWithTheStreamIsRefused() {
        byte[] section = CraftedBatches.section(CraftedBatches.records(5, 10, NOW));
        for (CompressionType type : CODECS) {
            byte[] payload = CraftedBatches.compress(type, section);
            Refusal fewer = refused(CraftedBatches.batch(type, payload, 6, NOW, NOW, false), defaults());
            assertThat(fewer.message()).as(type.configName).contains("declares 6 records but holds 5");
            Refusal more = refused(CraftedBatches.batch(type, payload, 4, NOW, NOW, false), defaults());
            assertThat(more.message()).as(type.configName).contains("declares 4 records but holds more");
        }
    }

    @Test
    void createTimeWindowEdgesAreInclusive() {
        ValidationSettings window = settings(TimestampType.CREATE_TIME, 10_000, 5_000, 1 << 20);
        for (CompressionType type : CompressionType.values()) {
            for (long[] edge : new long[][] {{NOW - 10_000, 1}, {NOW - 10_001, 0}, {NOW + 5_000, 1}, {NOW + 5_001, 0},
                {RecordBatch.NO_TIMESTAMP, 1}}) {
                ByteBuffer batch = CraftedBatches.compressed(type, withTimestamps(NOW, edge[0], NOW));
                Verdict verdict = LogValidator.validate(batch, window, NOW);
                if (edge[1] == 1) {
                    assertThat(verdict).as("%s at %d", type, edge[0]).isInstanceOf(Verdict.Accepted.class);
                } else {
                    assertThat(verdict).as("%s at %d", type, edge[0]).isInstanceOfSatisfying(Refusal.class, r -> {
                        assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID_TIMESTAMP);
                        assertThat(r.recordErrors()).extracting(e -> e.recordIndex()).containsExactly(1);
                        assertThat(r.recordErrors().get(0).message()).contains("[" + (NOW - 10_000) + ", " + (NOW + 5_000) + "]");
                    });
                }
            }
        }
    }

    @Test
    void logAppendTimeTopicsIgnoreTheWindowButRefuseProducerFlaggedLogAppendTime() {
        ValidationSettings logAppendTime = settings(TimestampType.LOG_APPEND_TIME, 0, 0, 1 << 20);
        ByteBuffer old = CraftedBatches.compressed(CompressionType.LZ4, withTimestamps(1L, 2L, 3L));
        assertThat(LogValidator.validate(old, logAppendTime, NOW)).isEqualTo(new Verdict.Accepted(1, 3));

        ByteBuffer flagged = new RecordBatchBuilder(Compression.none()).logAppendTime(NOW)
            .append(NOW, null, ByteBuffer.wrap(new byte[1])).build();
        assertThat(refused(flagged, logAppendTime).kind()).isEqualTo(Refusal.Kind.INVALID_TIMESTAMP);
        // in a CreateTime topic the flagged batch's max timestamp stands for its records
        assertThat(LogValidator.validate(flagged.duplicate(), defaults(), NOW)).isInstanceOf(Verdict.Accepted.class);
        Verdict late = LogValidator.validate(flagged.duplicate(), settings(TimestampType.CREATE_TIME, 0, 0, 1 << 20), NOW + 1);
        assertThat(late).isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.kind()).isEqualTo(Refusal.Kind.INVALID_TIMESTAMP));
    }

    @Test
    void everyRecordWithoutAKeyOfACompactedTopicIsListed() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.gzip());
        for (int i = 0; i < 5; i++) {
            builder.append(NOW, i % 2 == 0 ? null : ByteBuffer.wrap(new byte[] {(byte) i}), ByteBuffer.wrap(new byte[] {1}));
        }
        ValidationSettings compacted = new ValidationSettings(TP, 1 << 20, 1 << 30, true, "compact", 0,
            TimestampType.CREATE_TIME, Long.MAX_VALUE, Long.MAX_VALUE, 1 << 20);
        Refusal refusal = refused(builder.build(), compacted);
        assertThat(refusal.kind()).isEqualTo(Refusal.Kind.INVALID_RECORD);
        assertThat(refusal.recordErrors()).extracting(e -> e.recordIndex()).containsExactly(0, 2, 4);
        assertThat(refusal.toException()).hasMessageContaining("without a key");
    }

    @Test
    void theVisitorSeesEachRecordOfACompressedBatchOnceWithItsKey() {
        ByteBuffer batch = CraftedBatches.compressed(CompressionType.SNAPPY, CraftedBatches.records(300, 700, NOW));
        List<String> keys = new ArrayList<>();
        Verdict verdict = LogValidator.validate(batch, defaults(), NOW, (batchIndex, record) -> {
            byte[] key = new byte[record.keyLength()];
            record.buffer().get(record.keyPosition(), key);
            keys.add(new String(key) + "@" + record.offsetDelta() + "/" + record.valueLength());
        });
        assertThat(verdict).isEqualTo(new Verdict.Accepted(1, 300));
        assertThat(keys).hasSize(300).startsWith("k0@0/700", "k1@1/700").endsWith("k299@299/700");
    }

    /** Three records with the given timestamps, uncompressed. */
    static ByteBuffer withTimestamps(long... timestamps) {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.none());
        for (long timestamp : timestamps) {
            builder.append(timestamp, null, ByteBuffer.wrap(new byte[] {7}));
        }
        return builder.build();
    }
}
