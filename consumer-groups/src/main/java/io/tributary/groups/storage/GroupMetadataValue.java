package io.tributary.groups.storage;

import java.util.List;

/**
 * A classic group's membership as of its last completed rebalance (or as it became empty), as stored in
 * {@code __consumer_offsets}: Kafka's {@code GroupMetadataValue}.
 *
 * @param protocolType           "consumer" for Kafka consumers; "" for a group that never had members
 * @param generation             the generation these members belong to
 * @param protocol               the selected protocol (assignor name), null when the group is empty
 * @param leader                 the leader's member id, null when the group is empty
 * @param currentStateTimestamp  when the group entered its current state, -1 if unknown (value version 2+)
 * @param members                the members with their subscription and assignment
 */
public record GroupMetadataValue(String protocolType, int generation, String protocol, String leader,
                                 long currentStateTimestamp, List<MemberMetadata> members) {
    public GroupMetadataValue {
        if (protocolType == null) {
            throw new IllegalArgumentException("Group metadata protocol type cannot be null; use \"\"");
        }
        members = List.copyOf(members);
    }
}
