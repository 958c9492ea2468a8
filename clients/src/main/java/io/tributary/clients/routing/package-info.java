/**
 * The client side of Tributary's routing layer (docs/ROUTING.md).
 *
 * <ul>
 * <li>this package: what a broker says about a topic's routing ({@link io.tributary.clients.routing.TopicRouting},
 *     {@link io.tributary.clients.routing.TopicRoutingLookup}), AMQP-style routing-key patterns
 *     ({@link io.tributary.clients.routing.RoutingKeyPattern}) and the header names the layer uses;</li>
 * <li>{@code consumer}: {@code RoutingConsumer}, a group member that holds the partitions an ordered topic's growth
 *     added until the group has processed what came before them, and filters records;</li>
 * <li>{@code exchange}: bindings (direct, topic pattern, fanout) and {@code RoutingProducer};</li>
 * <li>{@code retry}: retries with backoff and dead-letter topics around a record handler.</li>
 * </ul>
 * Ordered placement and re-routing after a growth live in the producer itself
 * ({@code io.tributary.clients.producer}: {@code TopicModes}, {@code OrderedTopic}, {@code Rerouter}), since they work
 * on its batches and sequences.
 */
package io.tributary.clients.routing;
