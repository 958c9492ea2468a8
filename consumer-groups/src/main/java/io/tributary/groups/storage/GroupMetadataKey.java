package io.tributary.groups.storage;

/** The key of a group's membership record in {@code __consumer_offsets}: Kafka's {@code GroupMetadataKey} (record type 2). */
public record GroupMetadataKey(String group) implements CoordinatorKey {
    public GroupMetadataKey {
        if (group == null) {
            throw new IllegalArgumentException("Group metadata key needs a group");
        }
    }
}
