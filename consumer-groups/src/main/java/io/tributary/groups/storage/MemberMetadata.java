package io.tributary.groups.storage;

import java.util.Arrays;

/**
 * One member as stored in a {@link GroupMetadataValue}: Kafka's {@code GroupMetadataValue.MemberMetadata}.
 * The subscription is the member's metadata for the group's selected protocol; both byte arrays are owned
 * by this record and never modified.
 */
public record MemberMetadata(String memberId, String groupInstanceId, String clientId, String clientHost,
                             int rebalanceTimeoutMs, int sessionTimeoutMs, byte[] subscription, byte[] assignment) {
    public MemberMetadata {
        if (memberId == null || clientId == null || clientHost == null || subscription == null || assignment == null) {
            throw new IllegalArgumentException("Member metadata of " + memberId + " has a null field that is not nullable");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MemberMetadata m && memberId.equals(m.memberId)
            && java.util.Objects.equals(groupInstanceId, m.groupInstanceId) && clientId.equals(m.clientId)
            && clientHost.equals(m.clientHost) && rebalanceTimeoutMs == m.rebalanceTimeoutMs
            && sessionTimeoutMs == m.sessionTimeoutMs && Arrays.equals(subscription, m.subscription)
            && Arrays.equals(assignment, m.assignment);
    }

    @Override
    public int hashCode() {
        return 31 * memberId.hashCode() + Arrays.hashCode(assignment);
    }

    @Override
    public String toString() {
        return "MemberMetadata{" + memberId + ", instance=" + groupInstanceId + ", client=" + clientId + "/" + clientHost
            + ", rebalanceTimeoutMs=" + rebalanceTimeoutMs + ", sessionTimeoutMs=" + sessionTimeoutMs
            + ", subscription=" + subscription.length + "B, assignment=" + assignment.length + "B}";
    }
}
