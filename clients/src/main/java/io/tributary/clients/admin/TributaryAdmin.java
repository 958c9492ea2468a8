package io.tributary.clients.admin;

import io.tributary.protocol.TopicPartition;
import io.tributary.clients.config.ClientConfig;
import io.tributary.clients.config.CommonClientConfigs;
import io.tributary.clients.errors.InterruptException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.network.NetworkClient;

import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tributary's admin client: topics, configs, the cluster, offsets and consumer groups of any Kafka-protocol
 * cluster, over the clients' {@link NetworkClient}.
 *
 * <h2>Calling it</h2>
 * Every operation returns at once with a {@link CompletableFuture}, or for operations on several things a
 * {@link KeyedResults} of one future per thing. Futures complete on the admin's callback thread (never its I/O
 * thread), so continuations may block or call the admin again. {@link #await} waits for one and throws the
 * operation's own exception, for code that reads better blocking:
 * <pre>{@code
 * try (TributaryAdmin admin = TributaryAdmin.create(Map.of("bootstrap.servers", "localhost:9092"))) {
 *     admin.await(admin.createTopic(NewTopic.of("orders", 6)));
 *     List<PartitionLag> lag = admin.await(admin.groupLag("billing"));
 *     admin.await(admin.resetOffsets("billing", List.of(), OffsetReset.toTimestamp(yesterday)));
 * }
 * }</pre>
 *
 * <h2>Deadlines, retries and errors</h2>
 * Each operation runs under {@code default.api.timeout.ms}: a lost connection, a request timeout, a coordinator
 * still loading or moved, a partition without a leader are retried with backoff ({@code retry.backoff.ms} to
 * {@code retry.backoff.max.ms}) until then, and then fail with a {@link TimeoutException} naming the operation
 * and the last error. Errors retrying cannot fix fail at once, as exceptions carrying the Kafka error code
 * ({@link io.tributary.clients.errors.BrokerError}) and a message naming what was done to what and the
 * broker's own message: {@link TopicExistsException}, {@link UnknownTopicOrPartitionException},
 * {@link InvalidPartitionsException}, {@link InvalidConfigurationException}, {@link GroupNotEmptyException},
 * {@link GroupIdNotFoundException}, and for other codes {@link io.tributary.clients.errors.ApiException}.
 *
 * <h2>Threads</h2>
 * Two daemon threads: the network client's I/O thread, and the callback thread ("tributary-admin-&lt;client.id&gt;").
 * All methods are thread-safe. {@link #close} fails what is still pending.
 */
public final class TributaryAdmin implements AutoCloseable {
    private static final AtomicInteger CLIENT_IDS = new AtomicInteger();
    /** Beyond the operation's own deadline, how long {@link #await} allows for its answer to be delivered. */
    private static final long AWAIT_SLACK_MS = 5_000;

    private final NetworkClient network;
    private final ExecutorService callbacks;
    private final AdminContext ctx;
    private final TopicOperations topics;
    private final ConfigOperations configs;
    private final OffsetOperations offsets;
    private final GroupOperations groups;
    private final GroupPositions positions;

    private TributaryAdmin(ClientConfig config) {
        String configured = config.get(CommonClientConfigs.CLIENT_ID);
        String clientId = configured.isEmpty() ? "adminclient-" + CLIENT_IDS.incrementAndGet() : configured;
        this.network = new NetworkClient(config, clientId);
        this.callbacks = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "tributary-admin-" + clientId);
            t.setDaemon(true); // like the I/O thread: a forgotten admin must not keep the JVM alive
            return t;
        });
        this.ctx = new AdminContext(network, callbacks, config);
        this.topics = new TopicOperations(ctx);
        this.configs = new ConfigOperations(ctx);
        this.offsets = new OffsetOperations(ctx, topics);
        this.groups = new GroupOperations(ctx, topics);
        this.positions = new GroupPositions(ctx, groups, offsets);
    }

    /**
     * An admin client for the cluster at {@code bootstrap.servers}; nothing is sent until the first operation.
     *
     * @throws io.tributary.clients.config.ConfigException naming the key, the value and what is allowed
     */
    public static TributaryAdmin create(Map<String, ?> config) {
        return new TributaryAdmin(ClientConfig.parse(AdminConfig.definition(), config));
    }

    /** {@link #create(Map)} from properties (a file's strings, or typed values). */
    public static TributaryAdmin create(Properties config) {
        return new TributaryAdmin(ClientConfig.parse(AdminConfig.definition(), config));
    }

    public String clientId() {
        return network.clientId();
    }

    /** Retries scheduled so far, over all operations; for tests. */
    long retries() {
        return ctx.retries();
    }

    // ================================================================== topics

    /** The cluster's topics without the internal ones, by name. */
    public CompletableFuture<List<TopicListing>> listTopics() {
        return listTopics(false);
    }

    /** The cluster's topics, by name; with {@code includeInternal}, __consumer_offsets too. */
    public CompletableFuture<List<TopicListing>> listTopics(boolean includeInternal) {
        return ctx.deliver(ctx.retrying("Listing topics", () -> topics.listTopics(includeInternal)));
    }

    /** Partitions, leaders, replicas and ids of each topic; an unknown topic fails with UnknownTopicOrPartitionException. */
    public KeyedResults<String, TopicDescription> describeTopics(Collection<String> names) {
        KeyedResults.requireDistinct(names, "Topic");
        List<String> asked = List.copyOf(names);
        return ctx.deliver(asked, "Describing topics", ctx.retrying("Describing topics " + asked, () -> topics.describeTopics(asked)));
    }

    public CompletableFuture<TopicDescription> describeTopic(String name) {
        return describeTopics(List.of(name)).get(name);
    }

    /** Every partition of {@code names}, in topic order then partition order. */
    public CompletableFuture<List<TopicPartition>> partitionsOf(Collection<String> names) {
        return describeTopics(names).all().thenApply(described -> described.values().stream()
            .flatMap(d -> d.topicPartitions().stream()).toList());
    }

    public KeyedResults<String, CreatedTopic> createTopics(Collection<NewTopic> newTopics) {
        return createTopics(newTopics, false);
    }

    /**
     * Creates the topics; with {@code validateOnly} the broker checks everything and creates nothing.
     *
     * @throws IllegalArgumentException if a name appears twice
     */
    public KeyedResults<String, CreatedTopic> createTopics(Collection<NewTopic> newTopics, boolean validateOnly) {
        List<NewTopic> asked = List.copyOf(newTopics);
        List<String> names = asked.stream().map(NewTopic::name).toList();
        KeyedResults.requireDistinct(names, "Topic");
        return ctx.deliver(names, "Creating topics", ctx.retrying("Creating topics " + names,
            () -> topics.createTopics(asked, validateOnly)));
    }

    public CompletableFuture<CreatedTopic> createTopic(NewTopic topic) {
        return createTopics(List.of(topic)).get(topic.name());
    }

    public KeyedResults<String, Void> deleteTopics(Collection<String> names) {
        KeyedResults.requireDistinct(names, "Topic");
        List<String> asked = List.copyOf(names);
        return ctx.deliver(asked, "Deleting topics", ctx.retrying("Deleting topics " + asked, () -> topics.deleteTopics(asked)));
    }

    public CompletableFuture<Void> deleteTopic(String name) {
        return deleteTopics(List.of(name)).get(name);
    }

    /**
     * Grows each topic to the given total partition count (never shrinks: a count not above the current one
     * fails with InvalidPartitionsException).
     */
    public KeyedResults<String, Void> createPartitions(Map<String, Integer> newTotals) {
        Map<String, Integer> asked = new LinkedHashMap<>(newTotals);
        return ctx.deliver(asked.keySet(), "Adding partitions", ctx.retrying("Adding partitions to " + asked.keySet(),
            () -> topics.createPartitions(asked, false)));
    }

    public CompletableFuture<Void> addPartitions(String topic, int newTotal) {
        return createPartitions(Map.of(topic, newTotal)).get(topic);
    }

    // ================================================================== configs and cluster

    /** Every config of each resource, with sources and synonyms. */
    public KeyedResults<ConfigResource, Config> describeConfigs(Collection<ConfigResource> resources) {
        KeyedResults.requireDistinct(resources, "Config resource");
        List<ConfigResource> asked = List.copyOf(resources);
        return ctx.deliver(asked, "Describing configs", ctx.retrying("Describing configs of " + asked,
            () -> configs.describeConfigs(asked, false)));
    }

    public CompletableFuture<Config> describeConfig(ConfigResource resource) {
        return describeConfigs(List.of(resource)).get(resource);
    }

    /** Applies each resource's changes atomically (all or none of one resource's changes). */
    public KeyedResults<ConfigResource, Void> incrementalAlterConfigs(Map<ConfigResource, ? extends Collection<AlterConfigOp>> changes) {
        Map<ConfigResource, List<AlterConfigOp>> asked = new LinkedHashMap<>();
        changes.forEach((resource, ops) -> asked.put(resource, List.copyOf(ops)));
        return ctx.deliver(asked.keySet(), "Altering configs", ctx.retrying("Altering configs of " + asked.keySet(),
            () -> configs.incrementalAlterConfigs(asked, false)));
    }

    public CompletableFuture<Void> alterConfig(ConfigResource resource, Collection<AlterConfigOp> ops) {
        return incrementalAlterConfigs(Map.of(resource, ops)).get(resource);
    }

    public CompletableFuture<ClusterDescription> describeCluster() {
        return ctx.deliver(ctx.retrying("Describing the cluster", configs::describeCluster));
    }

    // ================================================================== offsets

    /** The offset {@code spec} finds in each partition, asked of each partition's leader. */
    public KeyedResults<TopicPartition, ListedOffset> listOffsets(Map<TopicPartition, OffsetSpec> specs) {
        Map<TopicPartition, OffsetSpec> asked = new LinkedHashMap<>(specs);
        return ctx.deliver(asked.keySet(), "Listing offsets", ctx.retrying("Listing offsets of " + asked.keySet(),
            () -> offsets.listOffsets(asked)));
    }

    /** The offset {@code spec} finds in every partition of {@code topic}, by partition. */
    public CompletableFuture<Map<TopicPartition, ListedOffset>> listOffsets(String topic, OffsetSpec spec) {
        return describeTopic(topic).thenCompose(d -> {
            Map<TopicPartition, OffsetSpec> specs = new LinkedHashMap<>();
            d.topicPartitions().forEach(tp -> specs.put(tp, spec));
            return listOffsets(specs).all();
        });
    }

    // ================================================================== groups

    /** Every group of the cluster, by id. */
    public CompletableFuture<List<GroupListing>> listGroups() {
        return listGroups(EnumSet.noneOf(GroupState.class));
    }

    /** The groups in one of {@code states} (all when empty), by id. */
    public CompletableFuture<List<GroupListing>> listGroups(Set<GroupState> states) {
        Set<GroupState> asked = states.isEmpty() ? EnumSet.noneOf(GroupState.class) : EnumSet.copyOf(states);
        return ctx.deliver(ctx.retrying("Listing groups", () -> groups.listGroups(asked)));
    }

    /** State, protocol and members (client ids, hosts, assigned partitions) of each group. */
    public KeyedResults<String, GroupDescription> describeGroups(Collection<String> groupIds) {
        KeyedResults.requireDistinct(groupIds, "Group");
        Map<String, CompletableFuture<GroupDescription>> each = new LinkedHashMap<>();
        groupIds.forEach(id -> each.put(id, positions.describe(id)));
        return ctx.deliver(each.keySet(), "Describing groups", CompletableFuture.completedFuture(each));
    }

    public CompletableFuture<GroupDescription> describeGroup(String groupId) {
        return describeGroups(List.of(groupId)).get(groupId);
    }

    /** Deletes groups without members, with their offsets; one with members fails with GroupNotEmptyException. */
    public KeyedResults<String, Void> deleteGroups(Collection<String> groupIds) {
        KeyedResults.requireDistinct(groupIds, "Group");
        Map<String, CompletableFuture<Void>> each = new LinkedHashMap<>();
        groupIds.forEach(id -> each.put(id, ctx.retrying("Deleting group '" + id + "'", () -> groups.deleteGroup(id))));
        return ctx.deliver(each.keySet(), "Deleting groups", CompletableFuture.completedFuture(each));
    }

    public CompletableFuture<Void> deleteGroup(String groupId) {
        return deleteGroups(List.of(groupId)).get(groupId);
    }

    /** Every committed offset of the group, by topic and partition (empty for a group that has none). */
    public CompletableFuture<Map<TopicPartition, CommittedOffset>> listCommittedOffsets(String groupId) {
        return ctx.deliver(positions.committed(groupId, null));
    }

    /** The group's committed offsets of {@code partitions}; partitions without one are left out. */
    public CompletableFuture<Map<TopicPartition, CommittedOffset>> listCommittedOffsets(String groupId,
                                                                                        Collection<TopicPartition> partitions) {
        return ctx.deliver(positions.committed(groupId, List.copyOf(partitions)));
    }

    /**
     * Commits offsets for a group as an admin (generation -1, no member id): accepted only while the group has no
     * members, otherwise each partition fails with GroupNotEmptyException (UNKNOWN_MEMBER_ID).
     */
    public KeyedResults<TopicPartition, Void> alterCommittedOffsets(String groupId, Map<TopicPartition, CommittedOffset> newOffsets) {
        Map<TopicPartition, CommittedOffset> asked = new LinkedHashMap<>(newOffsets);
        return ctx.deliver(asked.keySet(), "Committing offsets", ctx.retrying("Committing offsets of group '" + groupId + "'",
            () -> groups.commitOffsets(groupId, asked)));
    }

    /**
     * Deletes the group's committed offsets of {@code partitions} (OffsetDelete): allowed for a group without
     * members, and for topics a group with members does not consume.
     */
    public KeyedResults<TopicPartition, Void> deleteCommittedOffsets(String groupId, Collection<TopicPartition> partitions) {
        KeyedResults.requireDistinct(partitions, "Partition");
        List<TopicPartition> asked = List.copyOf(partitions);
        return ctx.deliver(asked, "Deleting committed offsets", ctx.retrying("Deleting committed offsets of group '" + groupId + "'",
            () -> groups.deleteOffsets(groupId, asked)));
    }

    /**
     * The offsets {@link #resetOffsets} would commit, computed the same way, committing nothing (a dry run).
     *
     * @param partitions the partitions to move; empty for every partition the group has committed offsets for
     */
    public CompletableFuture<Map<TopicPartition, Long>> planOffsetReset(String groupId, Collection<TopicPartition> partitions,
                                                                        OffsetReset reset) {
        return ctx.deliver(positions.plan(groupId, List.copyOf(partitions), reset));
    }

    /**
     * Moves the group's committed offsets as {@code reset} says and returns what was committed. The group must
     * have no members (GroupNotEmptyException otherwise); a group that does not exist yet gets the offsets.
     *
     * @param partitions the partitions to move; empty for every partition the group has committed offsets for
     */
    public CompletableFuture<Map<TopicPartition, Long>> resetOffsets(String groupId, Collection<TopicPartition> partitions,
                                                                     OffsetReset reset) {
        return ctx.deliver(positions.reset(groupId, List.copyOf(partitions), reset));
    }

    /** Committed offset, log end offset, lag and owning member of every partition the group commits to or is assigned. */
    public CompletableFuture<List<PartitionLag>> groupLag(String groupId) {
        return ctx.deliver(positions.lag(groupId));
    }

    // ================================================================== blocking

    /**
     * Waits for {@code future} (at most the operation's deadline, plus a few seconds for its delivery) and
     * returns its value, or throws the exception it failed with.
     *
     * @throws TributaryException    what the operation failed with (IllegalArgumentException and other unchecked
     *                               exceptions from bad arguments are thrown as they are)
     * @throws TimeoutException      if no outcome arrived in time
     * @throws InterruptException    if interrupted while waiting
     */
    public <T> T await(CompletableFuture<T> future) {
        long waitMs = ctx.apiTimeoutMs() + AWAIT_SLACK_MS;
        try {
            return future.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = AdminContext.unwrap(e);
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new TributaryException("Admin operation failed: " + cause, cause);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("No outcome of the admin operation within " + waitMs + " ms");
        } catch (InterruptedException e) {
            throw new InterruptException("Interrupted while waiting for an admin operation", e);
        }
    }

    /** Closes the connections; operations still pending fail. Idempotent. */
    @Override
    public void close() {
        network.close();
        ctx.close();
        callbacks.shutdown();
    }
}
