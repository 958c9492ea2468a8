package io.tributary.groups;

/**
 * Why the coordinator refused (part of) a request, in the coordinator's own terms. Every value is one of
 * Kafka's error kinds for the group APIs and keeps its name, so the broker's wire layer maps each onto exactly
 * one Kafka error code ({@code server.group}); which code an old API version gets instead is decided there,
 * not here. {@link #NONE} is success.
 */
public enum GroupError {
    NONE,
    /** The group's partition is not coordinated here (or the coordinator stopped); look it up again. */
    NOT_COORDINATOR,
    /** The group's partition is still being loaded. */
    COORDINATOR_LOAD_IN_PROGRESS,
    /** The group is being deleted or unloaded, or no coordinator runs for its partition. */
    COORDINATOR_NOT_AVAILABLE,
    INVALID_GROUP_ID,
    GROUP_ID_NOT_FOUND,
    INVALID_SESSION_TIMEOUT,
    UNKNOWN_MEMBER_ID,
    /** A first join that must come back with the member id it is given (KIP-394). */
    MEMBER_ID_REQUIRED,
    /** Another member now holds this group instance id (static membership). */
    FENCED_INSTANCE_ID,
    ILLEGAL_GENERATION,
    INCONSISTENT_GROUP_PROTOCOL,
    GROUP_MAX_SIZE_REACHED,
    REBALANCE_IN_PROGRESS,
    NON_EMPTY_GROUP,
    GROUP_SUBSCRIBED_TO_TOPIC,
    UNKNOWN_TOPIC_OR_PARTITION,
    UNKNOWN_TOPIC_ID,
    OFFSET_METADATA_TOO_LARGE,
    /** Commit records too large for {@code __consumer_offsets}. */
    INVALID_COMMIT_OFFSET_SIZE,
    /** A transactional commit of this partition's offset is pending (OffsetFetch with require_stable waits). */
    UNSTABLE_OFFSET_COMMIT,
    UNKNOWN_SERVER_ERROR
}
