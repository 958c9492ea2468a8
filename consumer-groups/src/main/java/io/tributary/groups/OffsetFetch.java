package io.tributary.groups;

import java.util.List;
import java.util.UUID;

/**
 * A group's committed offsets asked for (Kafka's OffsetFetch, one group).
 *
 * @param topics null for every offset the group committed
 */
public record OffsetFetch(String groupId, List<Topic> topics) {
    public OffsetFetch {
        topics = topics == null ? null : List.copyOf(topics);
    }

    /** A topic by name, or by id alone ({@code name} null; an unknown id is UNKNOWN_TOPIC_ID per partition). */
    public record Topic(String name, UUID topicId, int[] partitions) {
    }
}
