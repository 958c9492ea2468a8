package io.tributary.log;

import java.util.Map;
import java.util.UUID;

/**
 * What the broker remembers about a topic across restarts: its id, its partition count and its config
 * overrides (topic config names; everything else comes from the broker defaults).
 */
public record TopicMetadata(String name, UUID topicId, int partitionCount, Map<String, String> configOverrides) {
    public TopicMetadata {
        configOverrides = Map.copyOf(configOverrides);
    }

    public TopicMetadata withPartitionCount(int count) {
        return new TopicMetadata(name, topicId, count, configOverrides);
    }

    public TopicMetadata withConfigOverrides(Map<String, String> overrides) {
        return new TopicMetadata(name, topicId, partitionCount, overrides);
    }
}
