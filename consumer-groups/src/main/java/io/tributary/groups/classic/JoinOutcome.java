package io.tributary.groups.classic;

import io.tributary.protocol.ErrorCode;

import java.util.List;

/**
 * The answer to a JoinGroup, before it is written at the request's version.
 *
 * @param members the members with their metadata for the selected protocol, for the leader only; empty otherwise
 */
public record JoinOutcome(ErrorCode error, String memberId, int generationId, String protocolType, String protocolName,
                          String leaderId, boolean skipAssignment, List<JoinedMember> members) {
    /** A member as the leader sees it. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    public static JoinOutcome error(ErrorCode error, String memberId) {
        return new JoinOutcome(error, memberId, -1, null, null, "", false, List.of());
    }
}
