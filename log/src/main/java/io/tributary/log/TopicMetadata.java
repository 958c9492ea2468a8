package io.tributary.log;

import io.tributary.protocol.routing.RoutingFences;

import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What the broker remembers about a topic across restarts: its id, its partition count, its config
 * overrides (topic config names; everything else comes from the broker defaults) and, for an ordered topic
 * ({@code routing.mode=ordered}), the fences of its growths ({@link RoutingFences#NONE} otherwise, and until
 * it first grows).
 */
public record TopicMetadata(String name, UUID topicId, int partitionCount, Map<String, String> configOverrides,
                            RoutingFences routingFences) {
    public TopicMetadata {
        configOverrides = Map.copyOf(configOverrides);
        Objects.requireNonNull(routingFences, "routingFences");
    }

    public TopicMetadata(String name, UUID topicId, int partitionCount, Map<String, String> configOverrides) {
        this(name, topicId, partitionCount, configOverrides, RoutingFences.NONE);
    }

    public TopicMetadata withPartitionCount(int count) {
        return new TopicMetadata(name, topicId, count, configOverrides, routingFences);
    }

    public TopicMetadata withConfigOverrides(Map<String, String> overrides) {
        return new TopicMetadata(name, topicId, partitionCount, overrides, routingFences);
    }

    /** Grown to {@code count} partitions with {@code fences} recording the growth. */
    public TopicMetadata grownTo(int count, RoutingFences fences) {
        return new TopicMetadata(name, topicId, count, configOverrides, fences);
    }
}
