package io.tributary.groups.classic;

import io.tributary.protocol.ErrorCode;

/** The answer to a SyncGroup, before it is written at the request's version. */
public record SyncOutcome(ErrorCode error, String protocolType, String protocolName, byte[] assignment) {
    public static SyncOutcome error(ErrorCode error) {
        return new SyncOutcome(error, null, null, GroupMember.NO_ASSIGNMENT);
    }
}
