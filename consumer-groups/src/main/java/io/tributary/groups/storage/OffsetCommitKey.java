package io.tributary.groups.storage;

/**
 * The key of a committed offset in {@code __consumer_offsets}: which group committed which partition.
 * Kafka's {@code OffsetCommitKey} (record type 1; type 0, the legacy key, has the same layout).
 */
public record OffsetCommitKey(String group, String topic, int partition) implements CoordinatorKey {
    public OffsetCommitKey {
        if (group == null || topic == null) {
            throw new IllegalArgumentException("Offset commit key needs a group and a topic, got group=" + group + " topic=" + topic);
        }
    }
}
