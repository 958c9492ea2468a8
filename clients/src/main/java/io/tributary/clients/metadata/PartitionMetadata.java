package io.tributary.clients.metadata;

import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ErrorCode;

/**
 * One partition as the last metadata answer described it.
 *
 * @param leaderId    the leading broker's id, or -1 while there is none
 * @param leaderEpoch the leader's epoch, or -1 if the broker did not say
 * @param error       NONE, or why the partition is not usable now (LEADER_NOT_AVAILABLE, ...)
 */
public record PartitionMetadata(TopicPartition partition, int leaderId, int leaderEpoch, ErrorCode error) {
    public boolean hasLeader() {
        return leaderId >= 0;
    }
}
