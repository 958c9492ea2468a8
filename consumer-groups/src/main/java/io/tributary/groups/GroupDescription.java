package io.tributary.groups;

import java.util.List;

/**
 * A group as DescribeGroups shows it. {@code error} is a refusal to look (not coordinated here, loading);
 * an unknown group is not an error here but {@code exists == false}, state "Dead".
 *
 * @param state        Kafka's name of the group state ("Stable", ...)
 * @param protocolData the selected protocol while Stable, "" otherwise
 */
public record GroupDescription(GroupError error, String groupId, boolean exists, String state, String protocolType,
                               String protocolData, List<Member> members) {
    public GroupDescription {
        members = List.copyOf(members);
    }

    public static GroupDescription refused(String groupId, GroupError error) {
        return new GroupDescription(error, groupId, false, "", "", "", List.of());
    }

    /** A member; metadata and assignment only while the group is Stable (empty otherwise). */
    public record Member(String memberId, String groupInstanceId, String clientId, String clientHost, byte[] metadata,
                         byte[] assignment) {
    }
}
