package io.tributary.groups.storage;

/**
 * One record of {@code __consumer_offsets}, decoded: a key and its value, or a null value for a tombstone.
 * An {@link OffsetCommitKey} goes with an {@link OffsetCommitValue}, a {@link GroupMetadataKey} with a
 * {@link GroupMetadataValue}.
 */
public record CoordinatorRecord(CoordinatorKey key, Object value) {
    public CoordinatorRecord {
        if (key == null) {
            throw new IllegalArgumentException("A coordinator record needs a key");
        }
        if (value != null && !(key instanceof OffsetCommitKey && value instanceof OffsetCommitValue)
            && !(key instanceof GroupMetadataKey && value instanceof GroupMetadataValue)) {
            throw new IllegalArgumentException("A " + key.getClass().getSimpleName() + " cannot hold a "
                + value.getClass().getSimpleName());
        }
    }

    public static CoordinatorRecord offsetCommit(OffsetCommitKey key, OffsetCommitValue value) {
        return new CoordinatorRecord(key, value);
    }

    public static CoordinatorRecord groupMetadata(String group, GroupMetadataValue value) {
        return new CoordinatorRecord(new GroupMetadataKey(group), value);
    }

    public static CoordinatorRecord tombstone(CoordinatorKey key) {
        return new CoordinatorRecord(key, null);
    }

    public boolean isTombstone() {
        return value == null;
    }
}
