package io.tributary.clients.admin;

/**
 * A group as ListGroups shows it.
 *
 * @param protocolType "consumer" for consumer groups, "" for groups that only store offsets
 * @param state        UNKNOWN when the broker does not report states (ListGroups before v4)
 * @param type         "classic" or "consumer" (ListGroups v5+), or "" when not reported
 */
public record GroupListing(String groupId, String protocolType, GroupState state, String type) {
}
