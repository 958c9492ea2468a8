package io.tributary.groups;

import java.util.List;

/** Committed offsets of a group to delete (Kafka's OffsetDelete, decoded). */
public record OffsetDelete(String groupId, List<Topic> topics) {
    public OffsetDelete {
        topics = List.copyOf(topics);
    }

    public record Topic(String name, int[] partitions) {
    }
}
