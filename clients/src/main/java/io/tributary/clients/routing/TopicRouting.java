package io.tributary.clients.routing;

import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingMode;

import java.util.Objects;

/**
 * How one topic routes keys, as a broker described it: its {@code routing.mode} and, for an ordered topic, its
 * growth fences ({@code routing.fences}). A broker that knows neither key (Apache Kafka) describes every topic as
 * {@link RoutingMode#HASH} without fences.
 *
 * @param topic  the topic's name
 * @param mode   the topic's routing mode; fixed when the topic was created
 * @param fences the growths the broker had recorded when it answered; always empty for hash topics
 */
public record TopicRouting(String topic, RoutingMode mode, RoutingFences fences) {
    public TopicRouting {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(fences, "fences");
    }

    public boolean isOrdered() {
        return mode == RoutingMode.ORDERED;
    }
}
