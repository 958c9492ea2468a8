package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the logs of a manager tell its listeners: every change in order, whoever made it, and only once the write
 * lock is released (a listener can take it from another thread while it runs).
 */
class LogEventsTest {
    @TempDir
    Path dir;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    LogManager logs;

    @AfterEach
    void close() {
        if (logs != null) {
            logs.close();
        }
    }

    /** Records each event as text, and checks that another thread can take the log's write lock meanwhile. */
    final class Recorder implements LogListener {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> lockedOut = new CopyOnWriteArrayList<>();

        private void record(PartitionLog log, String event) {
            events.add(event);
            try {
                // producerEpoch takes the write lock: it would wait forever if the event came under it
                CompletableFuture.runAsync(() -> log.producerEpoch(1)).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                lockedOut.add(event + ": " + e);
            }
        }

        @Override
        public void appended(PartitionLog log, long logEndOffset) {
            record(log, "appended " + log.topicPartition() + " to " + logEndOffset);
        }

        @Override
        public void rolled(PartitionLog log, long baseOffset) {
            record(log, "rolled " + log.topicPartition() + " at " + baseOffset);
        }

        @Override
        public void truncated(PartitionLog log, long logEndOffset) {
            record(log, "truncated " + log.topicPartition() + " to " + logEndOffset);
        }

        @Override
        public void segmentsDeleted(PartitionLog log, long logStartOffset) {
            record(log, "segments deleted " + log.topicPartition() + " from " + logStartOffset);
        }

        @Override
        public void deleted(PartitionLog log) {
            events.add("deleted " + log.topicPartition());
        }
    }

    @Test
    void everyChangeIsToldAfterTheWriteLockIsReleased() throws InterruptedException {
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), clock);
        Recorder recorder = new Recorder();
        logs.addListener(recorder);
        logs.createTopic("e", 1, Map.of("retention.ms", "1000"));
        PartitionLog log = logs.log(new TopicPartition("e", 0));

        log.append(TestBatches.batch(3, clock.millis(), 10), 0);
        log.append(TestBatches.batch(2, clock.millis(), 10), 0);
        log.roll();
        // The snapshotter heard the roll and writes its producer snapshot on the maintenance thread.
        Path snapshot = log.dir().resolve("00000000000000000005.snapshot");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(snapshot) && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a condition polled until a deadline
        }
        assertThat(snapshot).as("the roll's producer snapshot").exists();
        log.append(TestBatches.batch(4, clock.millis(), 10), 0);
        log.truncateTo(7);
        clock.advance(2_000);
        assertThat(log.deleteRetainedSegments()).isEqualTo(1);
        logs.deleteTopic("e");

        assertThat(recorder.events).containsExactly(
            "appended e-0 to 3",
            "appended e-0 to 5",
            "rolled e-0 at 5",
            "appended e-0 to 9",
            "truncated e-0 to 5",
            "segments deleted e-0 from 5",
            "deleted e-0");
        assertThat(recorder.lockedOut).isEmpty();
    }

    @Test
    void aRemovedListenerHearsNothingAndAFailingOneDoesNotStopTheAppend() {
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), clock);
        Recorder removed = new Recorder();
        Recorder kept = new Recorder();
        logs.addListener(new LogListener() {
            @Override
            public void appended(PartitionLog log, long logEndOffset) {
                throw new IllegalStateException("listener bug");
            }
        });
        logs.addListener(removed);
        logs.addListener(kept);
        logs.removeListener(removed);
        logs.createTopic("f", 1, Map.of());
        PartitionLog log = logs.log(new TopicPartition("f", 0));

        assertThat(log.append(TestBatches.batch(2, clock.millis(), 10), 0).lastOffset()).isEqualTo(1);
        assertThat(removed.events).isEmpty();
        assertThat(kept.events).containsExactly("appended f-0 to 2");
    }
}
