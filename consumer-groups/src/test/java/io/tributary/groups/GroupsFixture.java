package io.tributary.groups;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A coordinator over a real log manager in a temporary directory, driven by a {@link ManualScheduler} and a
 * direct executor, so every call runs to completion on the test thread; tests call the coordinator with its
 * own request types. The broker's wire tests extend it with requests encoded as a Kafka client sends them.
 */
public class GroupsFixture implements AutoCloseable {
    public static final long START_MS = 1_700_000_000_000L;
    public final ManualScheduler time = new ManualScheduler(START_MS);
    public final TestTopics topics = TestTopics.standard();
    public final Path dir;
    public final GroupCoordinatorConfig config;
    public LogManager logs;
    public GroupCoordinator coordinator;
    private final boolean ownsDir;

    protected GroupsFixture(Path dir, boolean ownsDir, GroupCoordinatorConfig config) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.config = config;
        this.logs = openLogs(dir);
        this.coordinator = new GroupCoordinator(config, logs, topics, time, Runnable::run);
    }

    /** Four offsets partitions and no initial rebalance delay unless overridden; the coordinator is started. */
    public static GroupsFixture started(Map<String, String> overrides) {
        GroupsFixture f = new GroupsFixture(newDirectory("tributary-groups-test"), true, config(overrides));
        f.coordinator.start().join();
        return f;
    }

    /** The fixture's configuration: four offsets partitions and no initial rebalance delay unless overridden. */
    public static GroupCoordinatorConfig config(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "4");
        props.put(GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "0");
        props.putAll(overrides);
        return GroupCoordinatorConfig.fromProperties(props);
    }

    /** A Kafka consumer's subscription (ConsumerProtocol, as kafka-clients writes it) to these topics. */
    public static byte[] subscription(String... topics) {
        java.nio.ByteBuffer b = org.apache.kafka.clients.consumer.internals.ConsumerProtocol.serializeSubscription(
            new org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription(List.of(topics)));
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return bytes;
    }

    public static Path newDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private LogManager openLogs(Path logDir) {
        return LogManager.open(LogManagerConfig.of(List.of(logDir), LogConfig.defaults()), time.clock());
    }

    /** A new coordinator on the same log manager (as after a coordinator failover), started on every partition. */
    public void restartCoordinator() {
        coordinator.close();
        coordinator = new GroupCoordinator(config, logs, topics, time, Runnable::run);
        coordinator.start().join();
    }

    /** Closes coordinator and logs cleanly and opens both again. */
    public void restartCleanly() {
        coordinator.close();
        logs.close();
        logs = openLogs(dir);
        coordinator = new GroupCoordinator(config, logs, topics, time, Runnable::run);
        coordinator.start().join();
    }

    /** A fixture of the same kind over another directory (which it owns), not started; for {@link #crashCopy}. */
    protected GroupsFixture openAt(Path copy) {
        return new GroupsFixture(copy, true, config);
    }

    /**
     * A crash: the files as they are now (nothing closed, nothing flushed, no clean-shutdown marker) are
     * copied to a new directory, and a new log manager and coordinator start there. The old ones are closed
     * afterwards only to release them; the copy never sees that.
     */
    public GroupsFixture crashCopy() {
        Path copy = newDirectory("tributary-groups-crash");
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted().toList()) {
                Path target = copy.resolve(dir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        GroupsFixture recovered = openAt(copy);
        recovered.time.advance(time.nowMs() - recovered.time.nowMs());
        recovered.coordinator.start().join();
        return recovered;
    }

    @Override
    public void close() {
        try {
            coordinator.close();
        } finally {
            logs.close();
            if (ownsDir) {
                deleteRecursively(dir);
            }
        }
    }

    public static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
