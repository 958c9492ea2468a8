package io.tributary.groups.storage;

/** The key of a record in {@code __consumer_offsets} this coordinator understands. */
public sealed interface CoordinatorKey permits OffsetCommitKey, GroupMetadataKey {
    /** The group the record belongs to; it decides the partition the record is in. */
    String group();
}
