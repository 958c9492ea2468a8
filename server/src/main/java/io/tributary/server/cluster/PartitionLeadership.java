package io.tributary.server.cluster;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.image.TopicImage;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;

import java.util.function.Supplier;

/**
 * Whether this broker may serve a client's produce, fetch or offset lookup for a partition, from the image, in
 * Kafka's order: the client's {@code current_leader_epoch} first (older: FENCED_LEADER_EPOCH, newer:
 * UNKNOWN_LEADER_EPOCH, -1: not checked), then leadership (NOT_LEADER_OR_FOLLOWER, with the leader and its epoch
 * for KIP-951's current_leader). A partition the image does not hold is this broker's alone, at epoch 0.
 */
public final class PartitionLeadership {
    /** The verdict; {@code leaderId}/{@code leaderEpoch} are the image's (-1 when unknown). */
    public record Verdict(ErrorCode error, int leaderId, int leaderEpoch) {
        static final Verdict SERVE = new Verdict(ErrorCode.NONE, -1, -1);

        public boolean serves() {
            return error == ErrorCode.NONE;
        }
    }

    private final int brokerId;
    private final Supplier<MetadataImage> image;

    public PartitionLeadership(int brokerId, Supplier<MetadataImage> image) {
        this.brokerId = brokerId;
        this.image = image;
    }

    public Verdict check(TopicPartition partition, int currentLeaderEpoch) {
        TopicImage topic = image.get().topic(partition.topic());
        PartitionState state = topic == null ? null : topic.partition(partition.partition());
        if (state == null) {
            // a topic of this broker alone (created in its logs by a caller inside the process): led here at epoch 0
            if (currentLeaderEpoch > 0) {
                return new Verdict(ErrorCode.UNKNOWN_LEADER_EPOCH, brokerId, 0);
            }
            return Verdict.SERVE;
        }
        if (currentLeaderEpoch >= 0 && currentLeaderEpoch < state.leaderEpoch()) {
            return new Verdict(ErrorCode.FENCED_LEADER_EPOCH, state.leader(), state.leaderEpoch());
        }
        if (currentLeaderEpoch > state.leaderEpoch()) {
            return new Verdict(ErrorCode.UNKNOWN_LEADER_EPOCH, state.leader(), state.leaderEpoch());
        }
        if (state.leader() != brokerId) {
            return new Verdict(ErrorCode.NOT_LEADER_OR_FOLLOWER, state.leader(), state.leaderEpoch());
        }
        return new Verdict(ErrorCode.NONE, state.leader(), state.leaderEpoch());
    }
}
