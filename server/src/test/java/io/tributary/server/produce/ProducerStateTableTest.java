package io.tributary.server.produce;

import io.tributary.log.LogConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicPartition;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.record.RecordBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The producer rules of one partition, its snapshots and expiry, against a real log. */
class ProducerStateTableTest {
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final long EXPIRATION_MS = 60_000;
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(1_700_000_000_000L);
    PartitionLog log;

    PartitionLog open(Map<String, String> overrides) {
        log = PartitionLog.open(dir, TP, LogConfig.defaults().withOverrides(overrides), 0, true, clock, Runnable::run);
        return log;
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    ProducerStateTable.Outcome append(ProducerStateTable table, long pid, int epoch, int seq, int count) {
        return table.append(log.validate(RawClient.batch(pid, (short) epoch, seq, count)), true);
    }

    static ErrorCode refusal(Runnable append) {
        try {
            append.run();
        } catch (ProducerStateException e) {
            return e.error();
        }
        throw new AssertionError("the append was accepted");
    }

    @Test
    void sequencesWrapToZeroAfterIntegerMaxValue() {
        open(Map.of());
        // A producer that has written for long: its last batch ended at the top of the sequence space.
        ProducerSnapshotFile.write(dir, 0, List.of(ProducerEntry.restore(2, (short) 0, clock.millis(),
            List.of(new BatchMetadata(Integer.MAX_VALUE - 2, Integer.MAX_VALUE, -3, -1, -1)))));
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        assertThat(refusal(() -> append(table, 2, 0, 1, 1))).isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(append(table, 2, 0, 0, 2).appended().result().firstOffset()).isZero();
        // a batch crossing the top wraps its last sequence the same way, and is recognised when retried
        ByteBuffer crossing = RawClient.batch(3, (short) 0, Integer.MAX_VALUE - 1, 3);
        assertThat(RecordBatch.at(crossing, 0).lastSequence()).isZero();
    }

    @Test
    void retriesOfTheLastFiveBatchesAreDuplicatesOlderOnesAreNot() {
        open(Map.of());
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        for (int b = 0; b < 7; b++) {
            assertThat(append(table, 9, 0, b * 2, 2).appended().result().firstOffset()).isEqualTo(b * 2L);
        }
        for (int b = 2; b < 7; b++) {
            ProducerStateTable.Outcome retry = append(table, 9, 0, b * 2, 2);
            assertThat(retry.appended()).isNull();
            assertThat(retry.duplicate().firstOffset()).isEqualTo(b * 2L);
            assertThat(retry.duplicate().lastOffset()).isEqualTo(b * 2L + 1);
        }
        assertThat(refusal(() -> append(table, 9, 0, 2, 2))).as("the sixth batch back is forgotten")
            .isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(refusal(() -> append(table, 9, 0, 12, 1))).as("same first sequence, other range")
            .isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.logEndOffset()).isEqualTo(14);
    }

    @Test
    void unknownProducersMustStartAtZeroWithTheVersionsCode() {
        open(Map.of());
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        assertThatThrownBy(() -> table.append(log.validate(RawClient.batch(3, (short) 0, 7, 1)), true))
            .isInstanceOfSatisfying(ProducerStateException.class, e -> assertThat(e.error()).isEqualTo(ErrorCode.UNKNOWN_PRODUCER_ID))
            .hasMessageContaining("producer.id.expiration.ms=60000").hasMessageContaining("not 7");
        assertThat(refusal(() -> table.append(log.validate(RawClient.batch(3, (short) 0, 7, 1)), false)))
            .isEqualTo(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void idleProducersExpire() {
        open(Map.of());
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        append(table, 4, 0, 0, 2);
        clock.advance(EXPIRATION_MS - 1);
        assertThat(append(table, 4, 0, 2, 1).appended()).as("still known just before expiry").isNotNull();
        clock.advance(EXPIRATION_MS);
        assertThat(table.entry(4)).isNull();
        assertThat(refusal(() -> append(table, 4, 0, 3, 1))).isEqualTo(ErrorCode.UNKNOWN_PRODUCER_ID);
        append(table, 5, 0, 0, 1); // sweeps
        assertThat(table.producerCount()).isEqualTo(1);
    }

    @Test
    void aRollTakesASnapshotAndTheNextLoadStartsFromIt() {
        open(Map.of("segment.bytes", "400"));
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        ProducerStateTable.Snapshot snapshot = null;
        for (int b = 0; b < 10 && snapshot == null; b++) {
            snapshot = append(table, 6, 0, b * 3, 3).snapshot();
        }
        assertThat(snapshot).as("a roll within ten batches of ~110 bytes").isNotNull();
        assertThat(snapshot.offset()).isEqualTo(log.logEndOffset());
        snapshot.write();
        assertThat(ProducerSnapshotFile.list(dir)).containsOnlyKeys(snapshot.offset());
        long snapshotAt = snapshot.offset();
        append(table, 6, 0, (int) log.logEndOffset(), 3);

        ProducerStateTable reloaded = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        assertThat(reloaded.entry(6).batches()).isEqualTo(table.entry(6).batches());
        assertThat(reloaded.entry(6).batches().get(4).firstOffset()).isEqualTo(snapshotAt);
    }

    @Test
    void aCorruptSnapshotIsIgnoredAndTheLogReplayed() throws Exception {
        open(Map.of());
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        append(table, 8, 2, 0, 2);
        append(table, 8, 2, 2, 2);
        table.snapshot().write();
        Path file = ProducerSnapshotFile.path(dir, 4);
        byte[] bytes = Files.readAllBytes(file);
        bytes[8] ^= 1;
        Files.write(file, bytes);

        ProducerStateTable reloaded = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        assertThat(reloaded.entry(8).epoch()).isEqualTo((short) 2);
        assertThat(reloaded.entry(8).batches()).isEqualTo(table.entry(8).batches());
        assertThat(Files.exists(file)).as("a damaged snapshot is deleted").isFalse();
    }

    @Test
    void snapshotsPastTheLogEndAreDeleted() {
        open(Map.of());
        ProducerStateTable table = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        append(table, 8, 0, 0, 2);
        ProducerSnapshotFile.write(dir, 50, List.of(table.entry(8)));
        ProducerStateTable reloaded = ProducerStateTable.load(log, clock, EXPIRATION_MS);
        assertThat(ProducerSnapshotFile.list(dir)).isEmpty();
        assertThat(reloaded.entry(8).lastSeq()).isEqualTo(1);
    }

    @Test
    void snapshotFilesRoundTripAndRefuseDamage() {
        ProducerEntry entry = ProducerEntry.restore(77, (short) 3, 1234, List.of(
            new BatchMetadata(0, 4, 100, 104, -1), new BatchMetadata(5, 5, 105, 105, 999)));
        byte[] bytes = ProducerSnapshotFile.encode(List.of(entry));
        List<ProducerEntry> decoded = ProducerSnapshotFile.decode(bytes);
        assertThat(decoded).singleElement().satisfies(e -> {
            assertThat(e.producerId()).isEqualTo(77);
            assertThat(e.epoch()).isEqualTo((short) 3);
            assertThat(e.lastUpdateMs()).isEqualTo(1234);
            assertThat(e.batches()).isEqualTo(entry.batches());
        });
        for (int i = 0; i < bytes.length; i++) {
            byte[] damaged = bytes.clone();
            damaged[i] ^= 0x10;
            assertThatThrownBy(() -> ProducerSnapshotFile.decode(damaged)).as("flip in byte %d", i)
                .isInstanceOf(IllegalArgumentException.class);
        }
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> ProducerSnapshotFile.decode(cut)).as("cut to %d bytes", length)
                .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
