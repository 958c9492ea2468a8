/**
 * Tributary's consumer: {@link io.tributary.clients.consumer.TributaryConsumer}, its records, commits and
 * rebalance listener, with Kafka's API shape and configuration keys ({@link io.tributary.clients.consumer.ConsumerConfig}).
 *
 * <p>Sub-packages by feature: {@code assignor} (the consumer protocol's encoding and the four assignors, named
 * as Kafka's so mixed groups agree), {@code group} (classic group membership, heartbeats, commits),
 * {@code fetch} (pipelined fetches, decoding records from the response buffer, ListOffsets), {@code state}
 * (subscription, positions, pause, resets).
 */
package io.tributary.clients.consumer;
