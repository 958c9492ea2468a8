package io.tributary.server.replica;

import io.tributary.protocol.Node;

import java.util.Optional;

/**
 * The live brokers as the metadata knows them: how this broker reaches another one (its endpoint on the
 * inter-broker listener, for follower fetchers) and what a client is told to use (its endpoint on the
 * listener the client came in on, for NOT_LEADER_OR_FOLLOWER's current leader and node endpoints).
 */
public interface BrokerDirectory {
    /** The broker's endpoint on the given listener; empty when the broker is unknown or fenced. */
    Optional<Node> endpoint(int brokerId, String listenerName);

    /** The broker's endpoint on the inter-broker listener. */
    Optional<Node> interBrokerEndpoint(int brokerId);
}
