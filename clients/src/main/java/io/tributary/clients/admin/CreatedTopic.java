package io.tributary.clients.admin;

import java.util.Map;
import java.util.UUID;

/**
 * A topic as CreateTopics reports it created (or would create, for a validate-only request).
 *
 * @param topicId           null when the broker sent none (before CreateTopics v7, or validate-only)
 * @param partitions        -1 when the broker did not say (before v5)
 * @param replicationFactor -1 when the broker did not say (before v5)
 * @param configs           the topic's effective configs, empty when the broker did not say
 */
public record CreatedTopic(String name, UUID topicId, int partitions, short replicationFactor, Map<String, String> configs) {
    public CreatedTopic {
        configs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(configs));
    }
}
