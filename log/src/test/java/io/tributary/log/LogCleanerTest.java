package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import io.tributary.log.KeyedRecords.Entry;
import io.tributary.log.KeyedRecords.KeyValue;
import io.tributary.log.checkpoint.OffsetCheckpointFile;
import io.tributary.log.cleaner.CleaningAbortedException;
import io.tributary.log.cleaner.LogCleaner;
import io.tributary.log.cleaner.LogCleanerConfig;
import io.tributary.protocol.record.compression.Compression;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.tributary.log.KeyedRecords.batch;
import static io.tributary.log.KeyedRecords.entries;
import static io.tributary.log.KeyedRecords.kv;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cleaner as the broker runs it: started by the log manager, in the background, stopped and aborted cleanly. */
class LogCleanerTest {
    @TempDir
    Path root;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private LogManager openManager() {
        LogManagerConfig config = LogManagerConfig.of(List.of(root), LogConfig.defaults())
            .withCleaner(new LogCleanerConfig(true, 1, 1 << 20, 64 * 1024, 20));
        LogManager manager = LogManager.open(config, clock);
        toClose.add(manager);
        return manager;
    }

    private static List<Entry> writeUpdates(PartitionLog log, int keys, int rounds, ManualClock clock) {
        List<Entry> written = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            List<KeyValue> records = new ArrayList<>();
            for (int k = 0; k < keys; k++) {
                records.add(kv("key-" + k, "value-" + round));
            }
            AppendResult result = log.append(batch(Compression.none(), clock.millis(), records), 0);
            for (int k = 0; k < keys; k++) {
                written.add(new Entry(result.firstOffset() + k, clock.millis(), "key-" + k, "value-" + round));
            }
        }
        return written;
    }

    /** Batches of distinct keys but one, updated in the same batch: cleaning shrinks each segment a little, so none merge. */
    private static void writeMostlyDistinct(PartitionLog log, int batches, ManualClock clock) {
        for (int b = 0; b < batches; b++) {
            log.append(batch(Compression.none(), clock.millis(), List.of(kv("b" + b + "-x", "1"), kv("b" + b + "-y", "1"),
                kv("b" + b + "-z", "1"), kv("b" + b + "-x", "2"))), 0);
        }
    }

    @Test
    void theLogManagerStartsTheCleanerForTheFirstCompactedTopicWhichThenCleansInTheBackgroundAndCheckpoints() throws Exception {
        LogManager manager = openManager();
        manager.createTopic("plain", 1, Map.of());
        assertThat(manager.cleaner().isRunning()).isFalse();

        manager.createTopic("state", 1, Map.of("cleanup.policy", "compact", "segment.bytes", "1000", "min.cleanable.dirty.ratio", "0.1"));
        assertThat(manager.cleaner().isRunning()).isTrue();
        PartitionLog log = manager.log(new TopicPartition("state", 0));
        List<Entry> written = writeUpdates(log, 6, 30, clock);
        log.roll();
        long target = log.activeSegment().baseOffset();
        manager.cleaner().wakeup();

        assertThat(manager.cleaner().awaitCleaned(log, target, 30_000)).as("cleaned in the background").isTrue();
        assertThat(entries(log)).containsExactlyInAnyOrderElementsOf(KeyedRecords.latestPerKey(written).values());
        assertThat(manager.cleaner().uncleanablePartitions()).isEmpty();

        manager.close();
        Map<TopicPartition, Long> checkpoint = new OffsetCheckpointFile(root.resolve(LogManager.CLEANER_CHECKPOINT)).read();
        assertThat(checkpoint).containsExactly(Map.entry(new TopicPartition("state", 0), target));

        LogManager reopened = openManager();
        PartitionLog again = reopened.log(new TopicPartition("state", 0));
        assertThat(again.firstDirtyOffset()).isEqualTo(target);
        assertThat(reopened.cleaner().isRunning()).isTrue();
    }

    @Test
    void turningCompactionOnForAnExistingTopicStartsTheCleaner() {
        LogManager manager = openManager();
        manager.createTopic("t", 1, Map.of());
        manager.setTopicConfig("t", Map.of("cleanup.policy", "compact,delete"));
        assertThat(manager.cleaner().isRunning()).isTrue();
    }

    @Test
    void aDisabledCleanerNeverStarts() {
        LogManager manager = LogManager.open(LogManagerConfig.of(List.of(root), LogConfig.defaults())
            .withCleaner(new LogCleanerConfig(false, 1, 1 << 20, 64 * 1024, 20)), clock);
        toClose.add(manager);
        manager.createTopic("t", 1, Map.of("cleanup.policy", "compact"));
        assertThat(manager.cleaner().isRunning()).isFalse();
    }

    @Test
    void closingTheLogDuringAPassAbortsItAndLeavesNoCleanedFiles() throws Exception {
        Path dir = root.resolve("t-0");
        LogConfig cfg = LogTestSupport.config(Map.of("cleanup.policy", "compact", "segment.bytes", "600"));
        PartitionLog log = LogTestSupport.open(dir, cfg, clock);
        LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        toClose.add(cleaner);
        writeMostlyDistinct(log, 40, clock);
        log.roll();
        List<Entry> before = entries(log);
        long firstDirty = log.firstDirtyOffset();
        // At the end of the first swap, another thread closes the log: it asks the pass to stop and waits for it.
        Thread closer = new Thread(log::close, "closer");
        log.onSwapStep(step -> {
            if (step.equals("swap complete") && closer.getState() == Thread.State.NEW) {
                closer.start();
                awaitParked(closer);
            }
        });

        assertThatThrownBy(() -> cleaner.cleanNow(log)).isInstanceOf(CleaningAbortedException.class);
        closer.join(30_000);
        assertThat(closer.isAlive()).as("close finished once the pass stopped").isFalse();
        assertThat(log.firstDirtyOffset()).isEqualTo(firstDirty);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".cleaned") || n.contains(".swap"));
        }

        PartitionLog reopened = LogTestSupport.open(dir, cfg, clock);
        toClose.add(reopened);
        List<Entry> partly = entries(reopened);
        assertThat(before).containsAll(partly);
        assertThat(partly.size()).isLessThan(before.size()); // the first swap stayed
        assertThat(KeyedRecords.latestPerKey(partly)).isEqualTo(KeyedRecords.latestPerKey(before));
        assertThat(partly.size()).isGreaterThan(KeyedRecords.latestPerKey(before).size()); // the rest stayed as it was
    }

    @Test
    void closingTheCleanerDuringAPassAbortsItAndTruncationLowersTheCheckpoint() throws IOException {
        Path dir = root.resolve("t-0");
        PartitionLog log = LogTestSupport.open(dir, LogTestSupport.config(Map.of("cleanup.policy", "compact", "segment.bytes", "600")), clock);
        toClose.add(log);
        LogCleaner stopping = KeyedRecords.cleaner(clock, 1 << 20);
        writeMostlyDistinct(log, 40, clock);
        log.roll();
        log.onSwapStep(step -> {
            if (step.equals("swap complete")) {
                stopping.close();
            }
        });
        assertThatThrownBy(() -> stopping.cleanNow(log)).isInstanceOf(CleaningAbortedException.class)
            .hasMessageContaining("orders-0");
        log.onSwapStep(step -> { });
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".cleaned") || n.contains(".swap"));
        }

        LogCleaner cleaner = KeyedRecords.cleaner(clock, 1 << 20);
        toClose.add(cleaner);
        cleaner.cleanNow(log);
        long cleanedUpTo = log.firstDirtyOffset();
        assertThat(cleanedUpTo).isEqualTo(log.logEndOffset()).isEqualTo(160);
        writeUpdates(log, 5, 3, clock);
        log.truncateTo(167); // within the dirty part: the checkpoint stands
        assertThat(log.logEndOffset()).isEqualTo(165);
        assertThat(log.firstDirtyOffset()).isEqualTo(160);
        log.truncateTo(158); // into the cleaned part: the batch [156, 159] goes, the checkpoint follows the end
        assertThat(log.logEndOffset()).isEqualTo(156);
        assertThat(log.firstDirtyOffset()).isEqualTo(156);

        List<Entry> written = writeUpdates(log, 5, 2, clock);
        log.roll();
        cleaner.cleanNow(log);
        List<Entry> after = entries(log);
        assertThat(after).hasSize(39 * 3 + 5).containsAll(written.subList(5, 10));
    }

    /** Waits, up to 10 s, until {@code thread} parks: the closer has asked the pass to stop and waits for its lock. */
    private static void awaitParked(Thread thread) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                throw new AssertionError("the closer did not wait for the cleaning pass; it is " + thread.getState());
            }
            Thread.onSpinWait();
        }
    }
}
