/**
 * Consuming ordered topics and filtering: {@link io.tributary.clients.routing.consumer.RoutingConsumer} over the
 * group consumer, the hold's rule ({@code OrderedHold}), and {@link io.tributary.clients.routing.consumer.RecordFilter}.
 */
package io.tributary.clients.routing.consumer;
