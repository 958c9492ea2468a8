package io.tributary.kafka.partitioner;

import io.tributary.protocol.routing.RoutingMode;
import org.apache.kafka.clients.producer.Partitioner;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.config.ConfigException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Partitioner} for Apache Kafka's producer that places keyed records of Tributary's ordered topics
 * ({@code routing.mode=ordered}) where the broker expects them: {@code JumpHash(unsigned murmur2(key), partitions)},
 * the function Tributary's own producer uses. Set it with {@code partitioner.class=}this class.
 *
 * <p>Which topics are ordered: {@value #ORDERED_TOPICS_CONFIG}, a comma-separated list of topic names, or "*" (the
 * default) for every topic this producer writes. Keyed records of other topics go where Kafka's default
 * partitioner puts them ({@code toPositive(murmur2(key)) % partitions}), so the plug-in can be set on a producer
 * that writes both kinds.
 *
 * <p>Records without a key take the available partitions in turn, per topic (Kafka's built-in sticky placement is
 * not open to a plug-in: the producer uses it only when no partitioner is set).
 *
 * <p>What this does not give (docs/ROUTING.md): the broker refuses a keyed record routed with a partition count
 * older than the topic's, answering NOT_LEADER_OR_FOLLOWER. Kafka's producer then refreshes its metadata — records
 * sent from then on are placed with the new count — but retries the refused batch on the same partition until
 * {@code delivery.timeout.ms}, and fails it with a TimeoutException; the application must send those records again.
 * And Kafka's consumer does not hold new partitions until the old ones are consumed up to their fences, so per-key
 * order across a growth holds only with Tributary's consumer.
 */
public final class OrderedPartitioner implements Partitioner {
    /** The producer config naming the ordered topics: "*" (the default) or a comma-separated list. */
    public static final String ORDERED_TOPICS_CONFIG = "tributary.ordered.topics";
    private static final String ALL = "*";

    private Set<String> orderedTopics;
    private final Map<String, AtomicInteger> keylessTurns = new ConcurrentHashMap<>();

    @Override
    public void configure(Map<String, ?> configs) {
        Object value = configs.get(ORDERED_TOPICS_CONFIG);
        if (value == null) {
            orderedTopics = null;
            return;
        }
        List<String> names = new ArrayList<>();
        if (value instanceof List<?> list) {
            list.forEach(item -> names.add(String.valueOf(item)));
        } else {
            for (String part : String.valueOf(value).split(",", -1)) {
                names.add(part);
            }
        }
        if (names.size() == 1 && names.get(0).trim().equals(ALL)) {
            orderedTopics = null;
            return;
        }
        for (String name : names) {
            if (name.trim().isEmpty() || name.trim().equals(ALL)) {
                throw new ConfigException(ORDERED_TOPICS_CONFIG, value,
                    "must be \"*\" or a comma-separated list of topic names, without empty entries");
            }
        }
        orderedTopics = Set.copyOf(names.stream().map(String::trim).toList());
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        int partitions = cluster.partitionsForTopic(topic).size();
        if (keyBytes == null) {
            return keyless(topic, partitions, cluster);
        }
        RoutingMode mode = orderedTopics == null || orderedTopics.contains(topic) ? RoutingMode.ORDERED : RoutingMode.HASH;
        return mode.partition(keyBytes, partitions);
    }

    private int keyless(String topic, int partitions, Cluster cluster) {
        int turn = keylessTurns.computeIfAbsent(topic, t -> new AtomicInteger()).getAndIncrement() & Integer.MAX_VALUE;
        List<PartitionInfo> available = cluster.availablePartitionsForTopic(topic);
        if (available.isEmpty()) {
            return turn % partitions;
        }
        return available.get(turn % available.size()).partition();
    }

    @Override
    public void close() {
        keylessTurns.clear();
    }
}
