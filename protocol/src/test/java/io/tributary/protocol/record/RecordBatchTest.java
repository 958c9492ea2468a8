package io.tributary.protocol.record;

import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The append-path check of the header view, {@link RecordBatch#validateUncompressedRecords()}. */
class RecordBatchTest {

    private static ByteBuffer threeRecords() {
        return new RecordBatchBuilder(Compression.NONE).append(1L, null, null).append(2L, null, null)
            .append(3L, null, null).build();
    }

    @Test
    void aWellFormedBatchPasses() {
        RecordBatch.at(threeRecords(), 0).validateUncompressedRecords();
    }

    @Test
    void offsetDeltasMustRunWithoutGaps() {
        ByteBuffer batch = new RecordBatchBuilder(Compression.NONE).append(1L, null, null)
            .appendWithOffset(3L, 1L, null, null, List.of()).build();
        assertThatThrownBy(() -> RecordBatch.at(batch, 0).validateUncompressedRecords())
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("offset delta 3, expected 1");
    }

    @Test
    void theLastOffsetDeltaMustBeTheLastRecords() {
        ByteBuffer batch = threeRecords();
        batch.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, 5);
        RawBatches.resealChecksum(batch);
        assertThatThrownBy(() -> RecordBatch.at(batch, 0).validateUncompressedRecords())
            .isInstanceOf(InvalidRecordException.class)
            .hasMessageContaining("last offset delta 5 but its 3 records end at offset delta 2");
    }

    @Test
    void theCountMustBeTheRecordsHeld() {
        ByteBuffer batch = threeRecords();
        batch.putInt(RecordBatch.RECORD_COUNT_OFFSET, 4);
        assertThatThrownBy(() -> RecordBatch.at(batch, 0).validateUncompressedRecords())
            .isInstanceOf(InvalidRecordException.class).hasMessageContaining("declares 4 records but holds 3");
    }

    @Test
    void stampingTheLeaderEpochAndOffsetLeavesTheChecksumValid() {
        RecordBatch batch = RecordBatch.at(threeRecords(), 0);
        long crc = batch.checksum();
        batch.setBaseOffset(1234L);
        batch.setPartitionLeaderEpoch(9);
        assertThat(batch.checksum()).isEqualTo(crc);
        assertThat(batch.isChecksumValid()).isTrue();
        assertThat(batch.lastOffset()).isEqualTo(1236L);
    }
}
