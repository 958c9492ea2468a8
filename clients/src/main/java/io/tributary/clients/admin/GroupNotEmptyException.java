package io.tributary.clients.admin;

import io.tributary.clients.errors.ApiException;
import io.tributary.protocol.ErrorCode;

/**
 * The operation needs a group without active members: deleting it (NON_EMPTY_GROUP), deleting offsets of a
 * topic it consumes, or committing offsets as the admin does (generation -1, no member id), which a group
 * with members refuses with UNKNOWN_MEMBER_ID. {@link #errorCode()} is the code the coordinator answered.
 */
public final class GroupNotEmptyException extends ApiException {
    private final String groupId;
    private final String brokerMessage;

    GroupNotEmptyException(ErrorCode code, String groupId, String message, String brokerMessage) {
        super(code, message);
        this.groupId = groupId;
        this.brokerMessage = brokerMessage;
    }

    public String groupId() {
        return groupId;
    }

    /** What the broker said, or null if it said nothing beyond the code. */
    public String brokerMessage() {
        return brokerMessage;
    }
}
