package io.tributary.clients.routing.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.config.ConfigException;
import io.tributary.config.ConfigDefinition;
import io.tributary.config.ConfigKey;
import io.tributary.clients.consumer.ConsumerConfig;
import io.tributary.clients.consumer.ConsumerRebalanceListener;
import io.tributary.clients.consumer.ConsumerRecord;
import io.tributary.clients.consumer.ConsumerRecords;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.consumer.TributaryConsumer;
import io.tributary.clients.errors.RetriableException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.routing.TopicRouting;
import io.tributary.clients.routing.TopicRoutingLookup;
import io.tributary.clients.serialization.Deserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A group member over {@link TributaryConsumer} that keeps per-key order through the growth of ordered topics (the
 * hold) and hands the application only the records its {@link RecordFilter} accepts.
 *
 * <pre>{@code
 * try (var consumer = new RoutingConsumer<>(config, new StringDeserializer(), new StringDeserializer(),
 *                                           RecordFilter.routingKey("order.eu.#"))) {
 *     consumer.subscribe(List.of("orders"));
 *     while (running) {
 *         for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) { process(r); }
 *         consumer.commitSync();   // commit only what was processed: the hold relies on it
 *     }
 * }
 * }</pre>
 *
 * <h2>The hold</h2>
 * For each partition of an ordered topic that a growth added, the consumer holds its records back (the partition
 * is paused) until the group's committed offsets on the older partitions reach that growth's fences; see
 * {@link OrderedHold} for the rule and docs/ROUTING.md for the guarantee and its conditions. Held partitions are
 * checked every {@code tributary.hold.check.interval.ms} (one OffsetFetch) while {@link #poll} runs. An added
 * partition for which the group has no committed offset starts at its log start, whatever
 * {@code auto.offset.reset} says: all its records were written after the growth, and none may be skipped. Topic
 * routing is read with DescribeConfigs over a second connection this consumer opens.
 *
 * <h2>Filters</h2>
 * Records the filter rejects are consumed and skipped: the position moves past them, so {@link #commitSync()} (or
 * auto-commit) commits past them, lag reaches zero, and a replay skips them again. A poll returns when accepted
 * records arrived or its timeout passed.
 *
 * <h2>Pausing</h2>
 * {@link #pause}/{@link #resume} are the application's; a partition is fetched only if neither the application
 * nor the hold pauses it.
 *
 * <p>Not thread-safe, like the consumer it wraps; only {@link #wakeup()} may be called from another thread.
 */
public final class RoutingConsumer<K, V> implements AutoCloseable {
    /** How often held partitions are checked against the fences while poll runs. */
    public static final ConfigKey<Long> HOLD_CHECK_INTERVAL_MS = ConfigKey.longKey("tributary.hold.check.interval.ms").defaultValue(100L).inRange(1, TimeUnit.HOURS.toMillis(1))
        .documentation("How often a consumer holding partitions of an ordered topic checks the group's committed "
            + "offsets against the growth fences.").build();

    private final TributaryConsumer<K, V> consumer;
    private final RecordFilter filter;
    private final NetworkClient routingNetwork;
    private final Metadata routingMetadata;
    private final TopicRoutingLookup lookup;
    private final OrderedHold hold;
    private final long checkIntervalNanos;
    private final long apiTimeoutMs;
    private final Set<TopicPartition> pausedByApplication = new HashSet<>();
    private long nextCheckNanos;

    /**
     * @param configs the consumer's configuration (group.id is required), plus {@link #HOLD_CHECK_INTERVAL_MS}
     * @param filter  the records to hand out; {@link RecordFilter#all()} for every one
     */
    public RoutingConsumer(Map<String, ?> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer,
                           RecordFilter filter) {
        ClientConfig config = ClientConfig.parse(ConsumerConfig.definition().with(HOLD_CHECK_INTERVAL_MS), configs);
        if (config.get(ConsumerConfig.GROUP_ID) == null) {
            throw new ConfigException(ConsumerConfig.GROUP_ID.name(),
                "A RoutingConsumer needs a group.id: the hold reads the group's committed offsets");
        }
        this.filter = filter == null ? RecordFilter.all() : filter;
        this.checkIntervalNanos = TimeUnit.MILLISECONDS.toNanos(config.get(HOLD_CHECK_INTERVAL_MS));
        this.apiTimeoutMs = config.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS);
        // The hold's own key is not the consumer's: passed on, it would be warned about as unknown.
        Map<String, Object> consumerConfigs = new HashMap<>(configs);
        consumerConfigs.remove(HOLD_CHECK_INTERVAL_MS.name());
        this.consumer = new TributaryConsumer<>(consumerConfigs, keyDeserializer, valueDeserializer);
        String clientId = config.get(CommonClientConfigs.CLIENT_ID);
        this.routingNetwork = new NetworkClient(config, (clientId.isEmpty() ? "routing-consumer" : clientId) + "-routing");
        this.routingMetadata = new Metadata(routingNetwork, config, false);
        this.lookup = new TopicRoutingLookup(routingNetwork, routingMetadata);
        this.hold = new OrderedHold(this::describe, this::committedOffsets);
    }

    public void subscribe(Collection<String> topics) {
        subscribe(topics, ConsumerRebalanceListener.NONE);
    }

    /** Joins the group for {@code topics}; {@code listener} is told of changes after the hold has seen them. */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        consumer.subscribe(topics, new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                hold.onRevoked(partitions);
                pausedByApplication.removeAll(partitions);
                listener.onPartitionsRevoked(partitions);
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                hold.onRevoked(partitions);
                pausedByApplication.removeAll(partitions);
                listener.onPartitionsLost(partitions);
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                onAssigned(partitions);
                listener.onPartitionsAssigned(partitions);
            }
        });
    }

    private void onAssigned(Collection<TopicPartition> partitions) {
        Set<TopicPartition> held = hold.onAssigned(partitions);
        consumer.pause(held);
        Set<TopicPartition> added = new LinkedHashSet<>();
        for (TopicPartition tp : partitions) {
            if (hold.isAdded(tp)) {
                added.add(tp);
            }
        }
        if (!added.isEmpty()) {
            List<TopicPartition> fromStart = new ArrayList<>();
            consumer.committed(added, Duration.ofMillis(apiTimeoutMs)).forEach((tp, offset) -> {
                if (offset == null) {
                    fromStart.add(tp);
                }
            });
            if (!fromStart.isEmpty()) {
                consumer.seekToBeginning(fromStart);
            }
        }
        nextCheckNanos = System.nanoTime();
    }

    /**
     * Accepted records that arrived, waiting up to {@code timeout} for some; also where held partitions are
     * released and rebalances happen.
     */
    public ConsumerRecords<K, V> poll(Duration timeout) {
        long deadline = System.nanoTime() + Math.min(timeout.toNanos(), TimeUnit.DAYS.toNanos(365));
        while (true) {
            long now = System.nanoTime();
            if (hold.isHolding() && now - nextCheckNanos >= 0) {
                Set<TopicPartition> released = hold.release();
                released.removeIf(pausedByApplication::contains);
                consumer.resume(released);
                nextCheckNanos = now + checkIntervalNanos;
            }
            long wait = Math.max(0, deadline - now);
            if (hold.isHolding()) {
                wait = Math.min(wait, Math.max(0, nextCheckNanos - now));
            }
            ConsumerRecords<K, V> records = consumer.poll(Duration.ofNanos(wait));
            ConsumerRecords<K, V> accepted = filter(records);
            if (!accepted.isEmpty() || System.nanoTime() - deadline >= 0) {
                return accepted;
            }
        }
    }

    private ConsumerRecords<K, V> filter(ConsumerRecords<K, V> records) {
        if (records.isEmpty()) {
            return records;
        }
        Map<TopicPartition, List<ConsumerRecord<K, V>>> kept = new LinkedHashMap<>();
        for (TopicPartition tp : records.partitions()) {
            for (ConsumerRecord<K, V> r : records.records(tp)) {
                if (filter.accepts(r)) {
                    kept.computeIfAbsent(tp, t -> new ArrayList<>()).add(r);
                }
            }
        }
        return kept.isEmpty() ? ConsumerRecords.empty() : new ConsumerRecords<>(kept);
    }

    /** Commits the positions of every assigned partition: past every record polled, accepted or skipped. */
    public void commitSync() {
        consumer.commitSync();
    }

    /** Commits {@code offsets} (each the next offset to consume). */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        consumer.commitSync(offsets);
    }

    public void commitAsync() {
        consumer.commitAsync();
    }

    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return consumer.committed(partitions);
    }

    public Set<TopicPartition> assignment() {
        return consumer.assignment();
    }

    /** The assigned partitions the hold keeps back now. */
    public Set<TopicPartition> held() {
        return hold.held();
    }

    public long position(TopicPartition partition) {
        return consumer.position(partition);
    }

    public void seek(TopicPartition partition, long offset) {
        consumer.seek(partition, offset);
    }

    /** Stops fetching {@code partitions} until {@link #resume}; independent of the hold. */
    public void pause(Collection<TopicPartition> partitions) {
        pausedByApplication.addAll(partitions);
        consumer.pause(partitions);
    }

    /** Fetches {@code partitions} again, except those the hold still keeps back (they resume when released). */
    public void resume(Collection<TopicPartition> partitions) {
        pausedByApplication.removeAll(partitions);
        Set<TopicPartition> held = hold.held();
        List<TopicPartition> free = partitions.stream().filter(tp -> !held.contains(tp)).toList();
        consumer.resume(free);
    }

    public void wakeup() {
        consumer.wakeup();
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            routingMetadata.close();
            routingNetwork.close();
        }
    }

    private TopicRouting describe(String topic) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(apiTimeoutMs);
        TributaryException last = null;
        while (System.nanoTime() - deadline < 0) {
            try {
                return lookup.lookup(topic).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException retriable)) {
                    throw e.getCause() instanceof TributaryException t ? t
                        : new TributaryException("Describing the routing of " + topic + " failed: " + e.getCause(), e.getCause());
                }
                last = retriable;
                try {
                    routingMetadata.requestUpdate().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (Exception ignored) {
                    // retried until the deadline
                }
            } catch (java.util.concurrent.TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.tributary.clients.errors.InterruptException("Interrupted describing the routing of " + topic, e);
            }
        }
        throw new TimeoutException("The routing of topic " + topic + " could not be described within default.api.timeout.ms ("
            + apiTimeoutMs + " ms)" + (last == null ? "" : "; last error: " + last.getMessage()), last);
    }

    private Map<TopicPartition, Long> committedOffsets(Set<TopicPartition> partitions) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        consumer.committed(partitions, Duration.ofMillis(apiTimeoutMs)).forEach((tp, o) -> {
            if (o != null) {
                offsets.put(tp, o.offset());
            }
        });
        return offsets;
    }
}
