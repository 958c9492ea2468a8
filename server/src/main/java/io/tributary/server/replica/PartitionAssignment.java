package io.tributary.server.replica;

import io.tributary.protocol.TopicPartition;

import java.util.List;

/**
 * What the cluster metadata says about one partition, in the form this broker acts on: who leads it, at which
 * leader epoch, which brokers hold replicas and which of them are in sync. The metadata quorum produces these
 * (one per partition whose state changed); the {@link PartitionRoles} of every broker applies them.
 *
 * <p>Invariants: replicas are distinct broker ids, the ISR is a subset of them, the leader is a member of the
 * ISR or {@link #NO_LEADER}; epochs never go backwards for a partition (an assignment with an older leader epoch
 * than the one applied is stale and ignored).
 *
 * @param topicId        the topic's id, so a topic re-created under the same name is not mistaken for the old one
 * @param partitionEpoch grows with every change of this state; ISR changes must name the current one
 */
public record PartitionAssignment(TopicPartition partition, java.util.UUID topicId, int leader, int leaderEpoch,
                                  int partitionEpoch, List<Integer> replicas, List<Integer> isr) {
    /** The leader id of a partition with no leader (every ISR member is down). */
    public static final int NO_LEADER = -1;

    public PartitionAssignment {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }

    public boolean isLeader(int brokerId) {
        return leader == brokerId;
    }

    public boolean isReplica(int brokerId) {
        return replicas.contains(brokerId);
    }
}
