package io.tributary.server.group;

import io.tributary.groups.GroupError;
import io.tributary.protocol.ErrorCode;

/**
 * The Kafka error code of each {@link GroupError}: one code per error, the one Kafka's group coordinator
 * answers with in the same situation. No group API version needs another code for any of them today; a
 * version that did would decide that where its response is written ({@link GroupCoordinatorAdapter}).
 */
public final class GroupErrors {
    private GroupErrors() {
    }

    public static ErrorCode code(GroupError error) {
        return switch (error) {
            case NONE -> ErrorCode.NONE;
            case NOT_COORDINATOR -> ErrorCode.NOT_COORDINATOR;
            case COORDINATOR_LOAD_IN_PROGRESS -> ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
            case COORDINATOR_NOT_AVAILABLE -> ErrorCode.COORDINATOR_NOT_AVAILABLE;
            case INVALID_GROUP_ID -> ErrorCode.INVALID_GROUP_ID;
            case GROUP_ID_NOT_FOUND -> ErrorCode.GROUP_ID_NOT_FOUND;
            case INVALID_SESSION_TIMEOUT -> ErrorCode.INVALID_SESSION_TIMEOUT;
            case UNKNOWN_MEMBER_ID -> ErrorCode.UNKNOWN_MEMBER_ID;
            case MEMBER_ID_REQUIRED -> ErrorCode.MEMBER_ID_REQUIRED;
            case FENCED_INSTANCE_ID -> ErrorCode.FENCED_INSTANCE_ID;
            case ILLEGAL_GENERATION -> ErrorCode.ILLEGAL_GENERATION;
            case INCONSISTENT_GROUP_PROTOCOL -> ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
            case GROUP_MAX_SIZE_REACHED -> ErrorCode.GROUP_MAX_SIZE_REACHED;
            case REBALANCE_IN_PROGRESS -> ErrorCode.REBALANCE_IN_PROGRESS;
            case NON_EMPTY_GROUP -> ErrorCode.NON_EMPTY_GROUP;
            case GROUP_SUBSCRIBED_TO_TOPIC -> ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC;
            case UNKNOWN_TOPIC_OR_PARTITION -> ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
            case UNKNOWN_TOPIC_ID -> ErrorCode.UNKNOWN_TOPIC_ID;
            case OFFSET_METADATA_TOO_LARGE -> ErrorCode.OFFSET_METADATA_TOO_LARGE;
            case INVALID_COMMIT_OFFSET_SIZE -> ErrorCode.INVALID_COMMIT_OFFSET_SIZE;
            case UNSTABLE_OFFSET_COMMIT -> ErrorCode.UNSTABLE_OFFSET_COMMIT;
            case UNKNOWN_SERVER_ERROR -> ErrorCode.UNKNOWN_SERVER_ERROR;
        };
    }

    static short wire(GroupError error) {
        return code(error).code();
    }
}
