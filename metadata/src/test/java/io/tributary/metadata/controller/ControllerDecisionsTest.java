package io.tributary.metadata.controller;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.Endpoint;
import io.tributary.metadata.record.MetadataRecord.RegisterBroker;
import io.tributary.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class ControllerDecisionsTest {
    static final UUID T = new UUID(7, 7);

    /** Brokers 1..n registered through the controller and unfenced by a heartbeat, racks as given (null: none). */
    static MetadataImage cluster(String... racks) {
        MetadataImage image = MetadataImage.EMPTY;
        for (int i = 0; i < racks.length; i++) {
            int id = i + 1;
            ControllerResult<Long> registered = BrokerLifecycle.register(image, new BrokerLifecycle.Registration(id,
                List.of(new Endpoint("PLAINTEXT", "127.0.0.1", 9092 + id, "PLAINTEXT")), racks[i]), false);
            image = image.apply(registered.records());
            image = image.apply(BrokerLifecycle.heartbeat(image, id, registered.response(), false, false, false)
                .records());
        }
        return image;
    }

    static MetadataImage withTopic(MetadataImage image, int partitions, int replicationFactor) {
        ControllerResult<List<List<Integer>>> created = ReplicaPlacement.createTopic(image,
            new ReplicaPlacement.CreateTopic("t", T, partitions, replicationFactor, Map.of()));
        assertThat(created.error()).isEqualTo(ErrorCode.NONE);
        return image.apply(created.records());
    }

    // ---- brokers ----

    @Test
    void registrationIssuesAnEpochAboveEveryEarlierOneAndStartsFenced() {
        MetadataImage image = cluster(null, null);
        ControllerResult<Long> again = BrokerLifecycle.register(image,
            new BrokerLifecycle.Registration(1, List.of(), null), false);
        assertThat(again.response()).isEqualTo(3);
        assertThat(((RegisterBroker) again.records().get(0)).fenced()).isTrue();
        assertThat(image.apply(again.records()).isUnfenced(1)).isFalse();
    }

    @Test
    void heartbeatsOfStaleOrUnknownBrokersAreRefused() {
        MetadataImage image = cluster((String) null);
        assertThat(BrokerLifecycle.heartbeat(image, 1, 99, false, false, false).error())
            .isEqualTo(ErrorCode.STALE_BROKER_EPOCH);
        assertThat(BrokerLifecycle.heartbeat(image, 5, 1, false, false, false).error())
            .isEqualTo(ErrorCode.BROKER_ID_NOT_REGISTERED);
        assertThat(BrokerLifecycle.heartbeat(image, 1, 1, false, false, false).records()).isEmpty();
    }

    @Test
    void anExpiredSessionFencesTheBrokerAndElectsTheNextIsrMemberInReplicaOrder() {
        MetadataImage image = withTopic(cluster(null, null, null), 1, 3);
        PartitionState before = image.partition(T, 0);
        int leader = before.leader();
        Map<Integer, Long> lastSeen = Map.of(leader, 0L, before.replicas().get(1), 9_500L,
            before.replicas().get(2), 9_500L);
        List<MetadataRecord> records = BrokerLifecycle.fenceExpired(image, lastSeen, 10_000, 9_000, false);
        MetadataImage after = image.apply(records);
        PartitionState state = after.partition(T, 0);
        assertThat(after.isUnfenced(leader)).isFalse();
        assertThat(state.leader()).isEqualTo(before.replicas().get(1));
        assertThat(state.isr()).doesNotContain(leader).hasSize(2);
        assertThat(state.leaderEpoch()).isEqualTo(before.leaderEpoch() + 1);
        assertThat(state.partitionEpoch()).isEqualTo(before.partitionEpoch() + 1);

        assertThat(BrokerLifecycle.fenceExpired(image, lastSeen, 8_999, 9_000, false))
            .as("8.999 s after the last heartbeat a 9 s session has not expired").isEmpty();
    }

    @Test
    void withoutUncleanElectionAPartitionWhoseLastIsrMemberIsFencedHasNoLeader() {
        MetadataImage image = withTopic(cluster(null, null), 1, 2);
        PartitionState s = image.partition(T, 0);
        // Shrink the ISR to the leader alone, then fence the leader.
        image = image.apply(IsrChange.alterPartition(image, new IsrChange.Request(s.leader(),
            image.broker(s.leader()).brokerEpoch(), T, 0, s.leaderEpoch(), s.partitionEpoch(),
            List.of(s.leader()))).records());
        ControllerResult<BrokerLifecycle.HeartbeatReply> shutdown = BrokerLifecycle.heartbeat(image, s.leader(),
            image.broker(s.leader()).brokerEpoch(), false, true, false);
        assertThat(shutdown.response().shutdownReady()).isTrue();
        PartitionState clean = image.apply(shutdown.records()).partition(T, 0);
        assertThat(clean.leader()).isEqualTo(MetadataRecord.NO_LEADER);
        assertThat(clean.isr()).containsExactly(s.leader());

        PartitionState unclean = image.apply(BrokerLifecycle.heartbeat(image, s.leader(),
            image.broker(s.leader()).brokerEpoch(), false, true, true).records()).partition(T, 0);
        int other = s.replicas().get(1);
        assertThat(unclean.leader()).isEqualTo(other);
        assertThat(unclean.isr()).containsExactly(other);
        assertThat(unclean.leaderEpoch()).isEqualTo(s.leaderEpoch() + 1);
    }

    @Test
    void aReturningIsrMemberLeadsAPartitionThatHadNoLeader() {
        MetadataImage image = withTopic(cluster((String) null), 1, 1);
        long epoch = image.broker(1).brokerEpoch();
        image = image.apply(BrokerLifecycle.heartbeat(image, 1, epoch, true, false, false).records());
        assertThat(image.partition(T, 0).leader()).isEqualTo(MetadataRecord.NO_LEADER);
        image = image.apply(BrokerLifecycle.heartbeat(image, 1, epoch, false, false, false).records());
        assertThat(image.partition(T, 0).leader()).isEqualTo(1);
        assertThat(image.partition(T, 0).leaderEpoch()).isEqualTo(2);
    }

    // ---- AlterPartition ----

    @Test
    void alterPartitionChecksIncarnationLeadershipAndBothEpochs() {
        MetadataImage image = withTopic(cluster(null, null, null), 1, 3);
        PartitionState s = image.partition(T, 0);
        int leader = s.leader();
        long epoch = image.broker(leader).brokerEpoch();
        int follower = s.replicas().get(1);
        List<Integer> shrunk = List.of(leader, s.replicas().get(2));

        assertThat(alter(image, leader, epoch + 9, s.leaderEpoch(), s.partitionEpoch(), shrunk))
            .isEqualTo(ErrorCode.STALE_BROKER_EPOCH);
        assertThat(alter(image, follower, image.broker(follower).brokerEpoch(), s.leaderEpoch(), s.partitionEpoch(),
            shrunk)).isEqualTo(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        assertThat(alter(image, leader, epoch, s.leaderEpoch() - 1, s.partitionEpoch(), shrunk))
            .isEqualTo(ErrorCode.FENCED_LEADER_EPOCH);
        assertThat(alter(image, leader, epoch, s.leaderEpoch(), s.partitionEpoch() + 1, shrunk))
            .isEqualTo(ErrorCode.INVALID_UPDATE_VERSION);
        assertThat(alter(image, leader, epoch, s.leaderEpoch(), s.partitionEpoch(), List.of(follower)))
            .isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(alter(image, leader, epoch, s.leaderEpoch(), s.partitionEpoch(), List.of(leader, 9)))
            .isEqualTo(ErrorCode.INVALID_REQUEST);

        ControllerResult<PartitionState> ok = IsrChange.alterPartition(image,
            new IsrChange.Request(leader, epoch, T, 0, s.leaderEpoch(), s.partitionEpoch(), shrunk));
        assertThat(ok.error()).isEqualTo(ErrorCode.NONE);
        assertThat(ok.response().isr()).isEqualTo(shrunk);
        assertThat(ok.response().partitionEpoch()).isEqualTo(s.partitionEpoch() + 1);
        assertThat(ok.response().leaderEpoch()).isEqualTo(s.leaderEpoch());
        MetadataImage after = image.apply(ok.records());
        assertThat(after.partition(T, 0)).isEqualTo(ok.response());
        // The same request again is now based on an old partition epoch.
        assertThat(alter(after, leader, epoch, s.leaderEpoch(), s.partitionEpoch(), List.of(leader)))
            .isEqualTo(ErrorCode.INVALID_UPDATE_VERSION);
    }

    @Test
    void aFencedBrokerCannotJoinTheIsr() {
        MetadataImage image = withTopic(cluster(null, null), 1, 2);
        PartitionState s = image.partition(T, 0);
        int leader = s.leader();
        int follower = s.replicas().get(1);
        image = image.apply(IsrChange.alterPartition(image, new IsrChange.Request(leader,
            image.broker(leader).brokerEpoch(), T, 0, s.leaderEpoch(), s.partitionEpoch(), List.of(leader))).records());
        image = image.apply(BrokerLifecycle.heartbeat(image, follower, image.broker(follower).brokerEpoch(), true,
            false, false).records());
        PartitionState shrunk = image.partition(T, 0);
        assertThat(alter(image, leader, image.broker(leader).brokerEpoch(), shrunk.leaderEpoch(),
            shrunk.partitionEpoch(), List.of(leader, follower))).isEqualTo(ErrorCode.INELIGIBLE_REPLICA);
    }

    static ErrorCode alter(MetadataImage image, int broker, long brokerEpoch, int leaderEpoch, int partitionEpoch,
                           List<Integer> isr) {
        return IsrChange.alterPartition(image, new IsrChange.Request(broker, brokerEpoch, T, 0, leaderEpoch,
            partitionEpoch, isr)).error();
    }

    // ---- preferred leader ----

    @Test
    void preferredElectionMovesLeadershipBackToTheFirstReplica() {
        MetadataImage image = withTopic(cluster(null, null), 1, 2);
        PartitionState s = image.partition(T, 0);
        assertThat(LeaderElection.electPreferred(image, T, 0).error()).isEqualTo(ErrorCode.ELECTION_NOT_NEEDED);
        int preferred = s.preferredLeader();
        long epoch = image.broker(preferred).brokerEpoch();
        image = image.apply(BrokerLifecycle.heartbeat(image, preferred, epoch, true, false, false).records());
        assertThat(image.partition(T, 0).leader()).isNotEqualTo(preferred);
        assertThat(LeaderElection.electPreferred(image, T, 0).error())
            .isEqualTo(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);
        // Back, and caught up (the leader adds it to the ISR): the preferred replica can lead again.
        image = image.apply(BrokerLifecycle.heartbeat(image, preferred, epoch, false, false, false).records());
        PartitionState now = image.partition(T, 0);
        image = image.apply(IsrChange.alterPartition(image, new IsrChange.Request(now.leader(),
            image.broker(now.leader()).brokerEpoch(), T, 0, now.leaderEpoch(), now.partitionEpoch(),
            List.of(now.leader(), preferred))).records());
        ControllerResult<Void> elected = LeaderElection.electPreferred(image, T, 0);
        assertThat(elected.error()).isEqualTo(ErrorCode.NONE);
        assertThat(image.apply(elected.records()).partition(T, 0).leader()).isEqualTo(preferred);
        assertThat(LeaderElection.electPreferred(image, new UUID(0, 0), 0).error())
            .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }

    // ---- placement ----

    @Test
    void aReplicationFactorAboveTheLiveBrokersIsRefused() {
        MetadataImage image = cluster(null, null, null);
        image = image.apply(BrokerLifecycle.heartbeat(image, 3, image.broker(3).brokerEpoch(), true, false, false)
            .records());
        assertThat(create(image, "t", 1, 3)).isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR);
        assertThat(create(image, "t", 1, 0)).isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR);
        assertThat(create(image, "t", 0, 1)).isEqualTo(ErrorCode.INVALID_PARTITIONS);
        assertThat(create(image, "bad/name", 1, 1)).isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION);
        assertThat(create(image, "..", 1, 1)).isEqualTo(ErrorCode.INVALID_TOPIC_EXCEPTION);
        assertThat(create(image, "t", 1, 2)).isEqualTo(ErrorCode.NONE);
        assertThat(create(withTopic(cluster((String) null), 1, 1), "t", 1, 1)).isEqualTo(ErrorCode.TOPIC_ALREADY_EXISTS);
    }

    static ErrorCode create(MetadataImage image, String name, int partitions, int rf) {
        return ReplicaPlacement.createTopic(image, new ReplicaPlacement.CreateTopic(name, UUID.randomUUID(),
            partitions, rf, Map.of())).error();
    }

    @Test
    void placementPutsEachReplicaOfAPartitionOnAnotherRackAndSpreadsLeaders() {
        MetadataImage image = cluster("a", "a", "b", "b", "c", "c");
        ControllerResult<List<List<Integer>>> created = ReplicaPlacement.createTopic(image,
            new ReplicaPlacement.CreateTopic("t", T, 6, 3, Map.of("cleanup.policy", "compact")));
        Set<Integer> leaders = new HashSet<>();
        for (List<Integer> replicas : created.response()) {
            Set<String> racks = new HashSet<>();
            for (int r : replicas) {
                racks.add(image.broker(r).rack());
            }
            assertThat(racks).as("racks of %s", replicas).hasSize(3);
            leaders.add(replicas.get(0));
        }
        assertThat(leaders).hasSize(6);
        MetadataImage after = image.apply(created.records());
        assertThat(after.topic("t").configs()).containsEntry("cleanup.policy", "compact");
        assertThat(after.partition(T, 5).isr()).isEqualTo(created.response().get(5));
    }

    // ---- producer ids ----

    @Test
    void producerIdBlocksFollowEachOtherAndNeedTheCurrentIncarnation() {
        MetadataImage image = cluster(null, null);
        ControllerResult<ProducerIdAllocation.Block> first = ProducerIdAllocation.allocate(image, 1,
            image.broker(1).brokerEpoch());
        image = image.apply(first.records());
        ControllerResult<ProducerIdAllocation.Block> second = ProducerIdAllocation.allocate(image, 2,
            image.broker(2).brokerEpoch());
        assertThat(first.response()).isEqualTo(new ProducerIdAllocation.Block(0, 1000));
        assertThat(second.response()).isEqualTo(new ProducerIdAllocation.Block(1000, 1000));
        assertThat(ProducerIdAllocation.allocate(image, 2, 77).error()).isEqualTo(ErrorCode.STALE_BROKER_EPOCH);
        assertThat(ProducerIdAllocation.allocate(image, 9, 1).error()).isEqualTo(ErrorCode.BROKER_ID_NOT_REGISTERED);
    }

    @Test
    void aBlockStartsAboveAPreClusterReservationAndLaterBlocksFollowIt() {
        MetadataImage image = cluster(null, null);
        ControllerResult<ProducerIdAllocation.Block> first = ProducerIdAllocation.allocate(image, 1,
            image.broker(1).brokerEpoch(), 5_500);
        assertThat(first.response()).isEqualTo(new ProducerIdAllocation.Block(5_500, 1000));
        image = image.apply(first.records());
        assertThat(ProducerIdAllocation.allocate(image, 2, image.broker(2).brokerEpoch(), 0).response())
            .as("a broker without a reservation continues after the raised block, never below it")
            .isEqualTo(new ProducerIdAllocation.Block(6_500, 1000));
        assertThat(ProducerIdAllocation.allocate(image, 2, image.broker(2).brokerEpoch(), -1).error())
            .isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
