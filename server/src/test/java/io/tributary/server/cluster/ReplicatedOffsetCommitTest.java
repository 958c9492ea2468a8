package io.tributary.server.cluster;

import io.tributary.server.RawKafkaConnection;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.OffsetCommitRequest;
import org.apache.kafka.common.requests.OffsetCommitResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An offset commit is acknowledged only once the followers of the group's {@code __consumer_offsets} partition have it
 * (3 brokers as child JVMs, the offsets topic at replication factor 3 and min.insync.replicas 2): with both followers
 * frozen (SIGSTOP) a commit is answered COORDINATOR_NOT_AVAILABLE and stays invisible; once they run again commits
 * succeed; and a commit acknowledged just before the coordinator's SIGKILL is what the next coordinator returns.
 * DescribeCluster then lists only the unfenced brokers unless asked for the fenced ones too.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ReplicatedOffsetCommitTest {
    private static final String TOPIC = "committed";
    private static final String GROUP = "replicated-commits";
    private static final TopicPartition TP = new TopicPartition(TOPIC, 0);

    @TempDir
    static Path root;
    private static ChildCluster cluster;
    private static Admin admin;

    @BeforeAll
    static void startCluster() throws Exception {
        Map<String, String> settings = new HashMap<>(ClusterCoordinatorsTest.SETTINGS);
        settings.put("min.insync.replicas", "2"); // the offsets topic's too: it sets no value of its own
        cluster = new ChildCluster(root, 3, settings);
        cluster.startAll();
        admin = ClusterCoordinatorsTest.admin(cluster);
        assertThat(ChildCluster.await(120_000, () -> ClusterProbe.unfenced(admin, 3))).as("three brokers registered and unfenced").isTrue();
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 3))).all().get(60, TimeUnit.SECONDS);
        assertThat(ChildCluster.await(60_000, () -> {
            // a group look-up creates __consumer_offsets (through the controller) if it does not exist yet
            try {
                ClusterCoordinatorsTest.findCoordinators(cluster, 0, (byte) 0, List.of("creates-the-offsets-topic"));
            } catch (RuntimeException notYet) {
                return false; // broker 0 cannot answer this moment: asked again
            }
            Map<Integer, Integer> offsets = ClusterCoordinatorsTest.leaders(admin, "__consumer_offsets");
            return offsets != null && offsets.size() == ClusterCoordinatorsTest.INTERNAL_PARTITIONS
                && offsets.values().stream().allMatch(l -> l >= 0);
        })).as("__consumer_offsets has a leader per partition").isTrue();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** The broker leading the group's partition of {@code __consumer_offsets}: its coordinator. */
    private static int coordinator() {
        int partition = (GROUP.hashCode() == Integer.MIN_VALUE ? 0 : Math.abs(GROUP.hashCode())) % ClusterCoordinatorsTest.INTERNAL_PARTITIONS;
        Map<Integer, Integer> leaders = ClusterCoordinatorsTest.leaders(admin, "__consumer_offsets");
        return leaders == null ? -1 : leaders.getOrDefault(partition, -1);
    }

    /** A standalone commit (generation -1, no member), as an assigning-itself consumer sends it. */
    private static Errors commit(RawKafkaConnection connection, long offset) {
        OffsetCommitResponse response = connection.send(OffsetCommitRequest.Builder.forTopicNames(new OffsetCommitRequestData()
            .setGroupId(GROUP).setGenerationIdOrMemberEpoch(-1).setMemberId("")
            .setTopics(List.of(new OffsetCommitRequestData.OffsetCommitRequestTopic().setName(TOPIC)
                .setPartitions(List.of(new OffsetCommitRequestData.OffsetCommitRequestPartition()
                    .setPartitionIndex(0).setCommittedOffset(offset)))))), (short) 8);
        return Errors.forCode(response.data().topics().get(0).partitions().get(0).errorCode());
    }

    /** The group's committed offset as the current coordinator answers it, or -2 while it cannot be asked. */
    private static long committed() {
        try {
            OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                .get(20, TimeUnit.SECONDS).get(TP);
            return offset == null ? -1 : offset.offset();
        } catch (Exception e) {
            return -2;
        }
    }

    @Test
    void aCommitIsAcknowledgedOnlyOnceReplicatedAndSurvivesItsCoordinator() throws Exception {
        int leader = coordinator();
        assertThat(leader).isGreaterThanOrEqualTo(0);
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.node(leader).kafkaPort())) {
            assertThat(ChildCluster.await(60_000, () -> commit(connection, 10) == Errors.NONE))
                .as("a commit with every replica running succeeds").isTrue();

            List<Integer> followers = List.of(0, 1, 2).stream().filter(id -> id != leader).toList();
            for (int follower : followers) {
                cluster.pause(follower);
            }
            try {
                // the followers cannot fetch it: the high watermark stays below it until the commit's wait times out
                assertThat(commit(connection, 20)).isEqualTo(Errors.COORDINATOR_NOT_AVAILABLE);
            } finally {
                for (int follower : followers) {
                    cluster.resume(follower);
                }
            }
            assertThat(ChildCluster.await(60_000, () -> commit(connection, 30) == Errors.NONE))
                .as("commits succeed once the followers run again").isTrue();
        }
        assertThat(ChildCluster.await(60_000, () -> committed() == 30)).as("the acknowledged commit is visible").isTrue();

        // acknowledged means replicated: the coordinator dies right after the answer, the next one has it
        int before = coordinator();
        try (RawKafkaConnection connection = RawKafkaConnection.open(cluster.node(before).kafkaPort())) {
            assertThat(ChildCluster.await(60_000, () -> commit(connection, 40) == Errors.NONE)).as("commit 40 acknowledged").isTrue();
        }
        cluster.kill(before);
        assertThat(ChildCluster.await(90_000, () -> {
            int now = coordinator();
            return now >= 0 && now != before && committed() == 40;
        })).as("the next coordinator returns the last acknowledged commit (now %d)", committed()).isTrue();

        // the killed broker is fenced once its session expires: DescribeCluster lists it only when asked for fenced ones
        assertThat(ChildCluster.await(60_000, () -> brokers(false).size() == 2)).as("two unfenced brokers listed").isTrue();
        Collection<Node> all = brokers(true);
        assertThat(all).hasSize(3);
        assertThat(all.stream().filter(Node::isFenced).map(Node::id).toList()).containsExactly(before);
    }

    private static Collection<Node> brokers(boolean includeFenced) {
        try {
            return admin.describeCluster(new DescribeClusterOptions().includeFencedBrokers(includeFenced)).nodes().get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            return List.of();
        }
    }
}
