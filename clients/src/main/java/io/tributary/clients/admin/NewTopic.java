package io.tributary.clients.admin;

import java.util.Map;

/**
 * A topic to create: its name, partition count and replication factor (-1 for the broker's
 * {@code num.partitions} and {@code default.replication.factor}), and config overrides.
 */
public record NewTopic(String name, int partitions, short replicationFactor, Map<String, String> configs) {
    public NewTopic {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("A new topic needs a name, got '" + name + "'");
        }
        configs = Map.copyOf(configs);
    }

    /** {@code partitions} partitions, the broker's replication factor, no overrides. */
    public static NewTopic of(String name, int partitions) {
        return new NewTopic(name, partitions, (short) -1, Map.of());
    }

    /** The broker's partition count and replication factor, no overrides. */
    public static NewTopic withDefaults(String name) {
        return new NewTopic(name, -1, (short) -1, Map.of());
    }

    public NewTopic withConfigs(Map<String, String> overrides) {
        return new NewTopic(name, partitions, replicationFactor, overrides);
    }

    public NewTopic withReplicationFactor(int factor) {
        return new NewTopic(name, partitions, (short) factor, configs);
    }
}
