package io.tributary.clients.producer;

import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.RetriableException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.routing.TopicRouting;
import io.tributary.clients.routing.TopicRoutingLookup;
import io.tributary.protocol.routing.RoutingMode;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Which topics the producer writes are ordered: each topic's {@code routing.mode}, asked of a broker with
 * DescribeConfigs the first time the producer sends to the topic, and kept for the topic's id (the mode is fixed
 * at creation; a topic deleted and created again under the same name is asked again). Ordered topics get an
 * {@link OrderedTopic}.
 *
 * <p>Design note: a producer config listing the ordered topics (as the plug-in for Kafka's producer has) would
 * avoid one request per topic, but a wrong list means refused records or lost order; asking the broker cannot be
 * wrong, costs one round trip per topic per producer, and needs no configuration.
 */
final class TopicModes {
    private record Known(UUID topicId, RoutingMode mode, OrderedTopic ordered) {
    }

    private final TopicRoutingLookup lookup;
    private final Metadata metadata;
    private final long retryBackoffMs;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();

    TopicModes(TopicRoutingLookup lookup, Metadata metadata, long retryBackoffMs) {
        this.lookup = lookup;
        this.metadata = metadata;
        this.retryBackoffMs = Math.max(1, retryBackoffMs);
    }

    /**
     * The topic's bookkeeping if it is ordered, null if it routes by hash; asks a broker (blocking, until
     * {@code deadlineNanos}) the first time.
     *
     * @throws TimeoutException when no broker answered in time
     */
    OrderedTopic orderedOrNull(String topic, Cluster cluster, long deadlineNanos) {
        UUID id = cluster.topicId(topic);
        Known k = known.get(topic);
        if (k != null && (id == null || id.equals(k.topicId))) {
            return k.ordered;
        }
        if (k != null && k.topicId == null) {
            // Learned before the metadata carried the topic's id: the same topic, its bookkeeping must stay.
            known.replace(topic, k, new Known(id, k.mode, k.ordered));
            return k.ordered;
        }
        RoutingMode mode = ask(topic, deadlineNanos);
        Known fresh = new Known(id, mode, mode == RoutingMode.ORDERED ? new OrderedTopic(topic) : null);
        Known kept = known.merge(topic, fresh, (old, now) -> old.topicId != null && old.topicId.equals(now.topicId) ? old : now);
        return kept.ordered;
    }

    private RoutingMode ask(String topic, long deadlineNanos) {
        TributaryException last = null;
        while (true) {
            long remaining = deadlineNanos - System.nanoTime();
            if (remaining <= 0) {
                throw new TimeoutException("The routing mode of topic " + topic + " was not learned within max.block.ms"
                    + (last == null ? "" : "; last error: " + last.getMessage()), last);
            }
            try {
                TopicRouting routing = lookup.lookup(topic).get(remaining, TimeUnit.NANOSECONDS);
                return routing.mode();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException retriable)) {
                    throw e.getCause() instanceof TributaryException t ? t
                        : new TributaryException("Describing the routing of topic " + topic + " failed: " + e.getCause(), e.getCause());
                }
                last = retriable;
                metadata.requestUpdate();
                sleep(Math.min(retryBackoffMs, TimeUnit.NANOSECONDS.toMillis(Math.max(0, deadlineNanos - System.nanoTime())) + 1), topic);
            } catch (java.util.concurrent.TimeoutException e) {
                // the loop reports it
            } catch (InterruptedException e) {
                throw new InterruptException("Interrupted while learning the routing mode of " + topic, e);
            }
        }
    }

    private static void sleep(long ms, String topic) {
        try {
            // Backoff between lookups of a topic a broker does not know yet; not a synchronisation.
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while learning the routing mode of " + topic, e);
        }
    }
}
