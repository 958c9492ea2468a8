package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord.RoutingFence;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * One topic in the image: its id and name, its config overrides (key -> value), its partitions by index (0..n-1,
 * created in order), and for an ordered topic the routing fences of its growths, oldest first.
 */
public record TopicImage(UUID topicId, String name, Map<String, String> configs, List<PartitionState> partitions,
                         List<RoutingFence> growths) {
    public TopicImage {
        configs = Collections.unmodifiableMap(new TreeMap<>(configs));
        partitions = List.copyOf(partitions);
        growths = List.copyOf(growths);
    }

    static TopicImage created(UUID topicId, String name) {
        return new TopicImage(topicId, name, Map.of(), List.of(), List.of());
    }

    /** Partition {@code index}, or null. */
    public PartitionState partition(int index) {
        return index >= 0 && index < partitions.size() ? partitions.get(index) : null;
    }

    TopicImage withConfig(String key, String value) {
        Map<String, String> next = new TreeMap<>(configs);
        if (value == null) {
            next.remove(key);
        } else {
            next.put(key, value);
        }
        return new TopicImage(topicId, name, next, partitions, growths);
    }

    TopicImage withPartition(int index, PartitionState state) {
        List<PartitionState> next = new ArrayList<>(partitions);
        if (index == partitions.size()) {
            next.add(state);
        } else {
            next.set(index, state);
        }
        return new TopicImage(topicId, name, configs, next, growths);
    }

    TopicImage withGrowth(RoutingFence growth) {
        List<RoutingFence> next = new ArrayList<>(growths);
        next.add(growth);
        return new TopicImage(topicId, name, configs, partitions, next);
    }
}
