package io.tributary.groups;

import java.util.List;

/**
 * The answer to a JoinGroup.
 *
 * @param members the members with their metadata for the selected protocol, for the leader only; empty otherwise
 * @param protocolType null when the request failed before the group was looked at
 * @param protocolName null when no protocol is selected (an error, or an empty group)
 */
public record JoinOutcome(GroupError error, String memberId, int generationId, String protocolType, String protocolName,
                          String leaderId, boolean skipAssignment, List<JoinedMember> members) {
    /** A member as the leader sees it. */
    public record JoinedMember(String memberId, String groupInstanceId, byte[] metadata) {
    }

    public static JoinOutcome error(GroupError error, String memberId) {
        return new JoinOutcome(error, memberId, -1, null, null, "", false, List.of());
    }
}
