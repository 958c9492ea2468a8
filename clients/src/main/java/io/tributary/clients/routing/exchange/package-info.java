/**
 * Exchange-style routing over the producer: {@link io.tributary.clients.routing.exchange.Binding}s from routing keys to
 * topics, kept in {@link io.tributary.clients.routing.exchange.Bindings} (with a file format), applied by
 * {@link io.tributary.clients.routing.exchange.RoutingProducer}.
 */
package io.tributary.clients.routing.exchange;
