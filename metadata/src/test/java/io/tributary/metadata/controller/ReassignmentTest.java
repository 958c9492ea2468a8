package io.tributary.metadata.controller;

import io.tributary.metadata.image.ImageSnapshot;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.tributary.metadata.controller.ControllerDecisionsTest.T;
import static io.tributary.metadata.controller.ControllerDecisionsTest.cluster;
import static org.assertj.core.api.Assertions.assertThat;

/** Reassignment and leader-election decisions on images built through the controller's own decisions. */
class ReassignmentTest {
    /** Brokers 1..n with topic t of one partition on {@code replicas}. */
    private static MetadataImage topicOn(int brokers, List<Integer> replicas) {
        MetadataImage image = cluster(new String[brokers]);
        ControllerResult<List<List<Integer>>> created = ReplicaPlacement.createTopic(image,
            new ReplicaPlacement.CreateTopic("t", T, 1, replicas.size(), Map.of()), List.of(replicas));
        assertThat(created.error()).isEqualTo(ErrorCode.NONE);
        return image.apply(created.records());
    }

    private static MetadataImage alter(MetadataImage image, List<Integer> target) {
        ControllerResult<Void> result = Reassignment.alter(image, new Reassignment.Request(T, 0, target, true));
        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        return image.apply(result.records());
    }

    /** The leader asks the controller for {@code isr}, as an ISR expansion. */
    private static MetadataImage expand(MetadataImage image, List<Integer> isr) {
        PartitionState s = image.partition(T, 0);
        ControllerResult<PartitionState> result = IsrChange.alterPartition(image, new IsrChange.Request(s.leader(),
            image.broker(s.leader()).brokerEpoch(), T, 0, s.leaderEpoch(), s.partitionEpoch(), isr));
        assertThat(result.error()).isEqualTo(ErrorCode.NONE);
        return image.apply(result.records());
    }

    @Test
    void aSingleReplicaMovesOnceTheNewReplicaIsInSyncAndLeadershipFollowsIt() {
        MetadataImage image = topicOn(3, List.of(1));
        image = alter(image, List.of(2));
        PartitionState moving = image.partition(T, 0);
        assertThat(moving.replicas()).containsExactly(2, 1);
        assertThat(moving.addingReplicas()).containsExactly(2);
        assertThat(moving.removingReplicas()).containsExactly(1);
        assertThat(moving.leader()).as("the old replica leads until the new one caught up").isEqualTo(1);
        assertThat(moving.isr()).containsExactly(1);

        image = expand(image, List.of(1, 2));
        PartitionState done = image.partition(T, 0);
        assertThat(done.replicas()).containsExactly(2);
        assertThat(done.isr()).containsExactly(2);
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).isEqualTo(moving.leaderEpoch() + 1);
        assertThat(done.isReassigning()).isFalse();
    }

    @Test
    void twoReplicasMoveToAnOverlappingPairKeepingTheLeaderWhenItStays() {
        MetadataImage image = topicOn(3, List.of(2, 1));
        image = alter(image, List.of(2, 3));
        PartitionState moving = image.partition(T, 0);
        assertThat(moving.replicas()).containsExactly(2, 3, 1);
        assertThat(moving.addingReplicas()).containsExactly(3);
        assertThat(moving.removingReplicas()).containsExactly(1);
        image = expand(image, List.of(2, 1, 3));
        PartitionState done = image.partition(T, 0);
        assertThat(done.replicas()).containsExactly(2, 3);
        assertThat(done.isr()).containsExactly(2, 3);
        assertThat(done.leader()).isEqualTo(2);
        assertThat(done.leaderEpoch()).as("same leader, same epoch").isEqualTo(moving.leaderEpoch());
    }

    @Test
    void aTargetAlreadyInSyncCompletesAtOnce() {
        MetadataImage image = topicOn(3, List.of(1, 2, 3));
        image = alter(image, List.of(3, 2));
        PartitionState done = image.partition(T, 0);
        assertThat(done.replicas()).containsExactly(3, 2);
        assertThat(done.isr()).containsExactlyInAnyOrder(2, 3);
        assertThat(done.leader()).as("leader 1 is removed: the first in-sync target replica leads").isEqualTo(3);
        assertThat(done.isReassigning()).isFalse();
    }

    @Test
    void cancellingReturnsToTheOriginalReplicas() {
        MetadataImage image = alter(topicOn(3, List.of(1, 2)), List.of(2, 3));
        ControllerResult<Void> cancel = Reassignment.alter(image, new Reassignment.Request(T, 0, null, true));
        assertThat(cancel.error()).isEqualTo(ErrorCode.NONE);
        PartitionState back = image.apply(cancel.records()).partition(T, 0);
        // as Kafka's revert: the merged list (target first) without the replicas being added
        assertThat(back.replicas()).containsExactly(2, 1);
        assertThat(back.isReassigning()).isFalse();
        assertThat(back.leader()).isEqualTo(1);
    }

    @Test
    void badRequestsGetKafkasErrorCodes() {
        MetadataImage image = topicOn(3, List.of(1, 2));
        assertThat(Reassignment.alter(image, new Reassignment.Request(T, 0, List.of(1, 4), true)).error())
            .as("unknown broker").isEqualTo(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        assertThat(Reassignment.alter(image, new Reassignment.Request(T, 0, List.of(1, 1), true)).error())
            .as("a broker twice").isEqualTo(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        assertThat(Reassignment.alter(image, new Reassignment.Request(T, 0, List.of(), true)).error())
            .as("no replicas").isEqualTo(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        assertThat(Reassignment.alter(image, new Reassignment.Request(T, 1, List.of(1), true)).error())
            .isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(Reassignment.alter(image, new Reassignment.Request(T, 0, null, true)).error())
            .isEqualTo(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
        assertThat(Reassignment.alter(image, new Reassignment.Request(T, 0, List.of(1, 2, 3), false)).error())
            .isEqualTo(ErrorCode.INVALID_REPLICATION_FACTOR);
    }

    @Test
    void aReassignmentInProgressSurvivesASnapshot() {
        MetadataImage image = alter(topicOn(3, List.of(1)), List.of(2));
        MetadataImage restored = ImageSnapshot.decode(ImageSnapshot.encode(image));
        assertThat(restored.partition(T, 0)).isEqualTo(image.partition(T, 0));
    }

    @Test
    void uncleanElectionTakesAnOutOfSyncReplicaOnlyWhenNoIsrMemberIsLeft() {
        MetadataImage image = topicOn(3, List.of(1, 2));
        assertThat(LeaderElection.electUnclean(image, T, 0).error()).isEqualTo(ErrorCode.ELECTION_NOT_NEEDED);
        // shrink to {1}, then fence 1: the partition has no leader, 1 stays the last ISR member
        image = expand(image, List.of(1));
        image = image.apply(LeaderElection.moveAwayFrom(image, 1, false));
        image = image.apply(List.<MetadataRecord>of(new MetadataRecord.BrokerFencing(1, image.broker(1).brokerEpoch(),
            true)));
        assertThat(image.partition(T, 0).hasLeader()).isFalse();
        ControllerResult<Void> unclean = LeaderElection.electUnclean(image, T, 0);
        assertThat(unclean.error()).isEqualTo(ErrorCode.NONE);
        PartitionState after = image.apply(unclean.records()).partition(T, 0);
        assertThat(after.leader()).isEqualTo(2);
        assertThat(after.isr()).containsExactly(2);
    }

    @Test
    void preferredElectionNeedsThePreferredReplicaInSync() {
        MetadataImage image = topicOn(3, List.of(1, 2));
        assertThat(LeaderElection.electPreferred(image, T, 0).error()).isEqualTo(ErrorCode.ELECTION_NOT_NEEDED);
        image = image.apply(LeaderElection.moveAwayFrom(image, 1, false));
        assertThat(image.partition(T, 0).leader()).isEqualTo(2);
        assertThat(LeaderElection.electPreferred(image, T, 0).error())
            .isEqualTo(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);
        assertThat(LeaderElection.electPreferred(image, T, 5).error()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }
}
