package io.tributary.clients.metadata;

import io.tributary.protocol.ErrorCode;

import java.util.List;
import java.util.UUID;

/**
 * One topic as the last metadata answer described it: its id, and its partitions in partition order
 * ({@code partitions().get(p).partition().partition() == p}), or an error and no partitions.
 *
 * @param topicId   the topic's id; the all-zero UUID when the broker did not send one
 * @param error     NONE, or why the topic is not usable (UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION, ...)
 * @param internal  whether it is one of Kafka's internal topics (__consumer_offsets)
 */
public record TopicMetadata(String name, UUID topicId, ErrorCode error, boolean internal, List<PartitionMetadata> partitions) {
    public TopicMetadata {
        partitions = List.copyOf(partitions);
    }

    public int partitionCount() {
        return partitions.size();
    }

    /** Usable: no topic error and at least one partition. */
    public boolean isAvailable() {
        return error == ErrorCode.NONE && !partitions.isEmpty();
    }
}
