package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;

import java.util.List;
import java.util.UUID;

/**
 * A topic as Metadata describes it: id, whether internal, and its partitions in partition order.
 *
 * @param topicId null when the broker sent none
 */
public record TopicDescription(String name, UUID topicId, boolean internal, List<PartitionDescription> partitions) {
    public TopicDescription {
        partitions = List.copyOf(partitions);
    }

    /** The topic's partitions as TopicPartitions, in order. */
    public List<TopicPartition> topicPartitions() {
        return partitions.stream().map(p -> new TopicPartition(name, p.partition())).toList();
    }
}
