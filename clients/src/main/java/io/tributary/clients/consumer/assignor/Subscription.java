package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * What one member of a consumer group tells the leader when it joins: the topics it wants, the partitions it
 * owns now and in which generation, an assignor's opaque user data, and its rack. Encoded by
 * {@link ConsumerProtocol} as Kafka's {@code ConsumerProtocolSubscription}.
 *
 * @param topics          the topics to consume, never null
 * @param userData        an assignor's own data, or null; read-only, its position is not moved by this code
 * @param ownedPartitions the partitions the member owns (empty under eager rebalancing, which revokes first)
 * @param generationId    the generation in which it got them, or {@link #NO_GENERATION}
 * @param rackId          the member's rack ({@code client.rack}), or null
 * @param groupInstanceId the member's static id, or null; not encoded (the coordinator tells it to the leader
 *                        in the JoinGroup response), it orders members as Kafka's assignors do
 */
public record Subscription(List<String> topics, ByteBuffer userData, List<TopicPartition> ownedPartitions,
                           int generationId, String rackId, String groupInstanceId) {
    public static final int NO_GENERATION = -1;

    public Subscription {
        topics = List.copyOf(topics);
        ownedPartitions = List.copyOf(ownedPartitions);
        userData = userData == null ? null : userData.asReadOnlyBuffer();
    }

    public Subscription(List<String> topics) {
        this(topics, null, List.of(), NO_GENERATION, null, null);
    }

    public Subscription(List<String> topics, ByteBuffer userData) {
        this(topics, userData, List.of(), NO_GENERATION, null, null);
    }

    /** This subscription as the leader sees it, with the member's static id filled in. */
    public Subscription withGroupInstanceId(String groupInstanceId) {
        return new Subscription(topics, userData, ownedPartitions, generationId, rackId, groupInstanceId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Subscription other && topics.equals(other.topics) && Objects.equals(userData, other.userData)
            && ownedPartitions.equals(other.ownedPartitions) && generationId == other.generationId
            && Objects.equals(rackId, other.rackId) && Objects.equals(groupInstanceId, other.groupInstanceId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topics, userData, ownedPartitions, generationId, rackId, groupInstanceId);
    }

    @Override
    public String toString() {
        return "Subscription(topics=" + topics + ", ownedPartitions=" + ownedPartitions + ", generationId=" + generationId
            + ", userData=" + (userData == null ? "null" : userData.remaining() + " bytes") + ", rackId=" + rackId
            + ", groupInstanceId=" + groupInstanceId + ")";
    }
}
