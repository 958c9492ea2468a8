package io.tributary.clients.admin;

import io.tributary.clients.errors.ApiException;
import io.tributary.protocol.ErrorCode;

/** The coordinator knows no group of that id (GROUP_ID_NOT_FOUND): it never existed or was deleted. */
public final class GroupIdNotFoundException extends ApiException {
    private final String groupId;
    private final String brokerMessage;

    GroupIdNotFoundException(String groupId, String message, String brokerMessage) {
        super(ErrorCode.GROUP_ID_NOT_FOUND, message);
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
