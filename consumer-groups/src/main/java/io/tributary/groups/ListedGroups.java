package io.tributary.groups;

import java.util.List;

/**
 * The answer to ListGroups: the groups of every partition coordinated here, or a refusal
 * (COORDINATOR_LOAD_IN_PROGRESS while one of them loads) with no groups.
 */
public record ListedGroups(GroupError error, List<Group> groups) {
    public ListedGroups {
        groups = List.copyOf(groups);
    }

    /** @param state Kafka's name of the group state */
    public record Group(String groupId, String protocolType, String state) {
    }
}
