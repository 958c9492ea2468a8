package io.tributary.groups;

import java.util.List;
import java.util.UUID;

/**
 * The answer to an OffsetFetch of one group: a group-level refusal ({@code error} not NONE, no topics), or
 * the offsets, by topic in the order asked (by name when every offset was asked for).
 */
public record FetchedOffsets(GroupError error, List<Topic> topics) {
    public FetchedOffsets {
        topics = List.copyOf(topics);
    }

    public static FetchedOffsets refused(GroupError error) {
        return new FetchedOffsets(error, List.of());
    }

    /**
     * @param name    null for a topic asked for by an id that names no topic
     * @param topicId null when the topic no longer exists (or, asked for by name, when none was given)
     */
    public record Topic(String name, UUID topicId, List<Partition> partitions) {
        public Topic {
            partitions = List.copyOf(partitions);
        }
    }

    /** One partition's committed offset, or -1, leader epoch -1 and metadata "" when there is none. */
    public record Partition(int partition, long offset, int leaderEpoch, String metadata, GroupError error) {
    }
}
