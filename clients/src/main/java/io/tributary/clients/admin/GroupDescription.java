package io.tributary.clients.admin;

import io.tributary.protocol.Node;

import java.util.List;

/**
 * A group as DescribeGroups answers.
 *
 * @param protocolType "consumer" for consumer groups, "" for groups that only store offsets
 * @param protocol     the protocol chosen for the current generation (the assignor: "range", ...), or ""
 * @param coordinator  the broker coordinating the group
 */
public record GroupDescription(String groupId, GroupState state, String protocolType, String protocol,
                               List<MemberDescription> members, Node coordinator) {
    public GroupDescription {
        members = List.copyOf(members);
    }

    /** Whether the group has no members (Empty or Dead): the state in which offsets may be reset or deleted. */
    public boolean isInactive() {
        return state == GroupState.EMPTY || state == GroupState.DEAD;
    }
}
