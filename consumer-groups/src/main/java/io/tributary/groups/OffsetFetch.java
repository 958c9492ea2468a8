package io.tributary.groups;

import java.util.List;
import java.util.UUID;

/**
 * A group's committed offsets asked for (Kafka's OffsetFetch, one group).
 *
 * @param topics        null for every offset the group committed
 * @param requireStable a partition whose transactional commit is pending answers UNSTABLE_OFFSET_COMMIT (OffsetFetch v7+)
 */
public record OffsetFetch(String groupId, List<Topic> topics, boolean requireStable) {
    public OffsetFetch {
        topics = topics == null ? null : List.copyOf(topics);
    }

    /** Without require_stable: a pending transactional commit is not waited for. */
    public OffsetFetch(String groupId, List<Topic> topics) {
        this(groupId, topics, false);
    }

    /** A topic by name, or by id alone ({@code name} null; an unknown id is UNKNOWN_TOPIC_ID per partition). */
    public record Topic(String name, UUID topicId, int[] partitions) {
    }
}
