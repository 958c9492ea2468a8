package io.tributary.clients.consumer.assignor;

/**
 * How members hand partitions over in a rebalance (KIP-429).
 *
 * <p>{@link #EAGER}: every member gives up all its partitions before it rejoins, so nothing is consumed during
 * a rebalance. {@link #COOPERATIVE}: members keep their partitions while they rejoin; a partition that moves is
 * first revoked by its owner (who then rejoins) and assigned to its new owner in a second rebalance. A group
 * uses cooperative rebalancing only when every assignor a consumer is configured with supports it, as Kafka's
 * consumer decides.
 */
public enum RebalanceProtocol {
    EAGER,
    COOPERATIVE
}
