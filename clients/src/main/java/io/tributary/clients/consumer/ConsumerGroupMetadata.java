package io.tributary.clients.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * What a transactional producer needs to know about a consumer's group membership to commit offsets inside a
 * transaction ({@code TributaryProducer.sendOffsetsToTransaction}): the group, and the generation and member id
 * the consumer holds, so the group coordinator refuses offsets from a member that was fenced by a rebalance
 * (KIP-447). Kafka's class of the same name; {@link TributaryConsumer#groupMetadata()} gives the current one.
 *
 * @param groupId         the group id
 * @param generationId    -1 when the consumer is not a member (or uses assign), which skips the generation check
 * @param memberId        "" when not a member
 * @param groupInstanceId the static member id, if any
 */
public record ConsumerGroupMetadata(String groupId, int generationId, String memberId, Optional<String> groupInstanceId) {
    public ConsumerGroupMetadata {
        Objects.requireNonNull(groupId, "groupId");
        memberId = memberId == null ? "" : memberId;
        groupInstanceId = groupInstanceId == null ? Optional.empty() : groupInstanceId;
    }

    /** A group with no membership to check: offsets are committed for {@code groupId} unconditionally. */
    public ConsumerGroupMetadata(String groupId) {
        this(groupId, -1, "", Optional.empty());
    }
}
