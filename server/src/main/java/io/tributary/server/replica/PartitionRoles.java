package io.tributary.server.replica;

import io.tributary.protocol.TopicPartition;

import java.util.Collection;
import java.util.Optional;

/**
 * This broker's role for each partition (leader, follower, or none) as the metadata assigns it. The metadata
 * side calls {@link #apply} with every changed partition, in metadata order, on one thread; the replication
 * side starts or stops follower fetchers, becomes leader (tracking followers' end offsets and the high
 * watermark), or stops serving the partition. A partition with no assignment is led by this broker alone
 * (the single-node default before any metadata exists).
 */
public interface PartitionRoles {
    /**
     * Applies changed assignments and the partitions this broker no longer hosts (deleted topics, moved
     * replicas). Stale assignments (older leader epoch than applied) are ignored.
     */
    void apply(Collection<PartitionAssignment> changed, Collection<TopicPartition> removed);

    /** The assignment applied for a partition, if any. */
    Optional<PartitionAssignment> assignment(TopicPartition partition);
}
