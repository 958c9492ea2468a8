package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;

import java.util.List;

/**
 * One member of a described group.
 *
 * @param groupInstanceId the static member id, or null
 * @param host            the client's address as the coordinator saw it ("/127.0.0.1")
 * @param assignment      the partitions assigned to it, decoded from its consumer-protocol assignment; empty
 *                        while the group rebalances, or for groups of another protocol type
 */
public record MemberDescription(String memberId, String groupInstanceId, String clientId, String host,
                                List<TopicPartition> assignment) {
    public MemberDescription {
        assignment = List.copyOf(assignment);
    }
}
