package io.tributary.server.group;

import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.ManualScheduler;
import io.tributary.groups.TestTopics;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.message.ApiSchemas;
import io.tributary.protocol.message.schema.MessageSchema;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.wire.WireWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * A coordinator over a real log manager in a temporary directory, driven by a {@link ManualScheduler} and a
 * direct executor, so every call runs to completion on the test thread. Requests go through the broker's
 * {@link GroupCoordinatorAdapter}: they are encoded at the given version and decoded again before the
 * adapter sees them, and responses likewise before the test does, exactly as they would cross the wire
 * (fields a version lacks take their defaults; a response the version cannot carry fails the test).
 */
public final class CoordinatorFixture implements AutoCloseable {
    public static final long START_MS = 1_700_000_000_000L;
    public final ManualScheduler time = new ManualScheduler(START_MS);
    public final TestTopics topics = TestTopics.standard();
    public final Path dir;
    public final GroupCoordinatorConfig config;
    public LogManager logs;
    public GroupCoordinator coordinator;
    private final boolean ownsDir;

    private CoordinatorFixture(Path dir, boolean ownsDir, GroupCoordinatorConfig config) {
        this.dir = dir;
        this.ownsDir = ownsDir;
        this.config = config;
        this.logs = openLogs(dir);
        this.coordinator = new GroupCoordinator(config, logs, topics, time, Runnable::run);
    }

    /** Four offsets partitions and no initial rebalance delay unless overridden; the coordinator is started. */
    public static CoordinatorFixture started(Map<String, String> overrides) {
        CoordinatorFixture f = create(overrides);
        f.coordinator.start().join();
        return f;
    }

    public static CoordinatorFixture create(Map<String, String> overrides) {
        Map<String, String> props = new HashMap<>();
        props.put(GroupCoordinatorConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "4");
        props.put(GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "0");
        props.putAll(overrides);
        try {
            return new CoordinatorFixture(Files.createTempDirectory("tributary-groups-test"), true,
                GroupCoordinatorConfig.fromProperties(props));
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

    /**
     * A crash: the files as they are now (nothing closed, nothing flushed, no clean-shutdown marker) are
     * copied to a new directory, and a new log manager and coordinator start there. The old ones are closed
     * afterwards only to release them; the copy never sees that.
     */
    public CoordinatorFixture crashCopy() {
        Path copy;
        try {
            copy = Files.createTempDirectory("tributary-groups-crash");
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted().toList()) {
                    Path target = copy.resolve(dir.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CoordinatorFixture recovered = new CoordinatorFixture(copy, true, config);
        recovered.time.advance(time.nowMs() - recovered.time.nowMs());
        recovered.coordinator.start().join();
        return recovered;
    }

    /** Sends a request at {@code version}; the future holds the response as the client would decode it. */
    public CompletableFuture<Struct> send(ApiKey api, int version, Struct request) {
        short v = (short) version;
        Struct decoded = roundTrip(ApiSchemas.request(api), request, v);
        GroupCoordinatorAdapter adapter = new GroupCoordinatorAdapter(coordinator); // the coordinator a test may have replaced
        CompletableFuture<Struct> response = switch (api) {
            case FIND_COORDINATOR -> adapter.findCoordinator(decoded, v, new GroupCoordinatorAdapter.Node(1, "broker-1", 9092));
            case JOIN_GROUP -> adapter.joinGroup(decoded, v, "client", "/127.0.0.1");
            case SYNC_GROUP -> adapter.syncGroup(decoded, v);
            case HEARTBEAT -> adapter.heartbeat(decoded, v);
            case LEAVE_GROUP -> adapter.leaveGroup(decoded, v);
            case OFFSET_COMMIT -> adapter.offsetCommit(decoded, v);
            case OFFSET_FETCH -> adapter.offsetFetch(decoded, v);
            case DESCRIBE_GROUPS -> adapter.describeGroups(decoded, v);
            case LIST_GROUPS -> adapter.listGroups(decoded, v);
            case DELETE_GROUPS -> adapter.deleteGroups(decoded, v);
            case OFFSET_DELETE -> adapter.offsetDelete(decoded, v);
            default -> throw new IllegalArgumentException("Not a group API: " + api);
        };
        return response.thenApply(body -> roundTrip(ApiSchemas.response(api), body, v));
    }

    /** Sends a request that must be answered at once. */
    public Struct call(ApiKey api, int version, Struct request) {
        CompletableFuture<Struct> response = send(api, version, request);
        if (!response.isDone()) {
            throw new AssertionError(api + " v" + version + " was not answered at once: " + request);
        }
        return response.join();
    }

    static Struct roundTrip(MessageSchema schema, Struct body, short version) {
        int size = schema.sizeOf(body, version);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        schema.write(body, version, new WireWriter(buffer));
        buffer.flip();
        return schema.read(buffer, version);
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

    static void deleteRecursively(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
