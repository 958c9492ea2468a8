package io.tributary.server.replica;

import io.tributary.protocol.TopicPartition;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * PLACEHOLDER until the replication data path merges: a {@link PartitionRoles} that only remembers the assignments
 * it is given (dropping stale ones), so the metadata side can feed it and handlers can read it. It starts no
 * follower fetcher and tracks no high watermark; replace it with the replication side's implementation.
 */
public final class AssignmentsOnly implements PartitionRoles {
    private final Map<TopicPartition, PartitionAssignment> applied = new ConcurrentHashMap<>();

    @Override
    public void apply(Collection<PartitionAssignment> changed, Collection<TopicPartition> removed) {
        for (PartitionAssignment a : changed) {
            applied.merge(a.partition(), a, (old, now) -> now.leaderEpoch() < old.leaderEpoch() ? old : now);
        }
        removed.forEach(applied::remove);
    }

    @Override
    public Optional<PartitionAssignment> assignment(TopicPartition partition) {
        return Optional.ofNullable(applied.get(partition));
    }
}
