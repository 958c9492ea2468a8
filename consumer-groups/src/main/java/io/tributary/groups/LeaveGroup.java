package io.tributary.groups;

import java.util.List;

/** Members leaving a group (Kafka's LeaveGroup, decoded): themselves, or removed by an administrator. */
public record LeaveGroup(String groupId, List<Leaving> members) {
    public LeaveGroup {
        members = List.copyOf(members);
    }

    /**
     * One member: by member id, or by group instance id alone (memberId "") for an administrative removal of a
     * static member.
     */
    public record Leaving(String memberId, String groupInstanceId) {
        public Leaving {
            memberId = memberId == null ? "" : memberId;
        }
    }
}
