package io.tributary.clients.routing.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.routing.TopicRouting;
import io.tributary.protocol.routing.RoutingFences;
import io.tributary.protocol.routing.RoutingFences.Growth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decides which of a consumer's partitions of ordered topics it must hold back, and when to release them.
 *
 * <h2>The rule</h2>
 * A partition of generation g >= 1 (added by the g-th growth, see {@link RoutingFences}) is held until the group's
 * committed offset on every partition p older than g ({@code p < before_g}) has reached {@code fence_g[p]}, the end
 * offset p had when generation g was created. A partition whose fence is 0 held nothing before the growth and needs
 * no commit. Once the condition holds for a generation it is remembered as released: committed offsets only move
 * forward under the at-least-once pattern, and if the application moves one back it re-processes records, it does
 * not reorder them.
 *
 * <h2>Why it keeps order</h2>
 * Every record written to a generation-g partition was written after the growth; every record of the same key
 * written before it lies below the fence of the older partition the key mapped to (the broker refuses keys that
 * moved from then on). Committed at or past the fence means processed, so the older records are processed before
 * any newer one is handed out. Over several growths the rule chains: releasing generation 2 needs the generation-1
 * partitions committed past their own fences of growth 2, so generation 1 was released before.
 *
 * <h2>Knowing the fences</h2>
 * Fences come from the broker ({@code routing.fences}); the broker records them before it shows the new partitions
 * in its metadata. So a description read after a partition was assigned covers that partition's generation. This
 * class re-reads the description whenever a partition of a topic lies beyond what the last description covered.
 *
 * <p>Not thread-safe: driven by the consumer's application thread. The broker is reached only through the two
 * functions given, so the rule can be exercised without one.
 */
final class OrderedHold {
    private static final Logger log = LoggerFactory.getLogger(OrderedHold.class);
    private final Function<String, TopicRouting> describe;
    private final Function<Set<TopicPartition>, Map<TopicPartition, Long>> committed;
    private final Map<String, TopicRouting> routing = new HashMap<>();
    /** Per topic: partitions below this are covered by the description read (it was read after they were assigned). */
    private final Map<String, Integer> covered = new HashMap<>();
    private final Map<String, Set<Integer>> releasedGenerations = new HashMap<>();
    private final Set<TopicPartition> held = new LinkedHashSet<>();

    /**
     * @param describe  a topic's routing as a broker sees it now (DescribeConfigs)
     * @param committed the group's committed offsets of the partitions given; a partition without one is absent or maps
     *                  to null
     */
    OrderedHold(Function<String, TopicRouting> describe, Function<Set<TopicPartition>, Map<TopicPartition, Long>> committed) {
        this.describe = describe;
        this.committed = committed;
    }

    /** Partitions the consumer was just given; returns those it must hold (pause). */
    Set<TopicPartition> onAssigned(Collection<TopicPartition> partitions) {
        Map<String, Integer> highest = new HashMap<>();
        partitions.forEach(tp -> highest.merge(tp.topic(), tp.partition(), Math::max));
        highest.forEach(this::routingCovering);
        Set<TopicPartition> newlyHeld = new LinkedHashSet<>();
        for (TopicPartition tp : partitions) {
            TopicRouting r = routing.get(tp.topic());
            if (!r.isOrdered()) {
                continue;
            }
            int generation = r.fences().generationOf(tp.partition());
            if (generation > 0 && !releasedGenerations.getOrDefault(tp.topic(), Set.of()).contains(generation) && held.add(tp)) {
                newlyHeld.add(tp);
            }
        }
        if (!newlyHeld.isEmpty()) {
            log.info("Holding {}: added by growths of ordered topics, released once the group's committed "
                + "offsets reach their fences", newlyHeld);
        }
        return newlyHeld;
    }

    /** Whether the partition was added by a growth of an ordered topic (generation 1 or later); after {@link #onAssigned}. */
    boolean isAdded(TopicPartition tp) {
        TopicRouting r = routing.get(tp.topic());
        return r != null && r.isOrdered() && r.fences().generationOf(tp.partition()) > 0;
    }

    /** Partitions the consumer no longer owns. */
    void onRevoked(Collection<TopicPartition> partitions) {
        held.removeAll(partitions);
    }

    /** The partitions held now. */
    Set<TopicPartition> held() {
        return Set.copyOf(held);
    }

    boolean isHolding() {
        return !held.isEmpty();
    }

    /**
     * Reads the committed offsets the held partitions wait for (one request) and returns the partitions whose
     * generation may now be released; they are no longer held.
     */
    Set<TopicPartition> release() {
        if (held.isEmpty()) {
            return Set.of();
        }
        Map<String, Set<Integer>> waiting = new LinkedHashMap<>();
        for (TopicPartition tp : held) {
            waiting.computeIfAbsent(tp.topic(), t -> new LinkedHashSet<>())
                .add(routing.get(tp.topic()).fences().generationOf(tp.partition()));
        }
        Set<TopicPartition> needed = new HashSet<>();
        waiting.forEach((topic, generations) -> {
            for (int g : generations) {
                Growth growth = routing.get(topic).fences().growthOf(g);
                for (int p = 0; p < growth.partitionsBefore(); p++) {
                    if (growth.fenceOffset(p) > 0) {
                        needed.add(new TopicPartition(topic, p));
                    }
                }
            }
        });
        Map<TopicPartition, Long> offsets = needed.isEmpty() ? Map.of() : committed.apply(needed);
        Set<TopicPartition> released = new LinkedHashSet<>();
        waiting.forEach((topic, generations) -> {
            for (int g : generations) {
                Growth growth = routing.get(topic).fences().growthOf(g);
                if (reachedFences(topic, growth, offsets)) {
                    log.info("Releasing generation {} of ordered topic {}: the group's committed offsets {} "
                        + "reached its fences {}", g, topic, offsets, growth);
                    releasedGenerations.computeIfAbsent(topic, t -> new HashSet<>()).add(g);
                }
            }
        });
        held.removeIf(tp -> {
            boolean free = releasedGenerations.getOrDefault(tp.topic(), Set.of())
                .contains(routing.get(tp.topic()).fences().generationOf(tp.partition()));
            if (free) {
                released.add(tp);
            }
            return free;
        });
        return released;
    }

    private static boolean reachedFences(String topic, Growth growth, Map<TopicPartition, Long> offsets) {
        for (int p = 0; p < growth.partitionsBefore(); p++) {
            long fence = growth.fenceOffset(p);
            if (fence == 0) {
                continue;
            }
            Long at = offsets.get(new TopicPartition(topic, p));
            if (at == null || at < fence) {
                return false;
            }
        }
        return true;
    }

    /** Reads the topic's routing unless the last description already covers {@code partition}'s generation. */
    private void routingCovering(String topic, int partition) {
        TopicRouting r = routing.get(topic);
        if (r == null || (r.isOrdered() && partition >= covered.getOrDefault(topic, 0))) {
            r = describe.apply(topic);
            routing.put(topic, r);
            List<Growth> growths = r.fences().growths();
            int byFences = growths.isEmpty() ? 0 : growths.get(growths.size() - 1).partitionsAfter();
            covered.merge(topic, Math.max(byFences, partition + 1), Math::max);
        }
    }
}
