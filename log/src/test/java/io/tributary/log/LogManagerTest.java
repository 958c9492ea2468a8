package io.tributary.log;

import io.tributary.protocol.TopicPartition;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogManagerTest {
    @TempDir
    Path root;
    final ManualClock clock = new ManualClock(1_700_000_000_000L);
    final List<LogManager> opened = new ArrayList<>();

    @AfterEach
    void close() {
        opened.forEach(LogManager::close);
    }

    LogManager open(List<Path> dirs) {
        LogManager manager = LogManager.open(LogManagerConfig.of(dirs, LogConfig.defaults()), clock);
        opened.add(manager);
        return manager;
    }

    @Test
    void topicsPartitionsConfigsAndDataSurviveACleanRestart() {
        Path a = root.resolve("a");
        Path b = root.resolve("b");
        LogManager manager = open(List.of(a, b));
        TopicMetadata orders = manager.createTopic("orders", 4, Map.of("retention.ms", "60000", "segment.bytes", "1048576"));
        manager.createTopic("audit.v1", 1, Map.of());
        manager.log(new TopicPartition("orders", 2)).append(TestBatches.batch(3, clock.millis(), 10), 0);
        manager.close();

        assertThat(Files.exists(a.resolve(LogManager.CLEAN_SHUTDOWN_MARKER))).isTrue();
        // partitions are spread over both directories
        long inA = List.of(0, 1, 2, 3).stream().filter(p -> Files.isDirectory(a.resolve("orders-" + p))).count();
        long inB = List.of(0, 1, 2, 3).stream().filter(p -> Files.isDirectory(b.resolve("orders-" + p))).count();
        assertThat(inA + inB).isEqualTo(4);
        assertThat(inA).isPositive();
        assertThat(inB).isPositive();

        LogManager reopened = open(List.of(a, b));
        assertThat(reopened.topics()).containsOnlyKeys("orders", "audit.v1");
        TopicMetadata again = reopened.topic("orders");
        assertThat(again.topicId()).isEqualTo(orders.topicId());
        assertThat(again.partitionCount()).isEqualTo(4);
        assertThat(again.configOverrides()).containsEntry("retention.ms", "60000").containsEntry("segment.bytes", "1048576");
        assertThat(reopened.topicConfig("orders").retentionMs).isEqualTo(60000);
        assertThat(reopened.log(new TopicPartition("orders", 2)).logEndOffset()).isEqualTo(3);
        assertThat(reopened.log(new TopicPartition("orders", 2)).config().retentionMs).isEqualTo(60000);
        // the marker is gone (durably) once logs are open: a crash from now on is unclean
        assertThat(Files.exists(a.resolve(LogManager.CLEAN_SHUTDOWN_MARKER))).isFalse();
    }

    @Test
    void anUncleanStopIsRecoveredFromTheCheckpointedRecoveryPoint() throws Exception {
        Path dir = root.resolve("data");
        LogManager manager = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), clock);
        manager.createTopic("events", 1, Map.of());
        PartitionLog log = manager.log(new TopicPartition("events", 0));
        log.append(TestBatches.batch(5, clock.millis(), 10), 0);
        log.flush();
        manager.checkpointRecoveryPoints();
        log.append(TestBatches.batch(5, clock.millis(), 10), 0);
        // Crash: no close. Tear the last batch in half.
        Path segment = log.activeSegment().logFile();
        long size = Files.size(segment);
        try (var channel = java.nio.channels.FileChannel.open(segment, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(size - 20);
        }
        assertThat(Files.readString(dir.resolve(LogManager.RECOVERY_POINT_CHECKPOINT))).contains("events 0 5");

        LogManager recovered = open(List.of(dir));
        assertThat(recovered.log(new TopicPartition("events", 0)).logEndOffset()).isEqualTo(5);
        assertThat(recovered.log(new TopicPartition("events", 0)).append(TestBatches.batch(1, clock.millis(), 10), 0).firstOffset()).isEqualTo(5);
    }

    @Test
    void createPartitionsAddsEmptyPartitionsAndKeepsTheOldOnes() {
        LogManager manager = open(List.of(root));
        manager.createTopic("t", 2, Map.of());
        manager.log(new TopicPartition("t", 0)).append(TestBatches.batch(2, clock.millis(), 10), 0);
        TopicMetadata grown = manager.createPartitions("t", 5);
        assertThat(grown.partitionCount()).isEqualTo(5);
        assertThat(manager.log(new TopicPartition("t", 4)).logEndOffset()).isZero();
        assertThat(manager.log(new TopicPartition("t", 0)).logEndOffset()).isEqualTo(2);

        assertThatThrownBy(() -> manager.createPartitions("t", 5))
            .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.reason()).isEqualTo(TopicException.Reason.INVALID_PARTITIONS))
            .hasMessageContaining("has 5 partitions").hasMessageContaining("new count 5");
        assertThatThrownBy(() -> manager.createPartitions("nope", 5))
            .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.reason()).isEqualTo(TopicException.Reason.UNKNOWN_TOPIC_OR_PARTITION));
    }

    @Test
    void badTopicRequestsAreRefusedWithTheirReason() {
        LogManager manager = open(List.of(root));
        manager.createTopic("t", 1, Map.of());
        assertThatThrownBy(() -> manager.createTopic("t", 1, Map.of()))
            .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.reason()).isEqualTo(TopicException.Reason.TOPIC_ALREADY_EXISTS));
        assertThatThrownBy(() -> manager.createTopic("bad/name", 1, Map.of()))
            .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.reason()).isEqualTo(TopicException.Reason.INVALID_TOPIC))
            .hasMessageContaining("bad/name");
        assertThatThrownBy(() -> manager.createTopic("..", 1, Map.of())).isInstanceOf(TopicException.class);
        assertThatThrownBy(() -> manager.createTopic("x".repeat(250), 1, Map.of())).hasMessageContaining("250 characters");
        assertThatThrownBy(() -> manager.createTopic("u", 0, Map.of()))
            .isInstanceOfSatisfying(TopicException.class, e -> assertThat(e.reason()).isEqualTo(TopicException.Reason.INVALID_PARTITIONS));
        assertThatThrownBy(() -> manager.createTopic("u", 1, Map.of("segment.bytes", "10")))
            .isInstanceOf(InvalidConfigException.class)
            .hasMessage("Invalid value 10 for configuration segment.bytes: a whole number in [64, 2147483647]");
        assertThatThrownBy(() -> manager.createTopic("u", 1, Map.of("no.such.key", "1")))
            .isInstanceOf(InvalidConfigException.class).hasMessageContaining("no.such.key");
        assertThatThrownBy(() -> manager.createTopic("u", 1, Map.of("message.timestamp.type", "Wallclock")))
            .hasMessage("Invalid value Wallclock for configuration message.timestamp.type: one of CreateTime, LogAppendTime");
        assertThat(manager.topics()).containsOnlyKeys("t");
        assertThat(Files.exists(root.resolve("u-0"))).isFalse();
    }

    @Test
    void topicConfigChangesApplyLiveAndPersist() {
        LogManager manager = open(List.of(root));
        manager.createTopic("t", 1, Map.of("retention.ms", "1000"));
        manager.setTopicConfig("t", Map.of("message.timestamp.type", "logappendtime"));
        PartitionLog log = manager.log(new TopicPartition("t", 0));
        assertThat(log.config().retentionMs).isEqualTo(LogConfig.defaults().retentionMs); // replaced, not merged
        AppendResult result = log.append(TestBatches.batch(1, 5, 10), 0);
        assertThat(result.logAppendTimeMs()).isEqualTo(clock.millis());

        assertThatThrownBy(() -> manager.setTopicConfig("t", Map.of("retention.ms", "-2")))
            .hasMessageContaining("retention.ms").hasMessageContaining("-2");
        assertThat(manager.topic("t").configOverrides()).containsOnly(Map.entry("message.timestamp.type", "LogAppendTime"));
    }

    @Test
    void deletedTopicsAreGoneAfterRestartAndTheNameCanBeReused() {
        LogManager manager = open(List.of(root));
        manager.createTopic("t", 2, Map.of());
        manager.log(new TopicPartition("t", 1)).append(TestBatches.batch(4, clock.millis(), 10), 0);
        manager.deleteTopic("t");
        assertThat(manager.log(new TopicPartition("t", 1))).isNull();
        assertThat(Files.exists(root.resolve("t-1"))).isFalse();
        manager.close();

        LogManager reopened = open(List.of(root));
        assertThat(reopened.topics()).isEmpty();
        reopened.createTopic("t", 2, Map.of());
        assertThat(reopened.log(new TopicPartition("t", 1)).logEndOffset()).isZero();
    }

    @Test
    void retentionRunsOverEveryLog() {
        LogManager manager = open(List.of(root));
        manager.createTopic("t", 2, Map.of("retention.ms", "1000", "segment.bytes", "1000"));
        for (int p = 0; p < 2; p++) {
            PartitionLog log = manager.log(new TopicPartition("t", p));
            for (int i = 0; i < 10; i++) {
                ByteBuffer batch = TestBatches.batch(1, clock.millis(), 200);
                log.append(batch, 0);
            }
        }
        clock.advance(5000);
        assertThat(manager.enforceRetention()).isPositive();
        assertThat(manager.log(new TopicPartition("t", 0)).logStartOffset()).isEqualTo(10);
        assertThat(manager.log(new TopicPartition("t", 1)).logStartOffset()).isEqualTo(10);
    }

    @Test
    void closeDoesNotWaitOutAPendingDelayedDeletion() {
        LogManager manager = open(List.of(root));
        manager.createTopic("t", 1, Map.of("retention.ms", "1000", "segment.bytes", "1000", "file.delete.delay.ms", "600000"));
        PartitionLog log = manager.log(new TopicPartition("t", 0));
        for (int i = 0; i < 10; i++) {
            log.append(TestBatches.batch(1, clock.millis(), 200), 0);
        }
        clock.advance(5000);
        assertThat(manager.enforceRetention()).isPositive();
        Path partitionDir = log.dir();

        long started = System.nanoTime();
        manager.close();
        // Waiting out the ten-minute delay would block far past this bound; dropping the task takes milliseconds.
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        assertThat(deletedFiles(partitionDir)).as("the dropped deletion's files stay until the next start").isNotEmpty();

        LogManager reopened = open(List.of(root));
        assertThat(deletedFiles(partitionDir)).isEmpty();
        assertThat(reopened.log(new TopicPartition("t", 0)).logStartOffset()).isEqualTo(10);
    }

    private static List<Path> deletedFiles(Path dir) {
        try (var files = java.nio.file.Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(io.tributary.log.segment.LogSegment.DELETED_SUFFIX)).toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
