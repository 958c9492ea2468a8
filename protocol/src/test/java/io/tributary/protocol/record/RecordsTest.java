package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.MutableRecordBatch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several batches back-to-back, as a Produce request carries them. */
class RecordsTest {

    private static ByteBuffer batch(Compression compression, long baseOffset, int records) {
        RecordBatchBuilder builder = new RecordBatchBuilder(compression).baseOffset(baseOffset);
        for (int i = 0; i < records; i++) {
            builder.append(1_000L + i, ByteBuffer.wrap(("k" + i).getBytes()), ByteBuffer.wrap(("v" + i).getBytes()));
        }
        return builder.build();
    }

    private static List<ByteBuffer> threeBatches() {
        return List.of(batch(Compression.NONE, 0, 3), batch(Compression.gzip(), 3, 2), batch(Compression.zstd(), 5, 4));
    }

    @Test
    void concatenatedBatchesIterateInOrderAndKafkaSeesTheSame() {
        List<ByteBuffer> batches = threeBatches();
        ByteBuffer concatenated = Records.concat(batches);

        assertThat(concatenated.remaining()).isEqualTo(batches.stream().mapToInt(ByteBuffer::remaining).sum());
        List<Long> ourOffsets = new ArrayList<>();
        for (RecordBatch batch : Records.wrap(concatenated)) {
            RecordBatchReader.DEFAULT.read(batch).forEach(r -> ourOffsets.add(r.offset()));
        }
        assertThat(ourOffsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);

        List<Long> kafkaOffsets = new ArrayList<>();
        for (MutableRecordBatch batch : MemoryRecords.readableRecords(concatenated.duplicate()).batches()) {
            batch.ensureValid();
            batch.forEach(r -> kafkaOffsets.add(r.offset()));
        }
        assertThat(kafkaOffsets).isEqualTo(ourOffsets);
    }

    @Test
    void iterationStopsBeforeAPartialTrailingBatch() {
        ByteBuffer concatenated = Records.concat(threeBatches());
        int full = concatenated.remaining();
        concatenated.limit(full - 10);
        Records records = Records.wrap(concatenated);

        List<RecordBatch> batches = new ArrayList<>();
        records.forEach(batches::add);
        assertThat(batches).hasSize(2);
        assertThat(records.sizeOfCompleteBatches()).isEqualTo(batches.get(0).sizeInBytes() + batches.get(1).sizeInBytes());
        assertThat(records.sizeInBytes()).isEqualTo(full - 10);
    }

    @Test
    void aLengthBelowTheMinimumCannotBeSkippedAndIsCorrupt() {
        ByteBuffer concatenated = Records.concat(threeBatches());
        int second = RecordBatch.at(concatenated, 0).sizeInBytes();
        concatenated.putInt(second + RecordBatch.LENGTH_OFFSET, 3);
        Records records = Records.wrap(concatenated);
        var iterator = records.iterator();
        iterator.next();
        assertThatThrownBy(iterator::hasNext).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("Batch at byte " + second + " has length 3, less than the minimum " + RecordBatch.MIN_BATCH_LENGTH);
    }

    @Test
    void wrapViewsTheRemainingBytesWithoutMovingThem() {
        ByteBuffer concatenated = Records.concat(threeBatches());
        int first = RecordBatch.at(concatenated, 0).sizeInBytes();
        concatenated.position(first);
        Records tail = Records.wrap(concatenated);
        assertThat(tail.iterator().next().baseOffset()).isEqualTo(3L);
        assertThat(concatenated.position()).isEqualTo(first);
        assertThat(tail.buffer().isReadOnly()).isTrue();
    }

    @Test
    void concatRefusesAnInvalidBatchNamingIt() {
        List<ByteBuffer> batches = new ArrayList<>(threeBatches());
        ByteBuffer damaged = batches.get(1);
        damaged.put(damaged.limit() - 1, (byte) (damaged.get(damaged.limit() - 1) + 1));
        assertThatThrownBy(() -> Records.concat(batches)).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("Batch 1 of 3").hasMessageContaining("CRC32C");
    }

    @Test
    void concatRefusesABufferHoldingMoreThanOneBatch() {
        ByteBuffer two = Records.concat(threeBatches().subList(0, 2));
        assertThatThrownBy(() -> Records.concat(List.of(two))).isInstanceOf(CorruptRecordException.class)
            .hasMessageContaining("Batch 0 of 1 is " + RecordBatch.at(two, 0).sizeInBytes() + " bytes but its buffer holds "
                + two.remaining());
    }

    @Test
    void noBatchesAreAnEmptyRecordsField() {
        ByteBuffer empty = Records.concat(List.of());
        assertThat(empty.remaining()).isZero();
        assertThat(Records.wrap(empty).iterator().hasNext()).isFalse();
        assertThat(Records.wrap(empty).sizeOfCompleteBatches()).isZero();
    }
}
