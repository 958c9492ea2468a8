package io.tributary.groups;

import java.util.List;
import java.util.UUID;

/**
 * Offsets to commit for a group (Kafka's OffsetCommit, decoded).
 *
 * @param generationId -1 for a commit from outside the group protocol (a simple consumer, an admin tool)
 * @param retentionMs  -1 for the broker's retention; otherwise the commit expires that long after it is made
 */
public record OffsetCommit(String groupId, int generationId, String memberId, String groupInstanceId, long retentionMs,
                           List<Topic> topics) {
    public OffsetCommit {
        memberId = memberId == null ? "" : memberId;
        topics = List.copyOf(topics);
    }

    /**
     * A topic named by its name, or by its id alone ({@code name} null): then an unknown id is
     * UNKNOWN_TOPIC_ID for each of its partitions.
     */
    public record Topic(String name, UUID topicId, List<Partition> partitions) {
        public Topic {
            partitions = List.copyOf(partitions);
        }
    }

    /** @param metadata null is stored as "" */
    public record Partition(int partition, long offset, int leaderEpoch, String metadata) {
    }
}
