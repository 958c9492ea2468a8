package io.tributary.log;

import io.tributary.protocol.record.CorruptRecordException;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.tributary.log.LogTestSupport.config;
import static io.tributary.log.LogTestSupport.open;
import static io.tributary.log.LogTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The two-step append (validate, then append without the inline fsync) and the batch-header walk. */
class ValidatedAppendTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<PartitionLog> opened = new ArrayList<>();

    @AfterEach
    void closeLogs() {
        opened.forEach(PartitionLog::close);
    }

    PartitionLog log(Path at, Map<String, String> overrides) {
        PartitionLog log = open(at, config(overrides), clock);
        opened.add(log);
        return log;
    }

    @Test
    void appendValidatedWritesButLeavesTheDueFlushToTheCaller() {
        PartitionLog log = log(dir, Map.of("flush.messages", "1"));
        ValidatedBatches validated = log.validate(TestBatches.batch(3, 1000, 10));
        assertThat(validated.batchCount()).isEqualTo(1);
        assertThat(validated.recordCount()).isEqualTo(3);
        assertThat(log.logEndOffset()).as("validation alone changes nothing").isZero();

        UnflushedAppend appended = log.appendValidated(validated, 0);

        assertThat(appended.result().firstOffset()).isZero();
        assertThat(appended.result().lastOffset()).isEqualTo(2);
        assertThat(appended.flushDue()).isTrue();
        assertThat(log.logEndOffset()).isEqualTo(3);
        assertThat(log.recoveryPoint()).as("no inline fsync").isZero();
        log.flush();
        assertThat(log.recoveryPoint()).isEqualTo(3);
        assertThat(readAll(log)).hasSize(1);
    }

    @Test
    void flushIsDueOnlyOnceFlushMessagesRecordsAreUnflushed() {
        PartitionLog log = log(dir, Map.of("flush.messages", "5"));
        assertThat(log.appendValidated(log.validate(TestBatches.batch(2, 1000, 10)), 0).flushDue()).isFalse();
        assertThat(log.appendValidated(log.validate(TestBatches.batch(2, 1000, 10)), 0).flushDue()).isFalse();
        assertThat(log.appendValidated(log.validate(TestBatches.batch(2, 1000, 10)), 0).flushDue()).isTrue();
        log.flush();
        assertThat(log.appendValidated(log.validate(TestBatches.batch(2, 1000, 10)), 0).flushDue()).isFalse();
    }

    @Test
    void plainAppendStillFlushesInline() {
        PartitionLog log = log(dir, Map.of("flush.messages", "1"));
        log.append(TestBatches.batch(2, 1000, 10), 0);
        assertThat(log.recoveryPoint()).isEqualTo(2);
    }

    @Test
    void validationFailuresLeaveTheLogUnchanged() {
        PartitionLog log = log(dir, Map.of("max.message.bytes", "200"));
        ByteBuffer corrupt = TestBatches.batch(2, 1000, 10);
        corrupt.put(corrupt.limit() - 1, (byte) (corrupt.get(corrupt.limit() - 1) ^ 1));
        assertThatThrownBy(() -> log.validate(corrupt)).isInstanceOf(CorruptRecordException.class);
        assertThatThrownBy(() -> log.validate(TestBatches.batch(2, 1000, 500)))
            .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("max.message.bytes=200");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void batchesValidatedByAnotherLogAreRefused() {
        PartitionLog one = log(dir.resolve("a"), Map.of());
        PartitionLog other = log(dir.resolve("b"), Map.of());
        ValidatedBatches validated = one.validate(TestBatches.batch(1, 1000, 10));
        assertThatThrownBy(() -> other.appendValidated(validated, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(other.logEndOffset()).isZero();
    }

    @Test
    void headerWalkVisitsEveryBatchFromAnOffsetAcrossSegments() {
        PartitionLog log = log(dir, Map.of("segment.bytes", "600"));
        List<Long> bases = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bases.add(log.append(TestBatches.batch(3, 1000 + i, 20), 0).firstOffset());
        }
        assertThat(log.segments().size()).as("the walk must cross segments").isGreaterThan(2);

        List<Long> all = new ArrayList<>();
        assertThat(log.forEachBatchHeader(0, h -> all.add(h.baseOffset()))).isEqualTo(20);
        assertThat(all).isEqualTo(bases);

        List<Long> fromMiddle = new ArrayList<>();
        log.forEachBatchHeader(31, h -> fromMiddle.add(h.baseOffset())); // inside the batch at 30
        assertThat(fromMiddle).isEqualTo(bases.subList(10, 20));

        List<Integer> counts = new ArrayList<>();
        log.forEachBatchHeader(log.logEndOffset(), h -> counts.add(h.recordCount()));
        assertThat(counts).isEmpty();
    }

    @Test
    void batchWalkPassesWholeBatchesFromAnOffsetWithChunksSmallerThanABatch() {
        PartitionLog log = log(dir, Map.of("segment.bytes", "600"));
        List<ByteBuffer> appended = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ByteBuffer batch = TestBatches.batch(3, 1000 + i, 20 + i);
            appended.add(batch.duplicate());
            log.append(batch, 0);
        }
        assertThat(log.segments().size()).as("the walk must cross segments").isGreaterThan(2);

        List<ByteBuffer> walked = new ArrayList<>();
        long visited = log.forEachBatch(4, 70, batch -> { // inside the batch at 3; a chunk smaller than any batch
            ByteBuffer copy = ByteBuffer.allocate(batch.sizeInBytes());
            copy.put(batch.buffer().duplicate().limit(batch.start() + batch.sizeInBytes()).position(batch.start())).flip();
            walked.add(copy);
        });
        assertThat(visited).isEqualTo(11);
        for (int i = 0; i < walked.size(); i++) {
            RecordBatch stored = RecordBatch.at(walked.get(i), 0);
            stored.ensureValid(); // the records came whole: the CRC covers them
            assertThat(stored.baseOffset()).isEqualTo(3L * (i + 1));
            ByteBuffer sent = appended.get(i + 1);
            assertThat(walked.get(i).slice(RecordBatch.ATTRIBUTES_OFFSET, stored.sizeInBytes() - RecordBatch.ATTRIBUTES_OFFSET))
                .isEqualTo(sent.slice(RecordBatch.ATTRIBUTES_OFFSET, sent.remaining() - RecordBatch.ATTRIBUTES_OFFSET));
        }
    }

    @Test
    void headerWalkSeesProducerFields() {
        PartitionLog log = log(dir, Map.of());
        ByteBuffer batch = TestBatches.batch(4, 1000, 10);
        batch.putLong(RecordBatch.PRODUCER_ID_OFFSET, 77L);
        batch.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, (short) 3);
        batch.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, 12);
        batch.putInt(RecordBatch.CRC_OFFSET, (int) RecordBatch.at(batch, 0).computeChecksum());
        log.append(batch, 0);
        List<String> seen = new ArrayList<>();
        log.forEachBatchHeader(0, h -> seen.add(h.producerId() + "/" + h.producerEpoch() + "/" + h.baseSequence() + "-" + h.lastSequence()));
        assertThat(seen).containsExactly("77/3/12-15");
    }
}
