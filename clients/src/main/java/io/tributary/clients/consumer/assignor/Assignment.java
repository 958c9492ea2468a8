package io.tributary.clients.consumer.assignor;

import io.tributary.protocol.TopicPartition;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The partitions the leader gives one member, with an assignor's opaque user data. Encoded by
 * {@link ConsumerProtocol} as Kafka's {@code ConsumerProtocolAssignment}.
 *
 * @param partitions in the assignor's order (the encoding groups them by topic, in order of first appearance)
 * @param userData   read-only, or null
 */
public record Assignment(List<TopicPartition> partitions, ByteBuffer userData) {
    public Assignment {
        partitions = List.copyOf(partitions);
        userData = userData == null ? null : userData.asReadOnlyBuffer();
    }

    public Assignment(List<TopicPartition> partitions) {
        this(partitions, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment other && partitions.equals(other.partitions) && Objects.equals(userData, other.userData);
    }

    @Override
    public int hashCode() {
        return Objects.hash(partitions, userData);
    }

    @Override
    public String toString() {
        return "Assignment(partitions=" + partitions + ", userData="
            + (userData == null ? "null" : userData.remaining() + " bytes") + ")";
    }
}
