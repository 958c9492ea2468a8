/**
 * Key routing shared by the broker and the clients: which partition a keyed record belongs to.
 *
 * <ul>
 *   <li>{@link io.tributary.protocol.routing.Murmur2}: Kafka's key hash, bit for bit;</li>
 *   <li>{@link io.tributary.protocol.routing.JumpHash}: Lamping and Veach's jump consistent hash;</li>
 *   <li>{@link io.tributary.protocol.routing.RoutingMode}: the two placements a topic can have ({@code routing.mode}
 *       hash or ordered);</li>
 *   <li>{@link io.tributary.protocol.routing.RoutingFences}: an ordered topic's growth history and its text form
 *       ({@code routing.fences}), which consumers read to hold new partitions until the old ones are done.</li>
 * </ul>
 * Pure functions and values: no I/O, no threads. docs/ROUTING.md states the guarantee they serve.
 */
package io.tributary.protocol.routing;
