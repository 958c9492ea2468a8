package io.tributary.server.cluster;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.requests.MetadataResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller (the Ratis leader) frozen with SIGSTOP for longer than the broker session: a new controller takes
 * over, and the other brokers keep their sessions and their partition leaderships. Before brokers resent a pending
 * heartbeat to the new controller, every heartbeat waited on the frozen node until the Ratis client's request timeout
 * (the write timeout and more, beyond the session), so the new controller, hearing from nobody, fenced every broker
 * (itself included) and moved every partition's leadership.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ControllerPauseTest {
    private static final String TOPIC = "steady";
    private static final int SESSION_MS = 3_000;

    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path root;

    @Test
    void aFrozenControllerIsReplacedWithoutFencingTheOtherBrokers() throws Exception {
        try (ChildCluster cluster = new ChildCluster(root, 3, Map.of("broker.session.timeout.ms",
            Integer.toString(SESSION_MS), "broker.heartbeat.interval.ms", "500", "auto.leader.rebalance.enable", "false"))) {
            Admin admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster));
            try {
            cluster.startAll();
            assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 3)
                && ClusterProbe.brokersEverywhere(cluster, 3))).isTrue();
            // each broker leads one partition
            admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(0, 1, 2), 1, List.of(1, 2, 0),
                2, List.of(2, 0, 1))))).all().get(60, TimeUnit.SECONDS);
            ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 3, 3, 60_000, "every ISR full");

            int controller = ClusterProbe.awaitActiveController(cluster, 30_000); // the Ratis leader (controllers endpoint)
            int[] others = java.util.stream.IntStream.range(0, 3).filter(id -> id != controller).toArray();
            Map<Integer, Integer> epochsBefore = leaderEpochsLedBy(cluster, others[0], others);
            assertThat(epochsBefore).hasSize(2);

            System.out.printf("CONTROLLER-PAUSE freezing controller %d%n", controller);
            cluster.pause(controller);
            // closed with a bound: an Admin waits without one for calls still pending (to the frozen node)
            Admin survivors = Admin.create(adminProps(cluster, others));
            try {
                assertThat(ChildCluster.await(60_000, () -> {
                    try {
                        int now = ClusterProbe.activeControllerExcept(cluster, controller);
                        return now != controller && now >= 0;
                    } catch (Exception e) {
                        return false;
                    }
                })).as("a new controller takes over from frozen node %d", controller).isTrue();
                System.out.println("CONTROLLER-PAUSE a new controller took over");
                // Three sessions long: the survivors keep heartbeating to the new controller, so neither is fenced
                // and the partitions they lead keep their leader and leader epoch (only the frozen node's moves).
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3L * SESSION_MS);
                int checks = 0;
                while (System.nanoTime() - until < 0 && checks < 1_000) {
                    Map<Integer, Integer> epochs = leaderEpochsLedBy(cluster, others[0], others);
                    if (!epochs.isEmpty()) { // empty: the broker could not answer this moment
                        // the frozen node's partition may have moved to a live broker meanwhile: not compared
                        epochs.keySet().retainAll(epochsBefore.keySet());
                        assertThat(epochs).as("partitions led by the live brokers %s, check %d", java.util.Arrays
                            .toString(others), checks).isEqualTo(epochsBefore);
                    }
                    checks++;
                    ChildCluster.await(200, () -> false); // pace the checks
                }
                System.out.printf("CONTROLLER-PAUSE %d checks: leaderships of the live brokers unchanged%n", checks);
                // DescribeCluster lists unfenced brokers only
                assertThat(survivors.describeCluster().nodes().get(30, TimeUnit.SECONDS))
                    .extracting(org.apache.kafka.common.Node::id).as("both live brokers unfenced")
                    .contains(others[0], others[1]).doesNotContain(controller);
            } finally {
                survivors.close(java.time.Duration.ofSeconds(5));
                cluster.resume(controller);
            }
            ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 3, 3, 60_000, "the resumed node catches up");
            } finally {
                admin.close(java.time.Duration.ofSeconds(5));
            }
        }
    }

    /**
     * The controller's liveness probe with a session of a minute, so only the probe can fence within this test: a
     * frozen broker (SIGSTOP; its listening socket stays open and the kernel accepts for it) is probed and found
     * listening, and stays unfenced; a killed one (SIGKILL; the kernel closed its listener) is refused and fenced,
     * and its partition's leadership moves to a member of the ISR, as on session expiry.
     */
    @Test
    void theLivenessProbeFencesAKilledBrokerLongBeforeItsSessionEndsButNotAFrozenOne() throws Exception {
        int longSessionMs = 60_000;
        try (ChildCluster cluster = new ChildCluster(root, 3, Map.of("broker.session.timeout.ms",
            Integer.toString(longSessionMs), "broker.heartbeat.interval.ms", "500", "auto.leader.rebalance.enable",
            "false"))) {
            Admin admin = Admin.create(AckedWritesSurviveLeaderCrashTest.adminProps(cluster));
            try {
                cluster.startAll();
                assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 3)
                    && ClusterProbe.brokersEverywhere(cluster, 3))).isTrue();
                int controller = admin.describeCluster().controller().get(30, TimeUnit.SECONDS).id();
                int frozen = (controller + 1) % 3;
                int killed = (controller + 2) % 3;
                admin.createTopics(List.of(new NewTopic(TOPIC, Map.of(0, List.of(killed, frozen, controller)))))
                    .all().get(60, TimeUnit.SECONDS);
                ClusterProbe.awaitIsrEverywhere(cluster, TOPIC, 1, 3, 60_000, "every ISR full");
                assertThat(ClusterProbe.partitions(cluster, controller, TOPIC).get(0).leaderId).contains(killed);

                // ---- frozen: probed (heartbeats are 500 ms apart, probes start after 1 s of silence), not fenced
                String accepted = "Liveness probe of silent broker " + frozen + " (epoch ";
                long acceptedBefore = linesInLogs(cluster, accepted, ": ACCEPTED"); // a new controller probes all once
                cluster.pause(frozen);
                try {
                    assertThat(ChildCluster.await(40_000, () -> linesInLogs(cluster, accepted, ": ACCEPTED")
                        >= acceptedBefore + 2)).as("frozen broker %d probed twice and found listening", frozen).isTrue();
                    assertThat(linesInLogs(cluster, "Fencing broker " + frozen + " ", "")).isZero();
                    assertThat(brokerIds(cluster, controller)).as("the frozen broker stays unfenced").contains(frozen);
                } finally {
                    cluster.resume(frozen);
                }

                // ---- killed: fenced on the refusals, a minute before its session would end
                cluster.kill(killed);
                assertThat(ChildCluster.await(40_000, () -> !brokerIds(cluster, controller).contains(killed)
                    && ClusterProbe.partitions(cluster, controller, TOPIC).stream()
                        .anyMatch(p -> p.leaderId.isPresent() && p.leaderId.get() != killed)))
                    .as("killed broker %d fenced and its leadership moved with a session of %d ms", killed,
                        longSessionMs).isTrue();
                assertThat(linesInLogs(cluster, "Fencing broker " + killed + " ", "refused 2 probes in a row"))
                    .as("fenced by the probe").isEqualTo(1);
                MetadataResponse.PartitionMetadata after = ClusterProbe.partitions(cluster, controller, TOPIC).get(0);
                assertThat(after.leaderId.orElseThrow()).isIn(frozen, controller);
                assertThat(after.inSyncReplicaIds).doesNotContain(killed);
                assertThat(brokerIds(cluster, controller)).as("the resumed broker was never fenced").contains(frozen);
            } finally {
                admin.close(java.time.Duration.ofSeconds(5));
            }
        }
    }

    /** The broker ids that broker {@code askId}'s Metadata answer lists (unfenced); empty when it cannot answer. */
    private static List<Integer> brokerIds(ChildCluster cluster, int askId) {
        try (io.tributary.server.RawKafkaConnection raw = io.tributary.server.RawKafkaConnection.open(
            cluster.node(askId).kafkaPort())) {
            MetadataResponse response = raw.send(new org.apache.kafka.common.requests.MetadataRequest.Builder(List.of(),
                false), (short) 12);
            return response.brokers().stream().map(org.apache.kafka.common.Node::id).toList();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** Lines of every node's logs that contain both {@code first} and then {@code second}. */
    private static long linesInLogs(ChildCluster cluster, String first, String second) {
        long count = 0;
        for (int id = 0; id < cluster.size(); id++) {
            try (var files = java.nio.file.Files.list(cluster.node(id).dir())) {
                for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    for (String line : java.nio.file.Files.readAllLines(file,
                        java.nio.charset.StandardCharsets.ISO_8859_1)) {
                        int at = line.indexOf(first);
                        if (at >= 0 && line.indexOf(second, at + first.length()) >= 0) {
                            count++;
                        }
                    }
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return count;
    }

    /** partition -> leader epoch of the partitions of {@link #TOPIC} that one of {@code leaders} leads, as broker {@code askId} says. */
    private static Map<Integer, Integer> leaderEpochsLedBy(ChildCluster cluster, int askId, int[] leaders) {
        Map<Integer, Integer> epochs = new HashMap<>();
        for (MetadataResponse.PartitionMetadata p : ClusterProbe.partitions(cluster, askId, TOPIC)) {
            int leader = p.leaderId.orElse(-1);
            if (leader == leaders[0] || leader == leaders[1]) {
                epochs.put(p.partition(), p.leaderEpoch.orElse(-1));
            }
        }
        return epochs;
    }

    private static Properties adminProps(ChildCluster cluster, int[] ids) {
        Properties props = AckedWritesSurviveLeaderCrashTest.adminProps(cluster);
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(ids));
        return props;
    }
}
