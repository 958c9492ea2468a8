package io.tributary.groups;

import java.util.List;

/**
 * A member asking to join a group (Kafka's JoinGroup, decoded).
 *
 * @param memberId             "" for a member joining for the first time
 * @param groupInstanceId      null for a dynamic member; the static member's stable identity otherwise
 * @param clientId             the client's id; a new dynamic member's id starts with it
 * @param clientHost           the client's address as DescribeGroups shows it, e.g. "/127.0.0.1"
 * @param rebalanceTimeoutMs   how long the group waits for this member to rejoin in a rebalance
 * @param protocols            in the member's order of preference; the bytes are copies the coordinator keeps
 * @param requiresKnownMemberId a first join of a dynamic member is answered MEMBER_ID_REQUIRED with the id it
 *                             must come back with (KIP-394), rather than being added at once
 * @param leaderMaySkipAssignment a static leader rejoining a Stable group may be told to skip the assignment
 *                             (it gets no member list either way)
 */
public record JoinGroup(String groupId, String memberId, String groupInstanceId, String clientId, String clientHost,
                        int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                        boolean requiresKnownMemberId, boolean leaderMaySkipAssignment) {
    public JoinGroup {
        memberId = memberId == null ? "" : memberId;
        clientId = clientId == null ? "" : clientId;
        clientHost = clientHost == null ? "" : clientHost;
        protocolType = protocolType == null ? "" : protocolType;
        protocols = List.copyOf(protocols);
    }
}
