package io.tributary.log.producer;

import io.tributary.log.LeaderAppend;
import io.tributary.log.LogConfig;
import io.tributary.log.LogContext;
import io.tributary.log.LogListeners;
import io.tributary.log.ManualClock;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.Record;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However new batches and retries of any of the last five batches interleave, and wherever the log is
 * restarted in between (its producer state then rebuilt from the snapshot its clean stop wrote, or, every
 * other time, with that snapshot removed, from the roll snapshots and the batch headers), every record is
 * stored exactly once, in sequence order, and every retry is answered with the offsets its original got.
 */
class IdempotenceProperties {
    /** A step: a new batch of {@code size} records (size > 0), a retry of the k-th last batch (-k), or a restart (0). */
    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(1, 4)),
            Tuple.of(4, Arbitraries.integers().between(-5, -1)),
            Tuple.of(1, Arbitraries.just(0))
        ).list().ofMaxSize(40);
    }

    private static PartitionLog open(Path dir, ManualClock clock) {
        LogContext context = new LogContext(clock, Runnable::run, LogListeners.withProducerSnapshots(Runnable::run), 60_000);
        return PartitionLog.open(dir, new TopicPartition("p", 0), LogConfig.defaults().withOverrides(
            java.util.Map.of("segment.bytes", "700")), 0, true, context);
    }

    @Property(tries = 60)
    void everyRecordOnceAndRetriesKeepTheirOffsets(@ForAll("steps") List<Integer> steps) throws IOException {
        Path dir = Files.createTempDirectory("idempotence");
        ManualClock clock = new ManualClock(1_700_000_000_000L);
        PartitionLog log = open(dir, clock);
        try {
            List<long[]> sent = new ArrayList<>(); // {first sequence, count, first offset}
            int nextSeq = 0;
            int restarts = 0;
            for (int step : steps) {
                if (step > 0) {
                    LeaderAppend outcome = log.appendAsLeader(log.validate(ProducerBatches.batch(11, (short) 0, nextSeq, step)), 0);
                    assertThat(outcome.appended()).isNotNull();
                    sent.add(new long[] {nextSeq, step, outcome.appended().result().firstOffset()});
                    nextSeq += step;
                } else if (step < 0 && sent.size() >= -step) {
                    long[] original = sent.get(sent.size() + step);
                    LeaderAppend outcome = log.appendAsLeader(
                        log.validate(ProducerBatches.batch(11, (short) 0, (int) original[0], (int) original[1])), 0);
                    assertThat(outcome.appended()).as("retry of sequence %d", original[0]).isNull();
                    assertThat(outcome.duplicate().firstOffset()).isEqualTo(original[2]);
                } else if (step == 0) {
                    long end = log.logEndOffset();
                    log.close();
                    if (restarts++ % 2 == 1) {
                        Files.deleteIfExists(ProducerSnapshotFile.path(dir, end));
                    }
                    log = open(dir, clock);
                }
            }
            List<Record> stored = ProducerBatches.records(log);
            assertThat(stored).hasSize(nextSeq);
            for (int i = 0; i < stored.size(); i++) {
                assertThat(ProducerBatches.value(stored.get(i))).isEqualTo("v" + i);
            }
        } finally {
            log.close();
            deleteRecursively(dir);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
