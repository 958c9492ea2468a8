package io.tributary.server.replica;

import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.EpochEndOffset;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;

/**
 * What the request handlers ask about a partition's replication: whether this broker leads it and at which epoch, its
 * high watermark, whether a follower's fetch may be served, whether acks=all may be accepted and when it is done.
 *
 * <p>A partition with no assignment is led by this broker alone ({@link #SOLE}: the single-node default): leader epoch
 * {@link LeaderEpochs#SINGLE_BROKER}, high watermark = log end offset, acks=all done at once, replica fetches refused.
 * {@link ReplicaManager} answers the same for partitions it has no assignment for.
 */
public interface ReplicaView {

    /**
     * Kafka's checks of a client request (Produce, consumer Fetch, ListOffsets, OffsetForLeaderEpoch) against this
     * broker's role: NOT_LEADER_OR_FOLLOWER when it does not lead the partition; for a current_leader_epoch (-1: not
     * checked) older than the partition's FENCED_LEADER_EPOCH, newer UNKNOWN_LEADER_EPOCH; otherwise NONE.
     */
    ErrorCode leaderCheck(TopicPartition partition, int currentLeaderEpoch);

    /** Whether the partition has an assignment; without one it is led here alone and its high watermark is its log end. */
    boolean isReplicated(TopicPartition partition);

    /** The leader epoch this broker writes and reports the partition at. */
    int leaderEpoch(TopicPartition partition);

    /** Below it every record is held by every in-sync replica: consumers read and ListOffsets LATEST answer up to it. */
    long highWatermark(PartitionLog log);

    /**
     * Before a follower's fetch is read: an error, a divergence (the follower's last fetched epoch ended earlier in this
     * leader's log than the follower's fetch offset; it must truncate), or {@link FollowerFetchCheck#PROCEED}.
     */
    FollowerFetchCheck checkFollowerFetch(int replicaId, PartitionLog log, long fetchOffset, int currentLeaderEpoch,
                                          int lastFetchedEpoch);

    /**
     * After a follower's fetch was read: the follower holds everything below {@code fetchOffset}; this leader's log
     * ended at {@code leaderLogEnd} when it was read. Moves the high watermark and the ISR.
     */
    void followerFetched(int replicaId, PartitionLog log, long fetchOffset, long leaderLogEnd);

    /**
     * Before a produce is appended: NOT_LEADER_OR_FOLLOWER when this broker does not lead the partition; for acks=all,
     * NOT_ENOUGH_REPLICAS when fewer than {@code minInsyncReplicas} replicas are in sync; otherwise NONE.
     */
    ErrorCode produceCheck(TopicPartition partition, boolean acksAll, int minInsyncReplicas);

    /**
     * How an acks=all produce appended at {@code leaderEpoch} whose records end before {@code requiredOffset} stands:
     * {@link ErrorCode#NONE} when the high watermark has reached it with at least {@code minInsyncReplicas} in sync,
     * NOT_ENOUGH_REPLICAS_AFTER_APPEND when it reached it with fewer, NOT_LEADER_OR_FOLLOWER when this broker stopped
     * leading or leads at another epoch since (the records may have been truncated and replaced), null while it waits.
     */
    ErrorCode replicationStatus(TopicPartition partition, int leaderEpoch, long requiredOffset, int minInsyncReplicas);

    /** What a follower fetch's read is allowed to do. */
    record FollowerFetchCheck(ErrorCode error, EpochEndOffset divergingEpoch) {
        public static final FollowerFetchCheck PROCEED = new FollowerFetchCheck(ErrorCode.NONE, null);

        public static FollowerFetchCheck refused(ErrorCode error) {
            return new FollowerFetchCheck(error, null);
        }

        public static FollowerFetchCheck diverged(EpochEndOffset leaderEnd) {
            return new FollowerFetchCheck(ErrorCode.NONE, leaderEnd);
        }
    }

    /** The single-node default: every partition led here, at {@link LeaderEpochs#SINGLE_BROKER}, by its only replica. */
    ReplicaView SOLE = new ReplicaView() {
        @Override
        public ErrorCode leaderCheck(TopicPartition partition, int currentLeaderEpoch) {
            return epochCheck(currentLeaderEpoch, LeaderEpochs.SINGLE_BROKER);
        }

        @Override
        public boolean isReplicated(TopicPartition partition) {
            return false;
        }

        @Override
        public int leaderEpoch(TopicPartition partition) {
            return LeaderEpochs.SINGLE_BROKER;
        }

        @Override
        public long highWatermark(PartitionLog log) {
            return log.logEndOffset();
        }

        @Override
        public FollowerFetchCheck checkFollowerFetch(int replicaId, PartitionLog log, long fetchOffset, int currentLeaderEpoch,
                                                     int lastFetchedEpoch) {
            return FollowerFetchCheck.refused(ErrorCode.NOT_LEADER_OR_FOLLOWER); // no followers
        }

        @Override
        public void followerFetched(int replicaId, PartitionLog log, long fetchOffset, long leaderLogEnd) {
        }

        @Override
        public ErrorCode produceCheck(TopicPartition partition, boolean acksAll, int minInsyncReplicas) {
            return ErrorCode.NONE;
        }

        @Override
        public ErrorCode replicationStatus(TopicPartition partition, int leaderEpoch, long requiredOffset, int minInsyncReplicas) {
            return ErrorCode.NONE;
        }
    };

    /**
     * Kafka's current_leader_epoch check: none given (negative) passes; an older epoch is FENCED_LEADER_EPOCH (the
     * client missed an election), a newer one UNKNOWN_LEADER_EPOCH (the client saw one this broker has not).
     */
    static ErrorCode epochCheck(int requested, int current) {
        if (requested < 0) {
            return ErrorCode.NONE;
        }
        if (requested < current) {
            return ErrorCode.FENCED_LEADER_EPOCH;
        }
        return requested > current ? ErrorCode.UNKNOWN_LEADER_EPOCH : ErrorCode.NONE;
    }
}
