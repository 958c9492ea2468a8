package io.tributary.server.group;

import io.tributary.groups.classic.GroupState;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.RoundRobinAssignor;
import org.apache.kafka.clients.consumer.StickyAssignor;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Kafka's client-side assignors (range, round-robin, sticky, cooperative-sticky, from kafka-clients) run by
 * simulated consumers against the coordinator, which only passes their bytes along. Every round checks that
 * no partition is owned by two consumers at once; cooperative rebalancing takes the two rounds the clients
 * ask for, eager ones one.
 */
class ClientAssignorsTest {
    private static final int PARTITIONS = 16;
    private final CoordinatorFixture f = CoordinatorFixture.started(Map.of());
    private final Cluster cluster = cluster("t", PARTITIONS);

    @AfterEach
    void close() {
        f.close();
    }

    static Cluster cluster(String topic, int partitions) {
        Node node = new Node(1, "broker-1", 9092);
        List<PartitionInfo> infos = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
        }
        return new Cluster("cluster", List.of(node), infos, Set.of(), Set.of());
    }

    static Supplier<ConsumerPartitionAssignor> assignor(String name) {
        return switch (name) {
            case "range" -> RangeAssignor::new;
            case "roundrobin" -> RoundRobinAssignor::new;
            case "sticky" -> StickyAssignor::new;
            case "cooperative-sticky" -> CooperativeStickyAssignor::new;
            default -> throw new IllegalArgumentException(name);
        };
    }

    private SimulatedConsumer consumer(Supplier<ConsumerPartitionAssignor> assignor) {
        return new SimulatedConsumer(f::send, "g", List.of("t"), assignor.get(), cluster, 10_000);
    }

    /** Steps every consumer until nothing changes and the group is Stable; returns the group's generation. */
    private int converge(List<SimulatedConsumer> consumers) {
        for (int round = 0; round < 1000; round++) {
            boolean changed = false;
            for (SimulatedConsumer c : consumers) {
                changed |= c.step();
            }
            assertNoPartitionOwnedTwice(consumers);
            f.time.advance(100);
            boolean settled = consumers.stream().allMatch(c -> c.phase == SimulatedConsumer.Phase.STABLE
                || c.phase == SimulatedConsumer.Phase.LEFT);
            var group = f.coordinator.snapshot("g").join();
            if (!changed && settled && group.state() == GroupState.STABLE) {
                return group.generationId();
            }
        }
        return fail("The group did not settle within 1000 rounds");
    }

    private static void assertNoPartitionOwnedTwice(List<SimulatedConsumer> consumers) {
        Set<TopicPartition> seen = new HashSet<>();
        for (SimulatedConsumer c : consumers) {
            for (TopicPartition tp : c.owned) {
                if (!seen.add(tp)) {
                    fail("Partition " + tp + " is owned by two consumers at once");
                }
            }
        }
    }

    private static void assertCompleteAndBalanced(List<SimulatedConsumer> active) {
        Set<TopicPartition> all = new HashSet<>();
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (SimulatedConsumer c : active) {
            all.addAll(c.owned);
            min = Math.min(min, c.owned.size());
            max = Math.max(max, c.owned.size());
        }
        assertThat(all).hasSize(PARTITIONS);
        assertThat(max - min).isLessThanOrEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"range", "roundrobin", "sticky", "cooperative-sticky"})
    void consumersConvergeThroughJoinsAndLeaves(String name) {
        Supplier<ConsumerPartitionAssignor> assignor = assignor(name);
        boolean cooperative = name.startsWith("cooperative");
        List<SimulatedConsumer> consumers = new ArrayList<>(List.of(consumer(assignor), consumer(assignor), consumer(assignor)));
        int first = converge(consumers);
        assertCompleteAndBalanced(consumers);

        SimulatedConsumer newcomer = consumer(assignor);
        consumers.add(newcomer);
        int second = converge(consumers);
        assertCompleteAndBalanced(consumers);
        // cooperative: the first rebalance only revokes, the revoking members' rejoin moves the partitions
        assertThat(second - first).isEqualTo(cooperative ? 2 : 1);
        assertThat(newcomer.rebalancesJoined).isEqualTo(cooperative ? 2 : 1);

        SimulatedConsumer leaving = consumers.get(0);
        leaving.leave();
        converge(consumers);
        List<SimulatedConsumer> active = consumers.subList(1, consumers.size());
        assertCompleteAndBalanced(active);
        assertThat(f.coordinator.snapshot("g").join().protocolName()).isEqualTo(name);
    }
}
