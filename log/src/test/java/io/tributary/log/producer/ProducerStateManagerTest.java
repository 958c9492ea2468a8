package io.tributary.log.producer;

import io.tributary.log.LeaderAppend;
import io.tributary.log.LogConfig;
import io.tributary.log.LogContext;
import io.tributary.log.LogListeners;
import io.tributary.log.ManualClock;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
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

/**
 * The producer rules of one partition, its snapshots and expiry, and its rebuild after a truncation, through a
 * real log (the log checks, writes and records a batch in one step).
 */
class ProducerStateManagerTest {
    static final TopicPartition TP = new TopicPartition("t", 0);
    static final long EXPIRATION_MS = 60_000;
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    PartitionLog log;
    Map<String, String> overrides = Map.of();

    PartitionLog open(Map<String, String> overrides) {
        this.overrides = overrides;
        log = PartitionLog.open(dir, TP, LogConfig.defaults().withOverrides(overrides), 0, true,
            new LogContext(clock, Runnable::run, LogListeners.withProducerSnapshots(Runnable::run), EXPIRATION_MS));
        return log;
    }

    /** A clean stop and start of the log. */
    PartitionLog reopen() {
        log.close();
        return open(overrides);
    }

    @AfterEach
    void close() {
        if (log != null) {
            log.close();
        }
    }

    LeaderAppend append(long pid, int epoch, int seq, int count) {
        return log.appendAsLeader(log.validate(ProducerBatches.batch(pid, (short) epoch, seq, count)), 0);
    }

    /** The producer state rebuilt from the directory and the log's batch headers, as at a start. */
    ProducerStateManager reload() {
        return ProducerStateManager.load(TP, dir, log.logStartOffset(), log.logEndOffset(), log::forEachBatchHeader, clock,
            EXPIRATION_MS);
    }

    static ProducerRefusal.Kind refusal(LeaderAppend outcome) {
        if (outcome.refusal() == null) {
            throw new AssertionError("the append was accepted: " + outcome);
        }
        return outcome.refusal().kind();
    }

    @Test
    void sequencesWrapToZeroAfterIntegerMaxValue() {
        // A producer that has written for long: its last batch ended at the top of the sequence space.
        ProducerSnapshotFile.write(dir, 0, List.of(ProducerEntry.restore(2, (short) 0, clock.millis(),
            List.of(new BatchMetadata(Integer.MAX_VALUE - 2, Integer.MAX_VALUE, -3, -1, -1)))));
        open(Map.of());
        assertThat(refusal(append(2, 0, 1, 1))).isEqualTo(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE);
        assertThat(append(2, 0, 0, 2).appended().result().firstOffset()).isZero();
        // a batch crossing the top wraps its last sequence the same way, and is recognised when retried
        ByteBuffer crossing = ProducerBatches.batch(3, (short) 0, Integer.MAX_VALUE - 1, 3);
        assertThat(RecordBatch.at(crossing, 0).lastSequence()).isZero();
    }

    @Test
    void retriesOfTheLastFiveBatchesAreDuplicatesOlderOnesAreNot() {
        open(Map.of());
        for (int b = 0; b < 7; b++) {
            assertThat(append(9, 0, b * 2, 2).appended().result().firstOffset()).isEqualTo(b * 2L);
        }
        for (int b = 2; b < 7; b++) {
            LeaderAppend retry = append(9, 0, b * 2, 2);
            assertThat(retry.appended()).isNull();
            assertThat(retry.duplicate().firstOffset()).isEqualTo(b * 2L);
            assertThat(retry.duplicate().lastOffset()).isEqualTo(b * 2L + 1);
        }
        assertThat(refusal(append(9, 0, 2, 2))).as("the sixth batch back is forgotten")
            .isEqualTo(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE);
        assertThat(refusal(append(9, 0, 12, 1))).as("same first sequence, other range")
            .isEqualTo(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE);
        assertThat(log.logEndOffset()).isEqualTo(14);
    }

    @Test
    void unknownProducersMustStartAtZero() {
        open(Map.of());
        LeaderAppend outcome = append(3, 0, 7, 1);
        // The broker answers this UNKNOWN_PRODUCER_ID from Produce v5, OUT_OF_ORDER_SEQUENCE_NUMBER before
        // (ProduceHandler; IdempotentProduceWireTest checks both on the wire).
        assertThat(refusal(outcome)).isEqualTo(ProducerRefusal.Kind.UNKNOWN_PRODUCER);
        assertThat(outcome.refusal().message()).contains("producer.id.expiration.ms=60000").contains("not 7");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void idleProducersExpire() {
        open(Map.of());
        append(4, 0, 0, 2);
        clock.advance(EXPIRATION_MS - 1);
        assertThat(append(4, 0, 2, 1).appended()).as("still known just before expiry").isNotNull();
        clock.advance(EXPIRATION_MS);
        assertThat(log.producerEntry(4)).isNull();
        assertThat(refusal(append(4, 0, 3, 1))).isEqualTo(ProducerRefusal.Kind.UNKNOWN_PRODUCER);
        append(5, 0, 0, 1); // sweeps
        assertThat(log.producerCount()).isEqualTo(1);
    }

    @Test
    void aRollTakesASnapshotAndTheNextLoadStartsFromIt() {
        open(Map.of("segment.bytes", "400"));
        for (int b = 0; b < 10 && ProducerSnapshotFile.list(dir).isEmpty(); b++) {
            append(6, 0, b * 3, 3);
        }
        assertThat(ProducerSnapshotFile.list(dir)).as("a roll within ten batches of ~110 bytes").isNotEmpty();
        // Taken by the roll, as of the new segment's base offset: the batch that rolled is the first after it.
        long snapshotAt = log.activeSegment().baseOffset();
        assertThat(ProducerSnapshotFile.list(dir)).containsOnlyKeys(snapshotAt);
        assertThat(snapshotAt).isEqualTo(log.logEndOffset() - 3);

        ProducerStateManager reloaded = reload();
        assertThat(reloaded.entry(6).batches()).isEqualTo(log.producerEntry(6).batches());
        assertThat(reloaded.entry(6).batches().get(4).firstOffset()).as("replayed after the snapshot").isEqualTo(snapshotAt);
    }

    @Test
    void aCorruptSnapshotIsIgnoredAndTheLogReplayed() throws Exception {
        open(Map.of());
        append(8, 2, 0, 2);
        append(8, 2, 2, 2);
        ProducerEntry before = log.producerEntry(8);
        log.close(); // snapshots at the log end
        Path file = ProducerSnapshotFile.path(dir, 4);
        byte[] bytes = Files.readAllBytes(file);
        bytes[8] ^= 1;
        Files.write(file, bytes);

        open(Map.of());
        assertThat(log.producerEntry(8).epoch()).isEqualTo((short) 2);
        assertThat(log.producerEntry(8).batches()).isEqualTo(before.batches());
        assertThat(Files.exists(file)).as("a damaged snapshot is deleted").isFalse();
    }

    @Test
    void snapshotsPastTheLogEndAreDeleted() {
        open(Map.of());
        append(8, 0, 0, 2);
        ProducerSnapshotFile.write(dir, 50, List.of(log.producerEntry(8)));
        ProducerStateManager reloaded = reload();
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
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProducerSnapshotFile.decode(damaged)).as("flip in byte %d", i)
                .isInstanceOf(IllegalArgumentException.class);
        }
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = java.util.Arrays.copyOf(bytes, length);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProducerSnapshotFile.decode(cut)).as("cut to %d bytes", length)
                .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * Producer 5 writes eight batches of two records (offsets 0-15, sequences 0-15), producer 7 two batches after
     * them; segments of about four batches roll, so snapshots exist on both sides of the truncation points. The log
     * is truncated to 12 (the newest snapshot below survives), then into producer 5's window at 6.
     */
    @Test
    void truncationIntoAProducersWindowRebuildsItsStateForTheNewEnd() {
        open(Map.of("segment.bytes", "400"));
        for (int b = 0; b < 8; b++) {
            assertThat(append(5, 0, b * 2, 2).appended().result().firstOffset()).isEqualTo(b * 2L);
        }
        assertThat(append(7, 0, 0, 2).appended().result().firstOffset()).isEqualTo(16);
        assertThat(append(7, 0, 2, 2).appended().result().firstOffset()).isEqualTo(18);
        assertThat(ProducerSnapshotFile.list(dir).lastKey()).as("a snapshot above the truncation points").isGreaterThan(12L);
        long snapshotBelow12 = ProducerSnapshotFile.list(dir).floorKey(12L) == null ? -1 : ProducerSnapshotFile.list(dir).floorKey(12L);

        log.truncateTo(12);
        assertThat(log.logEndOffset()).isEqualTo(12);
        assertThat(ProducerSnapshotFile.list(dir).keySet()).as("snapshots above the new end are gone").allMatch(offset -> offset <= 12);
        assertThat(log.producerEntry(7)).as("producer 7 wrote only above the new end").isNull();
        assertThat(log.producerEntry(5).lastSeq()).isEqualTo(11);
        assertThat(log.producerEntry(5).batches()).extracting(BatchMetadata::firstOffset).containsExactly(2L, 4L, 6L, 8L, 10L);
        if (snapshotBelow12 > 0) {
            assertThat(ProducerSnapshotFile.list(dir)).containsKey(snapshotBelow12);
        }

        log.truncateTo(6);
        assertThat(log.logEndOffset()).isEqualTo(6);
        assertThat(ProducerSnapshotFile.list(dir).keySet()).allMatch(offset -> offset <= 6);
        // Retries of batches still in the log are duplicates with their offsets ...
        assertThat(append(5, 0, 4, 2).duplicate().firstOffset()).isEqualTo(4);
        assertThat(append(5, 0, 0, 2).duplicate().firstOffset()).isZero();
        // ... those of removed batches are not: a gap after the new end is refused, the next sequence is written.
        assertThat(refusal(append(5, 0, 14, 2))).as("the old last batch").isEqualTo(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE);
        assertThat(refusal(append(5, 0, 8, 2))).as("a batch above the end").isEqualTo(ProducerRefusal.Kind.OUT_OF_ORDER_SEQUENCE);
        LeaderAppend resent = append(5, 0, 6, 2);
        assertThat(resent.duplicate()).as("the first removed batch, resent").isNull();
        assertThat(resent.appended().result().firstOffset()).isEqualTo(6);
        assertThat(refusal(append(7, 0, 2, 2))).as("producer 7 is unknown again").isEqualTo(ProducerRefusal.Kind.UNKNOWN_PRODUCER);
        assertThat(append(5, 0, 8, 2).appended().result().firstOffset()).isEqualTo(8);

        // A restart sees the same state: from the snapshot the clean stop wrote, and without any snapshot.
        reopen();
        assertThat(append(5, 0, 8, 2).duplicate().firstOffset()).isEqualTo(8);
        assertThat(append(5, 0, 6, 2).duplicate().firstOffset()).isEqualTo(6);
        log.close();
        for (long offset : ProducerSnapshotFile.list(dir).keySet()) {
            ProducerSnapshotFile.path(dir, offset).toFile().delete();
        }
        open(overrides);
        assertThat(log.producerEntry(5).batches()).as("replayed from the log").extracting(BatchMetadata::firstOffset)
            .containsExactly(0L, 2L, 4L, 6L, 8L);
        assertThat(append(5, 0, 10, 1).duplicate()).as("sequence 10 was never written after the truncation").isNull();
        assertThat(log.logEndOffset()).isEqualTo(11);
        assertThat(ProducerBatches.records(log)).extracting(ProducerBatches::value)
            .containsExactly("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10");

        // Truncating to the log start empties the log: every snapshot describes batches that are gone.
        reopen();
        assertThat(ProducerSnapshotFile.list(dir)).isNotEmpty();
        log.truncateTo(0);
        assertThat(ProducerSnapshotFile.list(dir)).isEmpty();
        assertThat(log.producerEntry(5)).isNull();
        assertThat(refusal(append(5, 0, 11, 1))).isEqualTo(ProducerRefusal.Kind.UNKNOWN_PRODUCER);
    }
}
