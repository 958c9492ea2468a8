package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;

import java.util.Collection;

/**
 * Told when the group moves partitions to or from this consumer, on the application thread, inside
 * {@code poll} (or {@code close}/{@code unsubscribe}). A typical use commits offsets of revoked partitions.
 *
 * <p>Eager rebalancing revokes every partition before each rebalance and then assigns the new set; cooperative
 * rebalancing revokes and assigns only the partitions that change.
 */
public interface ConsumerRebalanceListener {
    /** Partitions this consumer gives up; it still owns them during the call, so it may commit for them. */
    void onPartitionsRevoked(Collection<TopicPartition> partitions);

    /** Partitions this consumer now owns (under cooperative rebalancing, only the new ones; possibly none). */
    void onPartitionsAssigned(Collection<TopicPartition> partitions);

    /**
     * Partitions this consumer lost without a chance to commit (its membership expired or was fenced): other
     * members may already own them. By default, the same as a revocation.
     */
    default void onPartitionsLost(Collection<TopicPartition> partitions) {
        onPartitionsRevoked(partitions);
    }

    ConsumerRebalanceListener NONE = new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }
    };
}
