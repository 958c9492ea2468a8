package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each header field and attribute bit as the builder writes it, and the builder's rules. */
class RecordBatchBuilderTest {

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyHeaderFieldLandsAtItsOffset() {
        ByteBuffer buffer = new RecordBatchBuilder(Compression.NONE)
            .baseOffset(1_000_000_000_000L)
            .partitionLeaderEpoch(42)
            .producer(77L, (short) 5, 100)
            .append(1_700_000_000_000L, bytes("k1"), bytes("v1"))
            .append(1_699_999_999_000L, null, bytes("v2"))
            .append(1_700_000_000_500L, bytes("k3"), null)
            .build();

        RecordBatch batch = RecordBatch.at(buffer, 0);
        assertThat(buffer.position()).isZero();
        assertThat(buffer.remaining()).isEqualTo(batch.sizeInBytes());
        assertThat(batch.baseOffset()).isEqualTo(1_000_000_000_000L);
        assertThat(batch.batchLength()).isEqualTo(buffer.remaining() - RecordBatch.LOG_OVERHEAD);
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(42);
        assertThat(batch.magic()).isEqualTo((byte) 2);
        assertThat(batch.isChecksumValid()).isTrue();
        assertThat(batch.attributes()).isZero();
        assertThat(batch.lastOffsetDelta()).isEqualTo(2);
        assertThat(batch.baseTimestamp()).isEqualTo(1_700_000_000_000L);
        assertThat(batch.maxTimestamp()).isEqualTo(1_700_000_000_500L);
        assertThat(batch.producerId()).isEqualTo(77L);
        assertThat(batch.producerEpoch()).isEqualTo((short) 5);
        assertThat(batch.baseSequence()).isEqualTo(100);
        assertThat(batch.lastSequence()).isEqualTo(102);
        assertThat(batch.recordCount()).isEqualTo(3);
        batch.ensureValid();
        batch.validateUncompressedRecords();
    }

    @Test
    void defaultsAreKafkasNoValues() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE).append(5L, null, null).build(), 0);
        assertThat(batch.baseOffset()).isZero();
        assertThat(batch.partitionLeaderEpoch()).isEqualTo(RecordBatch.NO_PARTITION_LEADER_EPOCH);
        assertThat(batch.producerId()).isEqualTo(RecordBatch.NO_PRODUCER_ID);
        assertThat(batch.producerEpoch()).isEqualTo(RecordBatch.NO_PRODUCER_EPOCH);
        assertThat(batch.baseSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(batch.lastSequence()).isEqualTo(RecordBatch.NO_SEQUENCE);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.hasDeleteHorizon()).isFalse();
        assertThat(batch.deleteHorizonMs()).isEqualTo(RecordBatch.NO_TIMESTAMP);
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void compressionTypeIsAttributeBitsZeroToTwo(CompressionType type) {
        ByteBuffer buffer = new RecordBatchBuilder(Compression.of(type)).append(1L, bytes("key"), bytes("value")).build();
        RecordBatch batch = RecordBatch.at(buffer, 0);
        assertThat(batch.attributes()).isEqualTo((short) type.id);
        assertThat(batch.compressionType()).isEqualTo(type);
        assertThat(RecordBatchReader.DEFAULT.read(batch)).singleElement()
            .satisfies(r -> assertThat(r.value()).isEqualTo(bytes("value")));
    }

    @Test
    void logAppendTimeIsBitThreeAndSetsTheMaxTimestamp() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .logAppendTime(9_999L)
            .append(10L, null, null)
            .append(20L, null, null)
            .build(), 0);
        assertThat(batch.attributes()).isEqualTo((short) 0x08);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.LOG_APPEND_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(9_999L);
        assertThat(batch.baseTimestamp()).isEqualTo(10L);
        assertThat(RecordBatchReader.DEFAULT.read(batch)).extracting(Record::timestamp).containsExactly(9_999L, 9_999L);
    }

    @Test
    void createTimeUndoesLogAppendTime() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE).logAppendTime(9L).createTime()
            .append(10L, null, null).build(), 0);
        assertThat(batch.timestampType()).isEqualTo(TimestampType.CREATE_TIME);
        assertThat(batch.maxTimestamp()).isEqualTo(10L);
    }

    @Test
    void transactionalIsBitFour() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .producer(1L, (short) 0, 0).transactional(true).append(1L, null, null).build(), 0);
        assertThat(batch.attributes()).isEqualTo((short) 0x10);
        assertThat(batch.isTransactional()).isTrue();
        assertThat(batch.isControlBatch()).isFalse();
    }

    @Test
    void controlIsBitFiveAndMayGoWithoutASequence() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .producer(1L, (short) 0, RecordBatch.NO_SEQUENCE).transactional(true).control(true)
            .append(1L, ByteBuffer.wrap(new byte[] {0, 0, 0, 1}), null).build(), 0);
        assertThat(batch.attributes()).isEqualTo((short) 0x30);
        assertThat(batch.isControlBatch()).isTrue();
    }

    @Test
    void deleteHorizonIsBitSixAndTheBaseTimestampRecordDeltasStartFrom() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .deleteHorizonMs(5_000L)
            .append(4_000L, null, null)
            .append(6_000L, null, null)
            .build(), 0);
        assertThat(batch.attributes()).isEqualTo((short) 0x40);
        assertThat(batch.hasDeleteHorizon()).isTrue();
        assertThat(batch.deleteHorizonMs()).isEqualTo(5_000L);
        assertThat(batch.baseTimestamp()).isEqualTo(5_000L);
        assertThat(RecordBatchReader.DEFAULT.read(batch)).extracting(Record::timestamp).containsExactly(4_000L, 6_000L);
    }

    @Test
    void allFlagsTogether() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.zstd())
            .producer(3L, (short) 1, 0).transactional(true).control(true).deleteHorizonMs(0L).logAppendTime(1L)
            .append(1L, ByteBuffer.wrap(new byte[] {0, 0, 0, 0}), null).build(), 0);
        assertThat(batch.attributes()).isEqualTo((short) (0x04 | 0x08 | 0x10 | 0x20 | 0x40));
    }

    @Test
    void offsetGapsSetTheLastOffsetDeltaAndRecordOffsets() {
        ByteBuffer buffer = new RecordBatchBuilder(Compression.NONE)
            .baseOffset(100L)
            .appendWithOffset(100L, 1L, null, null, List.of())
            .appendWithOffset(103L, 1L, null, null, List.of())
            .append(1L, null, null)
            .build();
        RecordBatch batch = RecordBatch.at(buffer, 0);
        assertThat(batch.lastOffsetDelta()).isEqualTo(4);
        assertThat(batch.nextOffset()).isEqualTo(105L);
        assertThat(RecordBatchReader.DEFAULT.read(batch)).extracting(Record::offset).containsExactly(100L, 103L, 104L);
    }

    @Test
    void recordsWithoutTimestampsGiveAMaxTimestampOfMinusOne() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .append(RecordBatch.NO_TIMESTAMP, null, null).build(), 0);
        assertThat(batch.baseTimestamp()).isEqualTo(-1L);
        assertThat(batch.maxTimestamp()).isEqualTo(-1L);
    }

    @Test
    void sequencesWrapPastIntegerMaxValueAsKafkasDo() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.NONE)
            .producer(1L, (short) 0, Integer.MAX_VALUE - 1)
            .append(1L, null, null).append(1L, null, null).append(1L, null, null).build(), 0);
        assertThat(batch.lastSequence()).isZero();
        assertThat(RecordBatchReader.DEFAULT.read(batch)).extracting(Record::sequence)
            .containsExactly(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 0);
    }

    @Test
    void headersRoundTripWithNullValuesEmptyKeysAndRepeats() {
        List<Header> headers = List.of(Header.of("a", new byte[] {1}), Header.of("", null), Header.of("a", new byte[0]),
            new Header("ключ", bytes("значение")));
        ByteBuffer buffer = new RecordBatchBuilder(Compression.NONE).append(1L, null, null, headers).build();
        Record record = RecordBatchReader.DEFAULT.read(RecordBatch.at(buffer, 0)).get(0);
        assertThat(record.headers()).containsExactlyElementsOf(headers);
        assertThat(record.headers()).extracting(Header::key).containsExactly("a", "", "a", "ключ");
        assertThat(record.headers().get(1).value()).isNull();
        assertThat(record.headers().get(1).valueSize()).isEqualTo(-1);
    }

    /**
     * Kafka sizes an unpaired surrogate as 3-4 UTF-8 bytes but encodes it as '?', so its records with such header
     * keys carry a wrong length and its own reader rejects them. We size what we encode: the batch is valid.
     */
    @Test
    void anUnpairedSurrogateInAHeaderKeyEncodesAsAQuestionMarkAndStaysReadable() {
        ByteBuffer buffer = new RecordBatchBuilder(Compression.NONE)
            .append(1L, null, null, List.of(Header.of("a\uD800b", null))).build();
        assertThat(RecordBatchReader.DEFAULT.read(RecordBatch.at(buffer, 0)).get(0).headers().get(0).key()).isEqualTo("a?b");
        assertThat(DecodedBatch.kafka(buffer).records().get(0).headers().get(0).key()).isEqualTo("a?b");
    }

    @Test
    void appendCopiesTheCallersBytesAndLeavesTheirPositions() {
        ByteBuffer key = bytes("key");
        ByteBuffer value = bytes("value");
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.NONE).append(1L, key, value);
        assertThat(key.position()).isZero();
        assertThat(value.position()).isZero();
        value.put(0, (byte) 'X');
        Record record = RecordBatchReader.DEFAULT.read(RecordBatch.at(builder.build(), 0)).get(0);
        assertThat(record.value()).isEqualTo(bytes("value"));
    }

    @Test
    void appendsOnlyTheRemainingBytesOfAKeyOrValue() {
        ByteBuffer value = bytes("xxvaluexx");
        value.position(2).limit(7);
        Record record = RecordBatchReader.DEFAULT.read(RecordBatch.at(
            new RecordBatchBuilder(Compression.NONE).append(1L, null, value).build(), 0)).get(0);
        assertThat(record.value()).isEqualTo(bytes("value"));
    }

    @Test
    void uncompressedSizeTracksTheBuiltSizeOfAnUncompressedBatch() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.NONE, 0);
        assertThat(builder.uncompressedSizeInBytes()).isEqualTo(RecordBatch.HEADER_SIZE);
        for (int i = 0; i < 100; i++) {
            builder.append(i, bytes("key-" + i), ByteBuffer.allocate(i * 10));
        }
        int size = builder.uncompressedSizeInBytes();
        assertThat(builder.recordCount()).isEqualTo(100);
        assertThat(builder.build().remaining()).isEqualTo(size);
    }

    @Test
    void negativeTimestampsOtherThanMinusOneAreRejected() {
        assertThatThrownBy(() -> new RecordBatchBuilder(Compression.NONE).append(-2L, null, null))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
    }

    @Test
    void offsetsMustIncrease() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.NONE).baseOffset(10L).append(1L, null, null);
        assertThatThrownBy(() -> builder.appendWithOffset(10L, 1L, null, null, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10").hasMessageContaining("previous");
    }

    @Test
    void offsetsMustBeWithinAnIntOfTheBaseOffset() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.NONE).baseOffset(10L);
        assertThatThrownBy(() -> builder.appendWithOffset(9L, 1L, null, null, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9");
        assertThatThrownBy(() -> builder.appendWithOffset(10L + Integer.MAX_VALUE + 1L, 1L, null, null, List.of()))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(String.valueOf(10L + Integer.MAX_VALUE));
    }

    @Test
    void baseOffsetAndDeleteHorizonAreFixedOnceRecordsAreAppended() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.NONE).append(1L, null, null);
        assertThatThrownBy(() -> builder.baseOffset(5L)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.deleteHorizonMs(5L)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anEmptyBatchIsNotBuilt() {
        assertThatThrownBy(() -> new RecordBatchBuilder(Compression.NONE).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("at least one record");
    }

    @Test
    void aBuilderBuildsOnce() {
        RecordBatchBuilder builder = new RecordBatchBuilder(Compression.NONE).append(1L, null, null);
        builder.build();
        assertThatThrownBy(builder::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> builder.append(1L, null, null)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void producerStateFollowsKafkasRules() {
        assertThatThrownBy(() -> new RecordBatchBuilder(Compression.NONE).transactional(true).append(1L, null, null).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("producer id");
        assertThatThrownBy(() -> new RecordBatchBuilder(Compression.NONE).producer(1L, (short) -1, 0).append(1L, null, null).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("epoch");
        assertThatThrownBy(() -> new RecordBatchBuilder(Compression.NONE).producer(1L, (short) 0, -1).append(1L, null, null).build())
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sequence");
    }

    @Test
    void nullHeadersAndHeaderKeysAreRejected() {
        assertThatThrownBy(() -> new RecordBatchBuilder(Compression.NONE).append(1L, null, null, null))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Header.of(null, new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBatchStampedByTheLogStaysValid() {
        RecordBatch batch = RecordBatch.at(new RecordBatchBuilder(Compression.lz4()).append(1L, bytes("k"), bytes("v")).build(), 0);
        batch.setBaseOffset(500L);
        batch.setPartitionLeaderEpoch(3);
        batch.setMaxTimestamp(TimestampType.LOG_APPEND_TIME, 77L);
        batch.ensureValid();
        assertThat(RecordBatchReader.DEFAULT.read(batch)).singleElement().satisfies(r -> {
            assertThat(r.offset()).isEqualTo(500L);
            assertThat(r.timestamp()).isEqualTo(77L);
        });
        assertThat(DecodedBatch.kafka(batch.buffer()).records()).extracting(DecodedBatch.DecodedRecord::offset).containsExactly(500L);
    }
}
