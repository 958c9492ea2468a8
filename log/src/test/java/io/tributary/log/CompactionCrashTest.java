package io.tributary.log;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.KeyedRecords.KeyValue;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.tributary.log.KeyedRecords.batch;
import static io.tributary.log.KeyedRecords.entries;
import static io.tributary.log.KeyedRecords.kv;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash safety of the swap: the disk image is copied after every file operation of every swap of a cleaning
 * pass (and once more with the {@code .cleaned} log file torn, as a crash while writing it leaves it), and each
 * image is reopened as after a crash. Whatever the step, the log must come back consistent: no {@code .cleaned}
 * or {@code .swap} file left, offsets strictly increasing, every record one that was written at that offset,
 * every record the finished pass kept still there, so the latest record of every key unchanged — and
 * cleaning it again gives exactly what the uninterrupted pass gave.
 */
class CompactionCrashTest {
    private record Image(String step, Path dir, long recoveryPoint) {
    }

    private final ManualClock clock = new ManualClock(1_700_000_000_000L);
    private final List<Path> tempDirs = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        tempDirs.forEach(TempDirs::delete);
    }

    private Path tempDir() {
        Path dir = TempDirs.create();
        tempDirs.add(dir);
        return dir;
    }

    @Test
    void aCrashAtAnyStepOfASwapReopensToAConsistentLogWithNoLossAndNoDuplicates() {
        LogConfig cfg = LogTestSupport.config(Map.of("cleanup.policy", "compact", "segment.bytes", "600", "index.interval.bytes", "100"));
        Path dir = tempDir();
        PartitionLog log = LogTestSupport.open(dir, cfg, clock);
        LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        List<Image> images = new ArrayList<>();
        List<Entry> before;
        List<Entry> after;
        long end;
        try {
            // A first pass leaves small cleaned segments, so that the pass under test merges several per swap and
            // some merged groups end in a segment whose records are all superseded.
            append(log, 20, 3, null);
            log.roll();
            cleaner.cleanNow(log);
            append(log, 10, 2, List.of("key-4", "key-13"));
            log.roll();
            before = entries(log);
            end = log.logEndOffset();

            log.onSwapStep(step -> images.add(new Image(step, snapshot(dir), log.recoveryPoint())));
            cleaner.cleanNow(log);
            log.onSwapStep(step -> { });
            after = entries(log);
        } finally {
            log.close();
            cleaner.close();
        }
        assertThat(after.size()).isLessThan(before.size());
        assertThat(images).extracting(Image::step).contains("cleaned segment written", "swap committed", "segment map swapped", "swap complete")
            .anyMatch(step -> step.startsWith("renamed to") && step.endsWith(".log.swap"))
            .anyMatch(step -> step.startsWith("deleted"));
        long swaps = images.stream().filter(i -> i.step().equals("swap committed")).count();
        assertThat(swaps).isGreaterThan(1);

        List<Image> all = new ArrayList<>(images);
        all.add(tornCleanedFile(images.get(0)));
        Map<String, Integer> outcomes = new HashMap<>();
        for (int i = 0; i < all.size(); i++) {
            // Alternately a full recovery scan and one from the recovery point (older segments trusted).
            long recoveryPoint = i % 2 == 0 ? 0 : all.get(i).recoveryPoint();
            outcomes.merge(checkReopened(all.get(i), recoveryPoint, cfg, before, after, end), 1, Integer::sum);
        }
        // The first image precedes any swap; the last follows all of them.
        assertThat(checkReopened(images.get(0), 0, cfg, before, after, end)).isEqualTo("as before the pass");
        assertThat(checkReopened(images.get(images.size() - 1), 0, cfg, before, after, end)).isEqualTo("as after the pass");
        assertThat(outcomes).containsKey("partly cleaned");
    }

    /** Reopens a copy of {@code image} after a crash and checks it; returns which of three states it found. */
    private String checkReopened(Image image, long recoveryPoint, LogConfig cfg, List<Entry> before, List<Entry> after, long end) {
        Path copy = snapshot(image.dir());
        PartitionLog reopened = LogTestSupport.reopenUnclean(copy, cfg, clock, recoveryPoint);
        LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        String context = "image after '" + image.step() + "', recovery point " + recoveryPoint;
        try {
            try (Stream<Path> files = Files.list(copy)) {
                assertThat(files.map(p -> p.getFileName().toString())).as(context)
                    .noneMatch(name -> name.endsWith(".cleaned") || name.endsWith(".swap"));
            }
            List<Entry> recovered = entries(reopened);
            for (int i = 1; i < recovered.size(); i++) {
                assertThat(recovered.get(i).offset()).as(context).isGreaterThan(recovered.get(i - 1).offset());
            }
            assertThat(before).as(context + ": every record is one written at its offset").containsAll(recovered);
            assertThat(recovered).as(context + ": nothing the pass kept is lost").containsAll(after);
            assertThat(KeyedRecords.latestPerKey(recovered)).as(context).isEqualTo(KeyedRecords.latestPerKey(before));
            assertThat(reopened.logEndOffset()).as(context).isEqualTo(end);

            cleaner.cleanNow(reopened);
            assertThat(entries(reopened)).as(context + ": cleaning again").isEqualTo(after);
            assertThat(reopened.append(batch(Compression.none(), clock.millis(), List.of(kv("key-0", "next"))), 0).firstOffset())
                .as(context).isEqualTo(end);
            return recovered.equals(before) ? "as before the pass" : recovered.equals(after) ? "as after the pass" : "partly cleaned";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            reopened.close();
            cleaner.close();
        }
    }

    /** The first image with its {@code .cleaned} log file cut in half: a crash while the cleaner was writing. */
    private Image tornCleanedFile(Image complete) {
        Path copy = snapshot(complete.dir());
        try (Stream<Path> files = Files.list(copy)) {
            Path cleaned = files.filter(p -> p.getFileName().toString().endsWith(".log.cleaned")).findFirst().orElseThrow();
            try (FileChannel channel = FileChannel.open(cleaned, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() / 2);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Image("torn .cleaned file", copy, complete.recoveryPoint());
    }

    private Path snapshot(Path dir) {
        Path copy = TempDirs.snapshot(dir);
        tempDirs.add(copy);
        return copy;
    }

    /** {@code rounds} values for keys 0..keys-1, then tombstones for {@code deleted}, four records per batch. */
    private void append(PartitionLog log, int keys, int rounds, List<String> deleted) {
        List<KeyValue> pending = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < keys; k++) {
                pending.add(kv("key-" + k, "v" + round + "-" + clock.millis()));
                if (pending.size() == 4) {
                    log.append(batch(Compression.none(), clock.millis(), pending), 0);
                    pending.clear();
                    clock.advance(1);
                }
            }
        }
        if (deleted != null) {
            deleted.forEach(key -> pending.add(kv(key, null)));
        }
        if (!pending.isEmpty()) {
            log.append(batch(Compression.none(), clock.millis(), pending), 0);
        }
    }
}
