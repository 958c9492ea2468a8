package io.tributary.server.group;

import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.storage.OffsetCommitKey;
import io.tributary.groups.storage.OffsetCommitValue;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.ApiSchemas;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.schema.Struct;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.common.Cluster;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures printed, not asserted (the machine is shared; timings vary): rebalance time of a 50-member group
 * over 300 partitions, sequential commit throughput, and the load time of __consumer_offsets. Sizes scale
 * with {@code -Dgroups.measure.scale} (default 0.1 for the load, so the suite stays fast; 1 gives the full
 * 1,000,000 commits). Each figure also checks the outcome it measures, so a broken path cannot print a
 * flattering number.
 */
class CoordinatorMeasurementsTest {
    private static final double SCALE = Double.parseDouble(System.getProperty("groups.measure.scale", "0.1"));
    private static final int MEMBERS = 50;
    private static final int PARTITIONS = 300;

    private static void print(String what, String figure) {
        System.out.printf("[measure] %-72s %s%n", what, figure);
    }

    /** Steps the consumers until the group is Stable with all of them settled; bounded by rounds and wall time. */
    private static void converge(List<SimulatedConsumer> consumers, java.util.function.Supplier<GroupSnapshot> group,
                                 Runnable tick) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (int round = 0; round < 100_000 && System.nanoTime() < deadline; round++) {
            boolean changed = false;
            for (SimulatedConsumer c : consumers) {
                changed |= c.step();
            }
            tick.run();
            boolean settled = consumers.stream().allMatch(c -> c.phase == SimulatedConsumer.Phase.STABLE
                || c.phase == SimulatedConsumer.Phase.LEFT);
            if (!changed && settled && group.get().state() == GroupState.STABLE) {
                return;
            }
            if (!changed) {
                List<CompletableFuture<Struct>> inFlight = new ArrayList<>();
                consumers.forEach(c -> {
                    if (c.inFlight() != null) {
                        inFlight.add(c.inFlight());
                    }
                });
                if (!inFlight.isEmpty()) {
                    try {
                        CompletableFuture.anyOf(inFlight.toArray(new CompletableFuture<?>[0])).get(1, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.TimeoutException e) {
                        // a timer will move the group on; step again
                    }
                }
            }
        }
        throw new AssertionError("The group did not become Stable within the bounds");
    }

    private static List<SimulatedConsumer> consumers(SimulatedConsumer.Transport transport, Cluster cluster) {
        List<SimulatedConsumer> consumers = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            consumers.add(new SimulatedConsumer(transport, "big", List.of("orders"), new RangeAssignor(), cluster, 30_000));
        }
        return consumers;
    }

    @Test
    void fiftyMembersOverThreeHundredPartitionsWithAFakeClock() throws Exception {
        try (CoordinatorFixture f = CoordinatorFixture.started(Map.of())) {
            List<SimulatedConsumer> consumers = consumers(f::send, ClientAssignorsTest.cluster("orders", PARTITIONS));
            long start = System.nanoTime();
            converge(consumers, () -> f.coordinator.snapshot("big").join(), f.time::runDue);
            long joined = System.nanoTime() - start;
            assertThat(f.coordinator.snapshot("big").join().members()).hasSize(MEMBERS);
            consumers.get(7).leave();
            start = System.nanoTime();
            converge(consumers, () -> f.coordinator.snapshot("big").join(), f.time::runDue);
            long afterLeave = System.nanoTime() - start;
            assertThat(f.coordinator.snapshot("big").join().members()).hasSize(MEMBERS - 1);
            print("50 members / 300 partitions to Stable after all join (fake clock, direct)", ms(joined));
            print("49 members to Stable again after one leaves (fake clock, direct)", ms(afterLeave));
        }
    }

    @Test
    void fiftyMembersWithRealThreadsAndTimeAndCommitThroughput() throws Exception {
        Path dir = Files.createTempDirectory("tributary-groups-measure");
        try (LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC())) {
            GroupCoordinatorConfig config = GroupCoordinatorConfig.fromProperties(Map.of(
                GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "0", GroupCoordinatorConfig.OFFSETS_TOPIC_NUM_PARTITIONS, "50"));
            logs.createTopic("orders", PARTITIONS, Map.of());
            try (GroupCoordinator coordinator = GroupCoordinator.create(config, logs)) {
                coordinator.start().get(60, TimeUnit.SECONDS);
                SimulatedConsumer.Transport transport = (api, version, request) -> call(coordinator, api, version, request);
                List<SimulatedConsumer> consumers = consumers(transport, ClientAssignorsTest.cluster("orders", PARTITIONS));
                long start = System.nanoTime();
                converge(consumers, () -> coordinator.snapshot("big").join(), () -> { });
                long joined = System.nanoTime() - start;
                int generations = coordinator.snapshot("big").join().generationId();
                consumers.get(7).leave();
                start = System.nanoTime();
                converge(consumers, () -> coordinator.snapshot("big").join(), () -> { });
                long afterLeave = System.nanoTime() - start;
                print("50 members / 300 partitions to Stable after all join (real threads, delay 0)",
                    ms(joined) + " (" + generations + " generations)");
                print("49 members to Stable again after one leaves (real threads)", ms(afterLeave));

                SimulatedConsumer committer = consumers.get(0);
                int commits = 20_000;
                for (int i = 0; i < 2_000; i++) { // warm-up
                    commitOne(transport, committer, i);
                }
                start = System.nanoTime();
                for (int i = 0; i < commits; i++) {
                    commitOne(transport, committer, i);
                }
                long elapsed = System.nanoTime() - start;
                print("commits/s, one member, one partition per OffsetCommit, sequential",
                    String.format("%,.0f/s (%.1f us each)", commits / (elapsed / 1e9), elapsed / 1e3 / commits));
            }
        } finally {
            CoordinatorFixture.deleteRecursively(dir);
        }
    }

    private static void commitOne(SimulatedConsumer.Transport transport, SimulatedConsumer c, int i) {
        Struct r = transport.send(ApiKey.OFFSET_COMMIT, 9, Requests.commit("big", c.generation, c.memberId, "orders", 0, i)).join();
        short error = r.get(OffsetCommitResponse.TOPICS).get(0).get(OffsetCommitResponse.OffsetCommitResponseTopic.PARTITIONS).get(0)
            .get(OffsetCommitResponse.OffsetCommitResponsePartition.ERROR_CODE);
        if (error != ErrorCode.NONE.code()) {
            throw new AssertionError("Commit " + i + " failed with " + ErrorCode.forCode(error));
        }
    }

    private static CompletableFuture<Struct> call(GroupCoordinator coordinator, ApiKey api, int version, Struct request) {
        short v = (short) version;
        Struct decoded = CoordinatorFixture.roundTrip(ApiSchemas.request(api), request, v);
        GroupCoordinatorAdapter c = new GroupCoordinatorAdapter(coordinator);
        CompletableFuture<Struct> response = switch (api) {
            case JOIN_GROUP -> c.joinGroup(decoded, v, "client", "/127.0.0.1");
            case SYNC_GROUP -> c.syncGroup(decoded, v);
            case HEARTBEAT -> c.heartbeat(decoded, v);
            case LEAVE_GROUP -> c.leaveGroup(decoded, v);
            case OFFSET_COMMIT -> c.offsetCommit(decoded, v);
            default -> throw new IllegalArgumentException(api.toString());
        };
        return response.thenApply(body -> CoordinatorFixture.roundTrip(ApiSchemas.response(api), body, v));
    }

    @Test
    void loadTimeOfTheOffsetsTopic() throws Exception {
        int total = (int) (1_000_000 * SCALE);
        int groups = 1_000;
        int perGroup = total / groups;
        int partitionsPerGroup = 20;
        Path dir = Files.createTempDirectory("tributary-groups-load");
        try (LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC())) {
            GroupCoordinatorConfig config = GroupCoordinatorConfig.fromProperties(Map.of());
            // Compacted like the real topic, with small segments so that almost everything is cleanable.
            logs.createTopic(GroupCoordinator.OFFSETS_TOPIC, config.offsetsTopicPartitions(),
                Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(256 * 1024)));
            // 50 commits per batch, as a consumer committing 50 partitions at once writes them
            long writeStart = System.nanoTime();
            Map<Integer, OffsetsPartition> partitions = new HashMap<>();
            for (int g = 0; g < groups; g++) {
                String group = "group-" + g;
                int p = GroupCoordinator.partitionFor(group, config.offsetsTopicPartitions());
                OffsetsPartition out = partitions.computeIfAbsent(p, x -> new OffsetsPartition(
                    logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, x)), 1 << 20));
                List<CoordinatorRecord> batch = new ArrayList<>(50);
                for (int i = 0; i < perGroup; i++) {
                    batch.add(CoordinatorRecord.offsetCommit(new OffsetCommitKey(group, "orders", i % partitionsPerGroup),
                        new OffsetCommitValue(i, 0, "", 1_700_000_000_000L + i, -1, null)));
                    if (batch.size() == 50 || i == perGroup - 1) {
                        out.append(batch, 1_700_000_000_000L, 0);
                        batch = new ArrayList<>(50);
                    }
                }
            }
            long written = System.nanoTime() - writeStart;
            long bytes = 0;
            for (int p = 0; p < config.offsetsTopicPartitions(); p++) {
                bytes += logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, p)).sizeInBytes();
            }
            try (GroupCoordinator coordinator = GroupCoordinator.create(config, logs)) {
                long start = System.nanoTime();
                coordinator.start().get(300, TimeUnit.SECONDS);
                long loaded = System.nanoTime() - start;
                GroupSnapshot last = coordinator.snapshot("group-999").join();
                assertThat(last.offset("orders", (perGroup - 1) % partitionsPerGroup)).isEqualTo(perGroup - 1L);
                print(String.format("load of %,d commits over %,d groups (%,d MB, %d partitions), 1 loader thread", total, groups,
                    bytes >> 20, config.offsetsTopicPartitions()), ms(loaded) + String.format(" (%,.0f records/s; written in %s)",
                    total / (loaded / 1e9), ms(written)));
            }
            long cleanStart = System.nanoTime();
            long compactedBytes = 0;
            for (int p = 0; p < config.offsetsTopicPartitions(); p++) {
                io.tributary.log.PartitionLog log = logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, p));
                log.roll();
                logs.cleaner().cleanNow(log);
                compactedBytes += log.sizeInBytes();
            }
            long cleaned = System.nanoTime() - cleanStart;
            try (GroupCoordinator coordinator = GroupCoordinator.create(config, logs)) {
                long start = System.nanoTime();
                coordinator.start().get(300, TimeUnit.SECONDS);
                long loaded = System.nanoTime() - start;
                GroupSnapshot last = coordinator.snapshot("group-999").join();
                assertThat(last.offset("orders", (perGroup - 1) % partitionsPerGroup)).isEqualTo(perGroup - 1L);
                print(String.format("load after compaction (%,d KB left of %,d MB; cleaning took %s)", compactedBytes >> 10, bytes >> 20,
                    ms(cleaned)), ms(loaded));
            }
        } finally {
            CoordinatorFixture.deleteRecursively(dir);
        }
    }

    private static String ms(long nanos) {
        return String.format("%,.1f ms", nanos / 1e6);
    }
}
