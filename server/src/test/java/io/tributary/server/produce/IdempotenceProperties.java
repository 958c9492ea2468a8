package io.tributary.server.produce;

import io.tributary.log.LogConfig;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicPartition;
import io.tributary.protocol.record.Record;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * However new batches and retries of any of the last five batches interleave, and wherever the table is
 * rebuilt from the log in between, every record is stored exactly once, in sequence order, and every retry
 * is answered with the offsets its original got.
 */
class IdempotenceProperties {
    /** A step: a new batch of {@code size} records (size > 0), a retry of the k-th last batch (-k), or a reload (0). */
    @Provide
    Arbitrary<List<Integer>> steps() {
        return Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.integers().between(1, 4)),
            Tuple.of(4, Arbitraries.integers().between(-5, -1)),
            Tuple.of(1, Arbitraries.just(0))
        ).list().ofMaxSize(40);
    }

    @Property(tries = 60)
    void everyRecordOnceAndRetriesKeepTheirOffsets(@ForAll("steps") List<Integer> steps) throws IOException {
        Path dir = Files.createTempDirectory("idempotence");
        TestClock clock = new TestClock(1_700_000_000_000L);
        PartitionLog log = PartitionLog.open(dir, new TopicPartition("p", 0), LogConfig.defaults().withOverrides(
            Map.of("segment.bytes", "700")), 0, true, clock, Runnable::run);
        try {
            ProducerStateTable table = ProducerStateTable.load(log, clock, 60_000);
            List<long[]> sent = new ArrayList<>(); // {first sequence, count, first offset}
            int nextSeq = 0;
            for (int step : steps) {
                if (step > 0) {
                    ProducerStateTable.Outcome outcome = table.append(log.validate(RawClient.batch(11, (short) 0, nextSeq, step)), true);
                    assertThat(outcome.appended()).isNotNull();
                    if (outcome.snapshot() != null) {
                        outcome.snapshot().write();
                    }
                    sent.add(new long[] {nextSeq, step, outcome.appended().result().firstOffset()});
                    nextSeq += step;
                } else if (step < 0 && sent.size() >= -step) {
                    long[] original = sent.get(sent.size() + step);
                    ProducerStateTable.Outcome outcome = table.append(
                        log.validate(RawClient.batch(11, (short) 0, (int) original[0], (int) original[1])), true);
                    assertThat(outcome.appended()).as("retry of sequence %d", original[0]).isNull();
                    assertThat(outcome.duplicate().firstOffset()).isEqualTo(original[2]);
                } else if (step == 0) {
                    table = ProducerStateTable.load(log, clock, 60_000);
                }
            }
            List<Record> stored = StoredRecords.records(log);
            assertThat(stored).hasSize(nextSeq);
            for (int i = 0; i < stored.size(); i++) {
                assertThat(StandardCharsets.UTF_8.decode(stored.get(i).value()).toString()).isEqualTo("v" + i);
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
