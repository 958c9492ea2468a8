package io.tributary.clients.consumer;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.config.ConfigException;
import io.tributary.clients.consumer.fetch.FetchBuffer;
import io.tributary.clients.consumer.fetch.FetchSettings;
import io.tributary.clients.consumer.fetch.Fetcher;
import io.tributary.clients.consumer.fetch.OffsetLookup;
import io.tributary.clients.consumer.fetch.OffsetLookup.ListedOffset;
import io.tributary.clients.consumer.group.ConsumerCoordinator;
import io.tributary.clients.consumer.group.Wakeup;
import io.tributary.clients.consumer.state.OffsetResetStrategy;
import io.tributary.clients.consumer.state.SubscriptionState;
import io.tributary.clients.consumer.state.SubscriptionState.PartitionState;
import io.tributary.clients.errors.AuthenticationException;
import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.RetriableException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.metadata.PartitionMetadata;
import io.tributary.clients.metadata.TopicMetadata;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * Tributary's consumer: reads records from Kafka-protocol brokers, alone ({@link #assign}) or as a member of a
 * consumer group ({@link #subscribe}), with the same API shape and semantics as Kafka's {@code KafkaConsumer}.
 *
 * <pre>{@code
 * Map<String, Object> config = Map.of("bootstrap.servers", "127.0.0.1:9092", "group.id", "billing");
 * try (var consumer = new TributaryConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
 *     consumer.subscribe(List.of("orders"));
 *     while (running) {
 *         for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofSeconds(1))) { ... }
 *     }
 * }
 * }</pre>
 *
 * <h2>How it works</h2>
 * {@link #poll} keeps the group membership current ({@link ConsumerCoordinator}: join, assign, sync,
 * auto-commit), finds positions for partitions without one (committed offset, else {@code auto.offset.reset}
 * through ListOffsets), returns up to {@code max.poll.records} records from what the {@link Fetcher} received,
 * and before returning sends the next fetches, so the next records travel while the application works.
 * Records are decoded from the fetch response buffer in place; deserializers get read-only views of it.
 *
 * <h2>Threads</h2>
 * Not thread-safe: one application thread calls it (a second one gets {@link ConcurrentModificationException}),
 * except {@link #wakeup()}, which any thread may call. The network client's I/O thread sends heartbeats and
 * completes requests; listener and commit callbacks run on the application thread inside consumer calls.
 */
public final class TributaryConsumer<K, V> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TributaryConsumer.class);
    private static final AtomicInteger CLIENT_SEQUENCE = new AtomicInteger(1);
    private static final long NO_THREAD = -1;

    private final ClientConfig config;
    private final String clientId;
    private final String groupId;
    private final NetworkClient network;
    private final Metadata metadata;
    private final SubscriptionState subscriptions;
    private final FetchBuffer fetchBuffer;
    private final Fetcher<K, V> fetcher;
    private final OffsetLookup offsets;
    private final ConsumerCoordinator coordinator;
    private final Wakeup wakeup;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;
    private final int maxPollRecords;
    private final long defaultApiTimeoutMs;
    private final long retryBackoffMs;
    private final AtomicLong owner = new AtomicLong(NO_THREAD);
    private int depth;
    private volatile boolean closed;
    /**
     * The ListOffsets that finds reset positions, when a poll's deadline passed before its answer: the next
     * poll that needs the same lookup waits on for it instead of asking again (so even {@code poll(0)} loops
     * get positions). Application thread only.
     */
    private Map<TopicPartition, Long> resetLookupAsked;
    private CompletableFuture<Map<TopicPartition, ListedOffset>> resetLookup;

    public TributaryConsumer(Map<String, ?> configs) {
        this(ConsumerConfig.parse(configs), null, null);
    }

    public TributaryConsumer(Map<String, ?> configs, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.parse(configs), keyDeserializer, valueDeserializer);
    }

    public TributaryConsumer(Properties properties, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this(ConsumerConfig.parse(properties), keyDeserializer, valueDeserializer);
    }

    private TributaryConsumer(ClientConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        this.config = config;
        this.groupId = config.get(ConsumerConfig.GROUP_ID);
        String configuredId = config.get(CommonClientConfigs.CLIENT_ID);
        this.clientId = configuredId.isEmpty()
            ? "consumer-" + (groupId == null ? "" : groupId + "-") + CLIENT_SEQUENCE.getAndIncrement() : configuredId;
        this.keyDeserializer = deserializer(keyDeserializer, ConsumerConfig.KEY_DESERIALIZER, true);
        this.valueDeserializer = deserializer(valueDeserializer, ConsumerConfig.VALUE_DESERIALIZER, false);
        this.maxPollRecords = config.get(ConsumerConfig.MAX_POLL_RECORDS);
        this.defaultApiTimeoutMs = config.get(ConsumerConfig.DEFAULT_API_TIMEOUT_MS);
        this.retryBackoffMs = config.get(CommonClientConfigs.RETRY_BACKOFF_MS);
        OffsetResetStrategy reset = OffsetResetStrategy.fromConfig(config.get(ConsumerConfig.AUTO_OFFSET_RESET));
        byte isolation = (byte) (config.get(ConsumerConfig.ISOLATION_LEVEL).equals("read_committed") ? 1 : 0);

        this.network = new NetworkClient(config, clientId);
        this.metadata = new Metadata(network, config, config.get(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS));
        this.subscriptions = new SubscriptionState(reset);
        this.fetchBuffer = new FetchBuffer();
        this.wakeup = new Wakeup(fetchBuffer);
        this.fetcher = new Fetcher<>(network, metadata, subscriptions, new FetchSettings(
            config.get(ConsumerConfig.FETCH_MIN_BYTES), config.get(ConsumerConfig.FETCH_MAX_BYTES),
            config.get(ConsumerConfig.FETCH_MAX_WAIT_MS), config.get(ConsumerConfig.MAX_PARTITION_FETCH_BYTES), isolation),
            this.keyDeserializer, this.valueDeserializer, fetchBuffer, retryBackoffMs);
        this.offsets = new OffsetLookup(network, metadata, isolation);
        this.coordinator = groupId == null ? null : new ConsumerCoordinator(network, metadata, subscriptions,
            ConsumerConfig.assignors(config), new ConsumerCoordinator.Settings(groupId,
                config.get(ConsumerConfig.GROUP_INSTANCE_ID), config.get(ConsumerConfig.SESSION_TIMEOUT_MS),
                config.get(ConsumerConfig.MAX_POLL_INTERVAL_MS), config.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS),
                config.get(ConsumerConfig.ENABLE_AUTO_COMMIT), config.get(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS),
                config.get(ConsumerConfig.CLIENT_RACK), retryBackoffMs),
            wakeup, fetchBuffer, fetcher::forgetUnassigned);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private <T> Deserializer<T> deserializer(Deserializer<T> given, io.tributary.config.ConfigKey<Class<? extends Deserializer>> key,
                                             boolean isKey) {
        Deserializer<T> d = given;
        if (d == null) {
            Class<? extends Deserializer> type = config.get(key);
            if (type == null) {
                throw new ConfigException(key.name(), "No " + key.name() + " configured and none passed to the constructor");
            }
            try {
                d = type.getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException e) {
                throw new ConfigException(key.name(), type.getName(), "a class with a public no-argument constructor");
            }
        }
        d.configure(config.originals(), isKey);
        return d;
    }

    // ---- subscription

    public void subscribe(Collection<String> topics) {
        subscribe(topics, ConsumerRebalanceListener.NONE);
    }

    /** Joins the group (on the next poll) to consume {@code topics}; an empty collection unsubscribes. */
    public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
        acquire();
        try {
            requireGroup("subscribe");
            if (topics.isEmpty()) {
                unsubscribeInternal();
                return;
            }
            for (String topic : topics) {
                if (topic == null || topic.isBlank()) {
                    throw new IllegalArgumentException("Topic names to subscribe to must be non-empty, got " + topics);
                }
            }
            subscriptions.subscribe(topics);
            coordinator.setListener(listener);
            metadata.addTopics(topics);
        } finally {
            release();
        }
    }

    public void subscribe(Pattern pattern) {
        subscribe(pattern, ConsumerRebalanceListener.NONE);
    }

    /** Joins the group to consume every existing topic matching {@code pattern}, checked at each metadata refresh. */
    public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
        acquire();
        try {
            requireGroup("subscribe");
            subscriptions.subscribe(pattern);
            coordinator.setListener(listener);
            metadata.setAllTopics(true);
        } finally {
            release();
        }
    }

    /** Consumes exactly {@code partitions}, without group membership. An empty collection unsubscribes. */
    public void assign(Collection<TopicPartition> partitions) {
        acquire();
        try {
            if (partitions.isEmpty()) {
                unsubscribeInternal();
                return;
            }
            subscriptions.assignFromUser(new LinkedHashSet<>(partitions));
            fetcher.forgetUnassigned();
            Set<String> topics = new LinkedHashSet<>();
            partitions.forEach(tp -> topics.add(tp.topic()));
            metadata.addTopics(topics);
        } finally {
            release();
        }
    }

    public void unsubscribe() {
        acquire();
        try {
            unsubscribeInternal();
        } finally {
            release();
        }
    }

    private void unsubscribeInternal() {
        if (coordinator != null && subscriptions.usesGroupAssignment()) {
            coordinator.leave(deadline(Duration.ofMillis(defaultApiTimeoutMs)), false);
        }
        subscriptions.unsubscribe();
        fetcher.forgetUnassigned();
    }

    public Set<TopicPartition> assignment() {
        acquire();
        try {
            return Set.copyOf(subscriptions.assignedPartitions());
        } finally {
            release();
        }
    }

    public Set<String> subscription() {
        acquire();
        try {
            return subscriptions.usesGroupAssignment() ? Set.copyOf(subscriptions.topics()) : Set.of();
        } finally {
            release();
        }
    }

    // ---- poll

    /**
     * Records that arrived, waiting up to {@code timeout} for some. Also where rebalances happen, listener and
     * async commit callbacks run, and auto-commit commits.
     *
     * @throws IllegalStateException if the consumer neither subscribed nor was assigned partitions
     * @throws WakeupException after {@link #wakeup()}
     * @throws RecordDeserializationException for a record that cannot be read; seek past it to go on
     */
    /**
     * Like Kafka's consumer, poll throws when the client cannot authenticate (TLS or SASL refused) instead of returning
     * nothing until the application gives up: the same credentials would be refused at every retry.
     */
    private void throwIfAuthenticationFailed() {
        if (metadata.lastError() instanceof AuthenticationException refused) {
            throw refused;
        }
    }

    public ConsumerRecords<K, V> poll(Duration timeout) {
        acquire();
        try {
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("Poll timeout " + timeout + " is negative");
            }
            wakeup.check();
            if (subscriptions.type() == SubscriptionState.Type.NONE) {
                throw new IllegalStateException("The consumer is not subscribed to any topics nor assigned any partitions");
            }
            long deadline = deadline(timeout);
            do {
                throwIfAuthenticationFailed();
                boolean ready = coordinator == null || coordinator.poll(deadline);
                if (ready) {
                    try {
                        updatePositions(deadline);
                    } catch (TimeoutException e) {
                        log.debug("Positions not found before the poll deadline: {}", e.getMessage());
                    }
                }
                Map<TopicPartition, List<ConsumerRecord<K, V>>> records = fetcher.collect(maxPollRecords);
                if (!records.isEmpty()) {
                    // Pipelining: the next fetches leave before the application sees these records.
                    fetcher.sendFetches();
                    return new ConsumerRecords<>(records);
                }
                fetcher.sendFetches();
                if (coordinator != null && coordinator.rejoinNeeded() && System.nanoTime() - deadline < 0) {
                    continue;
                }
                try {
                    fetchBuffer.await(deadline);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptException("Interrupted in poll", e);
                }
                wakeup.check();
            } while (System.nanoTime() - deadline < 0);
            throwIfAuthenticationFailed();
            return ConsumerRecords.empty();
        } finally {
            release();
        }
    }

    /** Gives every assigned partition without a position one: its committed offset, else the reset strategy. */
    private void updatePositions(long deadline) {
        List<TopicPartition> needing = subscriptions.partitionsNeedingPosition();
        if (needing.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetResetStrategy> resets = new LinkedHashMap<>();
        Set<TopicPartition> fromCommitted = new LinkedHashSet<>();
        for (TopicPartition tp : needing) {
            OffsetResetStrategy pending = subscriptions.state(tp).pendingReset();
            if (pending == null && groupId != null) {
                fromCommitted.add(tp);
            } else {
                resets.put(tp, pending == null ? subscriptions.defaultReset() : pending);
            }
        }
        if (!fromCommitted.isEmpty()) {
            Map<TopicPartition, OffsetAndMetadata> committed = coordinator.committedForPositions(fromCommitted, deadline);
            for (TopicPartition tp : fromCommitted) {
                PartitionState state = subscriptions.stateOrNull(tp);
                if (state == null || state.hasPosition()) {
                    continue;
                }
                OffsetAndMetadata offset = committed.get(tp);
                if (offset != null) {
                    state.seek(offset.offset());
                } else {
                    resets.put(tp, subscriptions.defaultReset());
                }
            }
        }
        if (resets.isEmpty()) {
            return;
        }
        Set<TopicPartition> noOffset = new LinkedHashSet<>();
        Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
        resets.forEach((tp, strategy) -> {
            if (strategy == OffsetResetStrategy.NONE) {
                noOffset.add(tp);
            } else {
                timestamps.put(tp, strategy.listOffsetsTimestamp);
            }
        });
        if (!noOffset.isEmpty()) {
            throw new NoOffsetForPartitionException(noOffset);
        }
        int[] epochs = new int[timestamps.size()];
        int i = 0;
        for (TopicPartition tp : timestamps.keySet()) {
            epochs[i++] = subscriptions.state(tp).epoch();
        }
        Map<TopicPartition, ListedOffset> found = listOffsets(timestamps, deadline, true);
        i = 0;
        for (TopicPartition tp : timestamps.keySet()) {
            PartitionState state = subscriptions.stateOrNull(tp);
            // Skip partitions the application sought meanwhile (a listener may have).
            if (state != null && !state.hasPosition() && state.epoch() == epochs[i] && found.containsKey(tp)) {
                state.seek(found.get(tp).offset());
            }
            i++;
        }
    }

    /** @param forPositions the reset lookup of {@link #updatePositions}, kept in flight across polls */
    private Map<TopicPartition, ListedOffset> listOffsets(Map<TopicPartition, Long> timestamps, long deadline,
                                                          boolean forPositions) {
        while (true) {
            CompletableFuture<Map<TopicPartition, ListedOffset>> lookup;
            if (forPositions && resetLookup != null && timestamps.equals(resetLookupAsked)) {
                lookup = resetLookup;
            } else {
                lookup = offsets.list(timestamps);
                if (forPositions) {
                    resetLookupAsked = timestamps;
                    resetLookup = lookup;
                }
            }
            try {
                Map<TopicPartition, ListedOffset> found = wakeup.await(lookup, deadline, "ListOffsets for " + timestamps.keySet());
                forgetResetLookup(lookup);
                return found;
            } catch (RetriableException e) {
                if (!lookup.isDone()) {
                    throw e; // the caller's deadline: a reset lookup stays in flight for the next poll
                }
                forgetResetLookup(lookup);
                if (System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException("Timed out listing offsets of " + timestamps.keySet() + ": " + e.getMessage(), e);
                }
                try {
                    wakeup.await(metadata.requestUpdate(), Math.min(deadline,
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(retryBackoffMs, 1))), "metadata");
                } catch (TimeoutException ignored) {
                    // Retry with what there is.
                }
            } catch (RuntimeException e) {
                if (lookup.isDone()) {
                    forgetResetLookup(lookup);
                }
                throw e;
            }
        }
    }

    private void forgetResetLookup(CompletableFuture<?> answered) {
        if (resetLookup == answered) {
            resetLookup = null;
            resetLookupAsked = null;
        }
    }

    // ---- commits

    /**
     * The group, generation and member id this consumer holds now, for a transactional producer's
     * {@code sendOffsetsToTransaction} (Kafka's {@code groupMetadata()}).
     *
     * @throws IllegalStateException without a group.id
     */
    public ConsumerGroupMetadata groupMetadata() {
        acquire();
        try {
            requireGroup("groupMetadata");
            return new ConsumerGroupMetadata(groupId, coordinator.generation(), coordinator.memberId(),
                java.util.Optional.ofNullable(config.get(ConsumerConfig.GROUP_INSTANCE_ID)));
        } finally {
            release();
        }
    }

    public void commitSync() {
        commitSync(Duration.ofMillis(defaultApiTimeoutMs));
    }

    /** Commits the positions of every assigned partition and waits for the answer. */
    public void commitSync(Duration timeout) {
        acquire();
        try {
            requireGroup("commitSync");
            coordinator.commitSync(coordinator.currentPositions(), deadline(timeout));
            coordinator.runCompletedCommitCallbacks();
        } finally {
            release();
        }
    }

    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
        commitSync(offsets, Duration.ofMillis(defaultApiTimeoutMs));
    }

    /**
     * Commits {@code offsets} (each the next offset to consume) and waits.
     *
     * @throws CommitFailedException if the group rebalanced and this member no longer owns the partitions
     */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        acquire();
        try {
            requireGroup("commitSync");
            coordinator.commitSync(Map.copyOf(offsets), deadline(timeout));
            coordinator.runCompletedCommitCallbacks();
        } finally {
            release();
        }
    }

    public void commitAsync() {
        commitAsync((offsets, error) -> {
            if (error != null) {
                log.warn("Async commit of {} failed: {}", offsets, error.toString());
            }
        });
    }

    /** Commits the positions of every assigned partition without waiting; {@code callback} runs in a later call. */
    public void commitAsync(OffsetCommitCallback callback) {
        acquire();
        try {
            requireGroup("commitAsync");
            coordinator.commitAsync(coordinator.currentPositions(), callback);
        } finally {
            release();
        }
    }

    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        acquire();
        try {
            requireGroup("commitAsync");
            coordinator.commitAsync(offsets, callback);
        } finally {
            release();
        }
    }

    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions) {
        return committed(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    /** The group's committed offsets; a partition without one maps to null. */
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, Duration timeout) {
        acquire();
        try {
            requireGroup("committed");
            Map<TopicPartition, OffsetAndMetadata> found = coordinator.committed(partitions, deadline(timeout));
            Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
            partitions.forEach(tp -> result.put(tp, found.get(tp)));
            return result;
        } finally {
            release();
        }
    }

    // ---- positions

    /** The next poll fetches {@code partition} from {@code offset}. */
    public void seek(TopicPartition partition, long offset) {
        acquire();
        try {
            if (offset < 0) {
                throw new IllegalArgumentException("Seek offset " + offset + " for " + partition + " is negative");
            }
            subscriptions.state(partition).seek(offset);
        } finally {
            release();
        }
    }

    public void seek(TopicPartition partition, OffsetAndMetadata offset) {
        seek(partition, offset.offset());
    }

    /** The next poll starts these partitions (all assigned ones if empty) at the log start. Lazy, like Kafka's. */
    public void seekToBeginning(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.EARLIEST);
    }

    /** The next poll starts these partitions (all assigned ones if empty) at the log end. Lazy, like Kafka's. */
    public void seekToEnd(Collection<TopicPartition> partitions) {
        requestReset(partitions, OffsetResetStrategy.LATEST);
    }

    private void requestReset(Collection<TopicPartition> partitions, OffsetResetStrategy strategy) {
        acquire();
        try {
            Collection<TopicPartition> which = partitions.isEmpty() ? subscriptions.assignedPartitions() : partitions;
            for (TopicPartition tp : List.copyOf(which)) {
                subscriptions.state(tp).requestReset(strategy);
            }
        } finally {
            release();
        }
    }

    public long position(TopicPartition partition) {
        return position(partition, Duration.ofMillis(defaultApiTimeoutMs));
    }

    /** The offset of the next record poll will return for {@code partition}, looked up first if unknown. */
    public long position(TopicPartition partition, Duration timeout) {
        acquire();
        try {
            PartitionState state = subscriptions.state(partition);
            long deadline = deadline(timeout);
            while (!state.hasPosition()) {
                updatePositions(deadline);
                if (!state.hasPosition() && System.nanoTime() - deadline >= 0) {
                    throw new TimeoutException("No position for " + partition + " within " + timeout);
                }
            }
            return state.position();
        } finally {
            release();
        }
    }

    public void pause(Collection<TopicPartition> partitions) {
        acquire();
        try {
            for (TopicPartition tp : partitions) {
                subscriptions.state(tp).pause();
            }
        } finally {
            release();
        }
    }

    public void resume(Collection<TopicPartition> partitions) {
        acquire();
        try {
            for (TopicPartition tp : partitions) {
                subscriptions.state(tp).resume();
            }
        } finally {
            release();
        }
    }

    public Set<TopicPartition> paused() {
        acquire();
        try {
            Set<TopicPartition> paused = new LinkedHashSet<>();
            for (TopicPartition tp : subscriptions.assignedPartitions()) {
                if (subscriptions.state(tp).isPaused()) {
                    paused.add(tp);
                }
            }
            return paused;
        } finally {
            release();
        }
    }

    // ---- offsets by time

    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps) {
        return offsetsForTimes(timestamps, Duration.ofMillis(defaultApiTimeoutMs));
    }

    /**
     * For each partition, the earliest offset whose record timestamp is at or after the one given, or null if
     * no record is that new.
     */
    public Map<TopicPartition, OffsetAndTimestamp> offsetsForTimes(Map<TopicPartition, Long> timestamps, Duration timeout) {
        acquire();
        try {
            timestamps.forEach((tp, ts) -> {
                if (ts == null || ts < 0) {
                    throw new IllegalArgumentException("Target timestamp " + ts + " for " + tp + " is negative");
                }
            });
            Map<TopicPartition, ListedOffset> found = listOffsets(new LinkedHashMap<>(timestamps), deadline(timeout), false);
            Map<TopicPartition, OffsetAndTimestamp> result = new HashMap<>();
            timestamps.keySet().forEach(tp -> {
                ListedOffset o = found.get(tp);
                result.put(tp, o == null || o.offset() < 0 ? null : new OffsetAndTimestamp(o.offset(), o.timestamp(), o.leaderEpoch()));
            });
            return result;
        } finally {
            release();
        }
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions) {
        return beginningOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    public Map<TopicPartition, Long> beginningOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return edgeOffsets(partitions, OffsetResetStrategy.EARLIEST, timeout);
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions) {
        return endOffsets(partitions, Duration.ofMillis(defaultApiTimeoutMs));
    }

    public Map<TopicPartition, Long> endOffsets(Collection<TopicPartition> partitions, Duration timeout) {
        return edgeOffsets(partitions, OffsetResetStrategy.LATEST, timeout);
    }

    private Map<TopicPartition, Long> edgeOffsets(Collection<TopicPartition> partitions, OffsetResetStrategy which, Duration timeout) {
        acquire();
        try {
            Map<TopicPartition, Long> timestamps = new LinkedHashMap<>();
            partitions.forEach(tp -> timestamps.put(tp, which.listOffsetsTimestamp));
            metadata.addTopics(partitions.stream().map(TopicPartition::topic).toList());
            Map<TopicPartition, ListedOffset> found = listOffsets(timestamps, deadline(timeout), false);
            Map<TopicPartition, Long> result = new HashMap<>();
            found.forEach((tp, o) -> result.put(tp, o.offset()));
            return result;
        } finally {
            release();
        }
    }

    /** The partitions of {@code topic} (waiting for its metadata), as (topic, partition) pairs in order. */
    public List<TopicPartition> partitionsFor(String topic, Duration timeout) {
        acquire();
        try {
            Cluster cluster = metadata.awaitTopic(topic, timeout);
            TopicMetadata t = cluster.topic(topic);
            List<TopicPartition> result = new ArrayList<>();
            if (t != null) {
                for (PartitionMetadata p : t.partitions()) {
                    result.add(p.partition());
                }
            }
            return result;
        } finally {
            release();
        }
    }

    // ---- wakeup and close

    /** Makes the current (or next) blocking call of the application thread throw {@link WakeupException}. */
    public void wakeup() {
        wakeup.wakeup();
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(30));
    }

    /**
     * Commits (if auto-commit is on) and leaves the group within {@code timeout}, then closes connections. The
     * rebalance listener is told of the revocation.
     */
    public void close(Duration timeout) {
        if (closed) {
            return;
        }
        acquire();
        try {
            closed = true;
            if (coordinator != null) {
                try {
                    coordinator.leave(deadline(timeout), true);
                } catch (TributaryException e) {
                    log.warn("Consumer {}: leaving group {} failed: {}", clientId, groupId, e.getMessage());
                }
                coordinator.close();
            }
            metadata.close();
            network.close();
            keyDeserializer.close();
            valueDeserializer.close();
        } finally {
            release();
        }
    }

    // ---- helpers

    private void requireGroup(String operation) {
        if (coordinator == null) {
            throw new IllegalStateException(operation + " needs a group.id, and this consumer has none");
        }
    }

    private static long deadline(Duration timeout) {
        long now = System.nanoTime();
        long nanos = timeout.compareTo(Duration.ofDays(365)) > 0 ? TimeUnit.DAYS.toNanos(365) : timeout.toNanos();
        return now + nanos;
    }

    private void acquire() {
        if (closed && depth == 0 && owner.get() != Thread.currentThread().getId()) {
            throw new IllegalStateException("This consumer is closed");
        }
        long me = Thread.currentThread().getId();
        if (owner.get() != me && !owner.compareAndSet(NO_THREAD, me)) {
            throw new ConcurrentModificationException("The consumer is in use by another thread; it is not safe for "
                + "multi-threaded access (only wakeup() may be called from other threads)");
        }
        depth++;
    }

    private void release() {
        if (--depth == 0) {
            owner.set(NO_THREAD);
        }
    }
}
