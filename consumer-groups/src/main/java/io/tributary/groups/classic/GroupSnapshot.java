package io.tributary.groups.classic;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A copy of a group's state at one moment, for tests, tools and invariant checks; never used to decide
 * anything. Offsets are committed offsets by topic and partition.
 */
public record GroupSnapshot(String groupId, GroupState state, int generationId, String protocolType, String protocolName,
                            String leaderId, List<Member> members, Set<String> pendingSyncMembers, int pendingMembers,
                            Map<String, Map<Integer, Long>> offsets) {
    public GroupSnapshot {
        members = List.copyOf(members);
        pendingSyncMembers = Set.copyOf(pendingSyncMembers);
        offsets = Map.copyOf(offsets);
    }

    public record Member(String memberId, String groupInstanceId, int sessionTimeoutMs, int rebalanceTimeoutMs,
                         byte[] assignment, boolean awaitingJoin, boolean awaitingSync) {
    }

    public Member member(String memberId) {
        for (Member m : members) {
            if (m.memberId().equals(memberId)) {
                return m;
            }
        }
        return null;
    }

    public Long offset(String topic, int partition) {
        Map<Integer, Long> byPartition = offsets.get(topic);
        return byPartition == null ? null : byPartition.get(partition);
    }
}
