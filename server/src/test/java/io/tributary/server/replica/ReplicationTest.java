package io.tributary.server.replica;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.Await;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replication data path with brokers in this JVM and a controller double ({@link InProcessCluster}): acks=all,
 * the high watermark over the ISR, ISR shrink and expansion, min.insync.replicas, truncation of a diverged tail after a
 * leader change, and consumers bounded by the high watermark.
 */
class ReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final short ACKS_ALL = -1;
    private static final short ACKS_LEADER = 1;
    /** Short lags and waits so ISR changes happen within a test; the fetch wait stays below the lag. */
    private static final Map<String, String> FAST = Map.of(
        "replica.lag.time.max.ms", "1500",
        "replica.fetch.wait.max.ms", "200",
        "replica.fetch.backoff.ms", "100",
        "replica.socket.timeout.ms", "5000");

    @Test
    void acksAllRecordsAreByteIdenticalOnEveryReplicaAndTheHighWatermarkIsTheIsrMinimum() {
        try (InProcessCluster cluster = new InProcessCluster(3, FAST)) {
            TopicPartition tp = new TopicPartition("replicated", 0);
            cluster.createTopic("replicated", 1, List.of(1, 2, 3), Map.of("min.insync.replicas", "2"));
            awaitRoles(cluster, tp, 1, List.of(2, 3));
            PartitionLog leader = cluster.log(1, tp);
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                for (int i = 0; i < 20; i++) {
                    assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("r" + i, 1 + i % 4))).isEqualTo(ErrorCode.NONE);
                    // acknowledged only once the high watermark passed the batch: every ISR member holds it
                    long hw = cluster.broker(1).replicaManager().highWatermark(leader);
                    assertThat(hw).isEqualTo(leader.logEndOffset());
                    for (int follower : List.of(2, 3)) {
                        assertThat(cluster.log(follower, tp).logEndOffset()).isGreaterThanOrEqualTo(hw);
                    }
                }
            }
            long end = leader.logEndOffset();
            Await.until("followers hold the leader's log and its high watermark", WAIT, () -> List.of(2, 3).stream().allMatch(id ->
                cluster.log(id, tp).logEndOffset() == end && cluster.broker(id).replicaManager().highWatermark(cluster.log(id, tp)) == end));
            for (int follower : List.of(2, 3)) {
                assertThat(cluster.logBytes(follower, tp)).isEqualTo(cluster.logBytes(1, tp));
                assertThat(cluster.log(follower, tp).leaderEpochCache().entries()).isEqualTo(leader.leaderEpochCache().entries());
            }
            assertThat(cluster.broker(1).replicaManager().underReplicatedPartitions()).isZero();
            assertThat(cluster.broker(2).replicaManager().fetcherCount()).isEqualTo(1);
        }
    }

    @Test
    void aStoppedFollowerLeavesTheIsrAndAcksAllFollowsMinInsyncReplicasUntilItRejoins() {
        try (InProcessCluster cluster = new InProcessCluster(2, FAST)) {
            TopicPartition tp = new TopicPartition("shrinking", 0);
            cluster.createTopic("shrinking", 1, List.of(1, 2), Map.of("min.insync.replicas", "1"));
            awaitRoles(cluster, tp, 1, List.of(2));
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("before", 3))).isEqualTo(ErrorCode.NONE);
                cluster.controller().refuseNextIsrChanges(1); // the first proposal is refused; the leader proposes again
                cluster.stop(2);
                Await.until("the stopped follower leaves the ISR after replica.lag.time.max.ms", WAIT,
                    () -> cluster.controller().assignment(tp).isr().equals(List.of(1))
                        && cluster.broker(1).replicaManager().isr(tp).equals(List.of(1)));
                assertThat(cluster.broker(1).replicaManager().isrShrinks()).isEqualTo(1);
                assertThat(cluster.broker(1).replicaManager().underReplicatedPartitions()).isEqualTo(1);
                assertThat(cluster.broker(1).metrics().scrape())
                    .contains("tributary_replication_under_replicated_partitions 1.0")
                    .contains("tributary_replication_isr_shrinks_total 1.0");

                // min.insync.replicas=1: the leader alone acknowledges
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("alone", 2))).isEqualTo(ErrorCode.NONE);
                // min.insync.replicas=2: refused before anything is written
                cluster.broker(1).logs().setTopicConfig("shrinking", Map.of("min.insync.replicas", "2"));
                long end = cluster.log(1, tp).logEndOffset();
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("refused", 2))).isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS);
                assertThat(cluster.log(1, tp).logEndOffset()).isEqualTo(end);
                assertThat(client.produce(tp, ACKS_LEADER, 30_000, ReplicaClient.batch("acks1", 1))).isEqualTo(ErrorCode.NONE);

                cluster.start(2);
                Await.until("the restarted follower catches up and rejoins the ISR", WAIT,
                    () -> cluster.controller().assignment(tp).isr().containsAll(List.of(1, 2))
                        && cluster.broker(1).replicaManager().isr(tp).size() == 2
                        // counted in the AlterIsr callback, after the new ISR is visible
                        && cluster.broker(1).replicaManager().isrExpands() >= 1);
                assertThat(cluster.broker(1).replicaManager().isrExpands()).isEqualTo(1);
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("after", 2))).isEqualTo(ErrorCode.NONE);
            }
            long end = cluster.log(1, tp).logEndOffset();
            Await.until("the follower holds the whole log", WAIT, () -> cluster.log(2, tp).logEndOffset() == end);
            assertThat(cluster.logBytes(2, tp)).isEqualTo(cluster.logBytes(1, tp));
        }
    }

    @Test
    void anAcksAllProduceWaitingWhenTheIsrShrinksBelowMinInsyncReplicasIsRefusedAfterTheAppend() {
        try (InProcessCluster cluster = new InProcessCluster(2, FAST)) {
            TopicPartition tp = new TopicPartition("after-append", 0);
            cluster.createTopic("after-append", 1, List.of(1, 2), Map.of("min.insync.replicas", "2"));
            awaitRoles(cluster, tp, 1, List.of(2));
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("both", 2))).isEqualTo(ErrorCode.NONE);
                cluster.stop(2);
                // Still two in sync when it is appended; the ISR shrinks to the leader while it waits.
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("waits", 2)))
                    .isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
                assertThat(cluster.log(1, tp).logEndOffset()).as("written, but not acknowledged").isEqualTo(4);
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("refused", 1))).isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS);
            }
        }
    }

    @Test
    void aNewLeaderAtTheNextEpochMakesTheOldOneTruncateItsDivergentTail() {
        try (InProcessCluster cluster = new InProcessCluster(2, FAST)) {
            TopicPartition tp = new TopicPartition("failover", 0);
            cluster.createTopic("failover", 1, List.of(1, 2), Map.of());
            awaitRoles(cluster, tp, 1, List.of(2));
            long acknowledged;
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                for (int i = 0; i < 5; i++) {
                    assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("acked" + i, 2))).isEqualTo(ErrorCode.NONE);
                }
                acknowledged = cluster.log(1, tp).logEndOffset();
                cluster.stop(2);
                // Written on the old leader alone and never acknowledged to acks=all: the divergent tail.
                for (int i = 0; i < 3; i++) {
                    assertThat(client.produce(tp, ACKS_LEADER, 30_000, ReplicaClient.batch("lost" + i, 3))).isEqualTo(ErrorCode.NONE);
                }
            }
            long oldLeaderEnd = cluster.log(1, tp).logEndOffset();
            assertThat(oldLeaderEnd).isEqualTo(acknowledged + 9);
            cluster.stop(1);

            cluster.start(2);
            cluster.controller().elect(tp, 2, List.of(2));
            Await.until("broker 2 leads at epoch 1", WAIT, () -> cluster.broker(2).replicaManager().leaderCheck(tp, 1) == ErrorCode.NONE);
            assertThat(cluster.log(2, tp).leaderEpochCache().latestEpoch()).isEqualTo(1);
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(2).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("new", 2))).isEqualTo(ErrorCode.NONE);
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("new2", 1))).isEqualTo(ErrorCode.NONE);
            }
            long newEnd = cluster.log(2, tp).logEndOffset();
            assertThat(newEnd).isEqualTo(acknowledged + 3).isLessThan(oldLeaderEnd);

            cluster.start(1);
            Await.until("the old leader truncates by leader epoch and follows", WAIT,
                () -> cluster.log(1, tp).logEndOffset() == newEnd
                    && java.util.Arrays.equals(cluster.logBytes(1, tp), cluster.logBytes(2, tp)));
            assertThat(cluster.log(1, tp).leaderEpochCache().entries()).isEqualTo(cluster.log(2, tp).leaderEpochCache().entries());
            Await.until("the old leader rejoins the ISR", WAIT, () -> cluster.controller().assignment(tp).isr().containsAll(List.of(1, 2)));
            // A client at the old epoch is fenced; one at the new epoch is told broker 1 does not lead.
            assertThat(cluster.broker(2).replicaManager().leaderCheck(tp, 0)).isEqualTo(ErrorCode.FENCED_LEADER_EPOCH);
            assertThat(cluster.broker(1).replicaManager().leaderCheck(tp, 1)).isEqualTo(ErrorCode.NOT_LEADER_OR_FOLLOWER);
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("to-follower", 1)))
                    .isEqualTo(ErrorCode.NOT_LEADER_OR_FOLLOWER);
            }
        }
    }

    @Test
    void consumersReadOnlyUpToTheHighWatermarkAndAcksAllTimesOutWhileAnIsrMemberLags() {
        Map<String, String> slowShrink = new java.util.HashMap<>(FAST);
        slowShrink.put("replica.lag.time.max.ms", "60000"); // the stopped follower stays in the ISR throughout
        try (InProcessCluster cluster = new InProcessCluster(2, slowShrink)) {
            TopicPartition tp = new TopicPartition("bounded", 0);
            cluster.createTopic("bounded", 1, List.of(1, 2), Map.of());
            awaitRoles(cluster, tp, 1, List.of(2));
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("first", 2))).isEqualTo(ErrorCode.NONE);
                Await.until("the follower learns the high watermark", WAIT,
                    () -> cluster.broker(2).replicaManager().highWatermark(cluster.log(2, tp)) == 2);
                cluster.stop(2);
                for (int i = 0; i < 3; i++) {
                    assertThat(client.produce(tp, ACKS_LEADER, 30_000, ReplicaClient.batch("unreplicated" + i, 1))).isEqualTo(ErrorCode.NONE);
                }
                assertThat(cluster.log(1, tp).logEndOffset()).isEqualTo(5);

                ReplicaClient.Fetched fetched = client.fetch(tp, 0);
                assertThat(fetched.error()).isEqualTo(ErrorCode.NONE);
                assertThat(fetched.highWatermark()).isEqualTo(2);
                assertThat(fetched.lastStableOffset()).isEqualTo(2);
                assertThat(fetched.batchLastOffsets()).containsExactly(1L);
                assertThat(client.fetch(tp, 2).batchLastOffsets()).isEmpty();
                assertThat(client.latestOffset(tp)).isEqualTo(2);

                assertThat(client.produce(tp, ACKS_ALL, 300, ReplicaClient.batch("waits", 1))).isEqualTo(ErrorCode.REQUEST_TIMED_OUT);
                assertThat(cluster.broker(1).producePurgatory().waitingCount()).isZero();

                cluster.start(2);
                Await.until("the high watermark reaches the log end once the follower is back", WAIT,
                    () -> client.fetch(tp, 0).highWatermark() == 6);
                assertThat(client.latestOffset(tp)).isEqualTo(6);
            }
        }
    }

    @Test
    void aFollowerWhoseEndFellBelowTheLeadersLogStartRestartsThere() {
        try (InProcessCluster cluster = new InProcessCluster(2, FAST)) {
            TopicPartition tp = new TopicPartition("retained", 0);
            // file.delete.delay.ms=0: a pending delayed deletion would hold up each broker's close (LogManager waits for it)
            cluster.createTopic("retained", 1, List.of(1, 2), Map.of("file.delete.delay.ms", "0"));
            awaitRoles(cluster, tp, 1, List.of(2));
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("kept", 2))).isEqualTo(ErrorCode.NONE);
                cluster.stop(2);
                for (int i = 0; i < 4; i++) {
                    assertThat(client.produce(tp, ACKS_LEADER, 30_000, ReplicaClient.batch("gone" + i, 2))).isEqualTo(ErrorCode.NONE);
                }
                // Retention on the leader removes everything the stopped follower has not fetched.
                cluster.broker(1).logs().setTopicConfig("retained", Map.of("retention.bytes", "1", "file.delete.delay.ms", "0"));
                PartitionLog leader = cluster.log(1, tp);
                leader.updateConfig(cluster.broker(1).logs().topicConfig("retained"));
                assertThat(leader.deleteRetainedSegments()).isPositive();
                assertThat(leader.logStartOffset()).isEqualTo(10);
                cluster.start(2);
                Await.until("the follower restarts its log at the leader's start", WAIT,
                    () -> cluster.log(2, tp).logStartOffset() == 10 && cluster.log(2, tp).logEndOffset() == 10);
                Await.until("and rejoins the ISR", WAIT, () -> cluster.broker(1).replicaManager().isr(tp).size() == 2);
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("after", 3))).isEqualTo(ErrorCode.NONE);
            }
            Await.until("the follower holds the new batch", WAIT, () -> cluster.log(2, tp).logEndOffset() == 13);
            assertThat(cluster.logBytes(2, tp)).isEqualTo(cluster.logBytes(1, tp));
        }
    }

    /**
     * Right after an election the new leader's follower may learn of it first and be told NOT_LEADER_OR_FOLLOWER by
     * the leader-to-be: it retries within milliseconds, not after {@code replica.fetch.backoff.ms} (a minute here,
     * beyond the produce timeout), so the new leader's high watermark, and acks=all, move on as soon as it leads.
     */
    @Test
    void aFollowerThatLearnsOfItsNewLeaderFirstDoesNotWaitOutTheFetchBackoff() {
        Map<String, String> settings = new java.util.HashMap<>(FAST);
        settings.put("replica.fetch.backoff.ms", "60000");
        try (InProcessCluster cluster = new InProcessCluster(3, settings)) {
            TopicPartition tp = new TopicPartition("elected", 0);
            cluster.createTopic("elected", 1, List.of(1, 2, 3), Map.of("min.insync.replicas", "2"));
            awaitRoles(cluster, tp, 1, List.of(2, 3));
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(1).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("before", 2))).isEqualTo(ErrorCode.NONE);
            }
            cluster.stop(1);
            cluster.controller().electSeenFirstBy(tp, 2, List.of(2, 3), List.of(3));
            Await.until("broker 2, not knowing it leads yet, refuses its follower's fetch", WAIT,
                () -> cluster.broker(3).replicaManager().leaderBehindAnswers() > 0);
            cluster.controller().catchUp(2);
            awaitRoles(cluster, tp, 2, List.of(3));
            try (ReplicaClient client = new ReplicaClient(cluster.fixture(2).port())) {
                assertThat(client.produce(tp, ACKS_ALL, 30_000, ReplicaClient.batch("after", 2)))
                    .as("acknowledged once the follower fetched again, long before its fetch backoff").isEqualTo(ErrorCode.NONE);
            }
        }
    }

    private static void awaitRoles(InProcessCluster cluster, TopicPartition tp, int leader, List<Integer> followers) {
        Await.until("broker " + leader + " leads " + tp, WAIT,
            () -> cluster.broker(leader).replicaManager().leaderCheck(tp, -1) == ErrorCode.NONE
                && cluster.broker(leader).replicaManager().isReplicated(tp));
        for (int follower : followers) {
            Await.until("broker " + follower + " follows " + tp, WAIT,
                () -> cluster.broker(follower).replicaManager().leaderCheck(tp, -1) == ErrorCode.NOT_LEADER_OR_FOLLOWER);
        }
    }
}
