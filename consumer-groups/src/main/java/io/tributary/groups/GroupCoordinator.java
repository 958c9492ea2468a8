package io.tributary.groups;

import io.tributary.protocol.ClientText;
import io.tributary.groups.classic.GroupShard;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.groups.timer.Scheduler;
import io.tributary.groups.timer.SystemScheduler;
import io.tributary.log.AppendReplication;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The broker's group coordinator for the classic group protocol: one method per group operation (join, sync,
 * heartbeat, leave, commit, fetch and delete offsets, describe, list and delete groups, find the coordinator),
 * taking a request in the coordinator's own terms ({@link JoinGroup}, {@link OffsetCommit}, ...) and answering
 * with an outcome whose refusals are {@link GroupError}s, plus the lifecycle of the {@code __consumer_offsets}
 * partitions this broker coordinates. It knows nothing of the Kafka wire format or API versions: the broker's
 * {@code server.group} decodes requests into these types and encodes the outcomes, version by version.
 *
 * <h2>For callers</h2>
 * Each method may be called from any thread (a Netty event loop) and never blocks: it hands the request to
 * the thread of the group's {@code __consumer_offsets} partition and returns a future completed there.
 * JoinGroup and SyncGroup futures may complete much later (when the rebalance completes); the others complete
 * as soon as their partition's thread has run them (for writes: once the followers have them). A caller continues on its
 * own thread ({@code thenAcceptAsync(..., eventLoop)}). Futures never complete exceptionally for a request
 * problem: refusals are in the outcome. Requests carry byte arrays the coordinator keeps as they are: the
 * caller hands over copies.
 *
 * <h2>Ownership</h2>
 * A group belongs to partition {@code abs(groupId.hashCode()) % partitions} of {@code __consumer_offsets}, as in
 * Kafka. This broker coordinates the partitions it was given at {@link #start(Collection)} (all of them by
 * {@link #start()}) and later by {@link #elect}; requests for other groups get NOT_COORDINATOR, and during a
 * partition's load COORDINATOR_LOAD_IN_PROGRESS.
 *
 * <h2>Threads</h2>
 * {@code group.coordinator.threads} single-threaded executors; partition p runs on thread p mod n, so every
 * group is touched by one thread ({@link GroupShard} says why this rather than locks). One more thread loads
 * partitions, and one timer thread ({@link SystemScheduler}) serves every timeout of every group.
 */
public final class GroupCoordinator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupCoordinator.class);
    public static final String OFFSETS_TOPIC = "__consumer_offsets";

    private final GroupCoordinatorConfig config;
    private final LogManager logs;
    private final TopicResolver topics;
    private final Scheduler scheduler;
    private final IntFunction<Executor> executorFor;
    private final Executor loader;
    private final List<AutoCloseable> resources;
    private final AppendReplication replication;
    private volatile AtomicReferenceArray<GroupShard> shards;
    private volatile boolean closed;

    private GroupCoordinator(GroupCoordinatorConfig config, LogManager logs, TopicResolver topics, Scheduler scheduler,
                             IntFunction<Executor> executorFor, Executor loader, List<AutoCloseable> resources,
                             AppendReplication replication) {
        this.replication = replication;
        this.config = config;
        this.logs = logs;
        this.topics = topics;
        this.scheduler = scheduler;
        this.executorFor = executorFor;
        this.loader = loader;
        this.resources = resources;
    }

    /**
     * A coordinator with its own threads (see the class comment) over the broker's logs. Call {@link #start()}
     * before serving; {@link #close()} stops the threads (the log manager stays open).
     */
    public static GroupCoordinator create(GroupCoordinatorConfig config, LogManager logs) {
        return create(config, logs, AppendReplication.NONE);
    }

    /**
     * {@link #create(GroupCoordinatorConfig, LogManager)} in a cluster: every write to {@code __consumer_offsets} waits
     * in {@code replication} until the partition's followers have it, and only then is applied and answered.
     */
    public static GroupCoordinator create(GroupCoordinatorConfig config, LogManager logs, AppendReplication replication) {
        SystemScheduler scheduler = new SystemScheduler();
        ExecutorService[] threads = new ExecutorService[config.threads()];
        List<AutoCloseable> resources = new ArrayList<>();
        for (int i = 0; i < threads.length; i++) {
            threads[i] = Executors.newSingleThreadExecutor(daemon("group-coordinator-" + i));
            resources.add(shutdown(threads[i]));
        }
        ExecutorService loader = Executors.newSingleThreadExecutor(daemon("group-coordinator-loader"));
        resources.add(shutdown(loader));
        resources.add(scheduler);
        return new GroupCoordinator(config, logs, TopicResolver.of(logs), scheduler, p -> threads[p % threads.length],
            loader, resources, replication);
    }

    /**
     * A coordinator on the caller's scheduler and executor, for tests and embedding: every partition's work and
     * every load runs on {@code executor}, which must run tasks one at a time in submission order (a direct
     * executor makes the coordinator synchronous and deterministic under a manual scheduler).
     */
    public GroupCoordinator(GroupCoordinatorConfig config, LogManager logs, TopicResolver topics, Scheduler scheduler,
                            Executor executor) {
        this(config, logs, topics, scheduler, executor, AppendReplication.NONE);
    }

    /** {@link #GroupCoordinator(GroupCoordinatorConfig, LogManager, TopicResolver, Scheduler, Executor)} waiting in {@code replication}. */
    public GroupCoordinator(GroupCoordinatorConfig config, LogManager logs, TopicResolver topics, Scheduler scheduler,
                            Executor executor, AppendReplication replication) {
        this(config, logs, topics, scheduler, p -> executor, executor, List.of(), replication);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    private static AutoCloseable shutdown(ExecutorService executor) {
        return () -> {
            executor.shutdown();
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        };
    }

    public GroupCoordinatorConfig config() {
        return config;
    }

    // =====================================================================================================
    // lifecycle

    /** Coordinates every partition of {@code __consumer_offsets}; see {@link #start(Collection)}. */
    public CompletableFuture<Void> start() {
        int count = ensureOffsetsTopic().partitionCount();
        List<Integer> all = new ArrayList<>(count);
        for (int p = 0; p < count; p++) {
            all.add(p);
        }
        return start(all);
    }

    /**
     * Creates {@code __consumer_offsets} if missing ({@code offsets.topic.num.partitions} partitions) and starts
     * loading the given partitions; the future completes when all are loaded. Requests for their groups get
     * COORDINATOR_LOAD_IN_PROGRESS until then.
     */
    public synchronized CompletableFuture<Void> start(Collection<Integer> partitions) {
        ensureOpen();
        TopicMetadata topic = ensureOffsetsTopic();
        if (shards == null) {
            shards = new AtomicReferenceArray<>(topic.partitionCount());
        }
        List<CompletableFuture<Void>> loads = new ArrayList<>();
        for (int p : partitions) {
            loads.add(elect(p));
        }
        return CompletableFuture.allOf(loads.toArray(new CompletableFuture<?>[0]));
    }

    private TopicMetadata ensureOffsetsTopic() {
        TopicMetadata topic = logs.topic(OFFSETS_TOPIC);
        if (topic != null) {
            return topic;
        }
        Map<String, String> overrides = new HashMap<>();
        overrides.put(LogConfig.SEGMENT_BYTES.name(), Integer.toString(config.offsetsTopicSegmentBytes()));
        // Compacted, not deleted by age: the latest commit per (group, partition) and the latest metadata per
        // group stay, so the topic's size and load time follow the live groups, not the commits ever made.
        overrides.put(LogConfig.CLEANUP_POLICY.name(), "compact");
        log.info("Creating {} with {} partitions", OFFSETS_TOPIC, config.offsetsTopicPartitions());
        return logs.createTopic(OFFSETS_TOPIC, config.offsetsTopicPartitions(), overrides);
    }

    /** {@link #elect(int, int)} at leader epoch 0: a partition led alone. */
    public CompletableFuture<Void> elect(int partition) {
        return elect(partition, 0);
    }

    /**
     * Takes over a partition of {@code __consumer_offsets} as its leader at {@code leaderEpoch} (Kafka's onElection):
     * loads its groups on the loader thread, then serves them, stamping every write with that epoch. Completes when it
     * serves them; a no-op for a partition already owned at that epoch or a later one (the metadata repeats a
     * leader's election with every change of its partition). Owned at an older epoch (this broker was elected again),
     * the partition is given up and loaded anew, so no write goes out under the old epoch.
     */
    public synchronized CompletableFuture<Void> elect(int partition, int leaderEpoch) {
        ensureOpen();
        AtomicReferenceArray<GroupShard> table = requireStarted();
        if (partition < 0 || partition >= table.length()) {
            throw new IllegalArgumentException("Partition " + partition + " of " + OFFSETS_TOPIC + " is outside 0-" + (table.length() - 1));
        }
        GroupShard current = table.get(partition);
        if (current != null) {
            if (current.leaderEpoch() >= leaderEpoch) {
                return CompletableFuture.completedFuture(null);
            }
            resign(partition);
        }
        PartitionLog partitionLog = logs.log(new TopicPartition(OFFSETS_TOPIC, partition));
        GroupShard shard = new GroupShard(partition, leaderEpoch, replication,
            new OffsetsPartition(partitionLog, config.offsetsLoadBufferBytes()), config, scheduler, executorFor.apply(partition), topics);
        table.set(partition, shard);
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        loader.execute(() -> {
            try {
                long start = System.nanoTime();
                OffsetsPartition.LoadStats stats = shard.load();
                log.info("Loaded {}-{}: {} records ({} skipped, {} bytes, offsets {}-{}) in {} ms", OFFSETS_TOPIC, partition,
                    stats.records(), stats.skipped(), stats.bytes(), stats.startOffset(), stats.endOffset(),
                    (System.nanoTime() - start) / 1_000_000);
                shard.executor().execute(() -> {
                    if (shard.status() == GroupShard.Status.LOADING) {
                        shard.activate();
                    }
                    loaded.complete(null);
                });
            } catch (RuntimeException e) {
                log.error("Cannot load {}-{}", OFFSETS_TOPIC, partition, e);
                table.compareAndSet(partition, shard, null);
                loaded.completeExceptionally(e);
            }
        });
        return loaded;
    }

    /**
     * Gives up a partition (Kafka's onResignation): parked requests of its groups are answered NOT_COORDINATOR,
     * its timers stop, its groups are forgotten (they stay in the log).
     */
    public synchronized CompletableFuture<Void> resign(int partition) {
        AtomicReferenceArray<GroupShard> table = requireStarted();
        GroupShard shard = table.getAndSet(partition, null);
        if (shard == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            shard.executor().execute(() -> {
                shard.unload();
                done.complete(null);
            });
        } catch (RejectedExecutionException e) {
            done.complete(null);
        }
        return done;
    }

    /** Whether this coordinator serves (or is loading) the partition. */
    public boolean owns(int partition) {
        AtomicReferenceArray<GroupShard> table = shards;
        return table != null && partition >= 0 && partition < table.length() && table.get(partition) != null;
    }

    /**
     * The {@code __consumer_offsets} partition of a group: {@code abs(groupId.hashCode()) % partitions}, as Kafka. Before
     * the topic exists (a broker creates it on the first FindCoordinator) the count is {@code offsets.topic.num.partitions},
     * the count it will be created with, as Kafka's {@code partitionFor} does; this never creates the topic, which in a
     * cluster only the controller may do.
     */
    public int partitionFor(String groupId) {
        AtomicReferenceArray<GroupShard> table = shards;
        if (table != null) {
            return partitionFor(groupId, table.length());
        }
        TopicMetadata topic = logs.topic(OFFSETS_TOPIC);
        return partitionFor(groupId, topic != null ? topic.partitionCount() : config.offsetsTopicPartitions());
    }

    /** The partition of a group among {@code partitionCount}: {@code abs(groupId.hashCode()) % partitionCount}. */
    public static int partitionFor(String groupId, int partitionCount) {
        int hash = (groupId == null ? "" : groupId).hashCode();
        // Kafka's Utils.abs: Integer.MIN_VALUE maps to 0
        return (hash == Integer.MIN_VALUE ? 0 : Math.abs(hash)) % partitionCount;
    }

    /** Answers everything parked with NOT_COORDINATOR and stops the coordinator's threads; the logs stay open. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> unloads = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            AtomicReferenceArray<GroupShard> table = shards;
            if (table != null) {
                for (int p = 0; p < table.length(); p++) {
                    unloads.add(resign(p));
                }
            }
        }
        try {
            CompletableFuture.allOf(unloads.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("Group coordinator partitions did not unload within 30 s", e);
        }
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                log.warn("Could not stop a group coordinator resource", e);
            }
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("The group coordinator is closed");
        }
    }

    private AtomicReferenceArray<GroupShard> requireStarted() {
        AtomicReferenceArray<GroupShard> table = shards;
        if (table == null) {
            throw new IllegalStateException("The group coordinator has not been started");
        }
        return table;
    }

    // =====================================================================================================
    // routing

    /**
     * Runs {@code work} on the thread of the group's partition; {@code work} completes the future (now or
     * later). Ownership and load errors are answered with {@code onError}, and so is an unexpected failure
     * (UNKNOWN_SERVER_ERROR, logged).
     */
    private <T> CompletableFuture<T> onShard(String groupId, BiConsumer<GroupShard, CompletableFuture<T>> work,
                                             Function<GroupError, T> onError) {
        CompletableFuture<T> future = new CompletableFuture<>();
        AtomicReferenceArray<GroupShard> table = shards;
        GroupShard shard = table == null || closed ? null : table.get(partitionFor(groupId, table.length()));
        if (shard == null) {
            future.complete(onError.apply(GroupError.NOT_COORDINATOR));
            return future;
        }
        try {
            shard.executor().execute(() -> {
                switch (shard.status()) {
                    case LOADING -> future.complete(onError.apply(GroupError.COORDINATOR_LOAD_IN_PROGRESS));
                    case UNLOADED -> future.complete(onError.apply(GroupError.NOT_COORDINATOR));
                    default -> {
                        try {
                            work.accept(shard, future);
                        } catch (RuntimeException e) {
                            log.error("Group {}: request failed on {}-{}", ClientText.escape(groupId), OFFSETS_TOPIC, shard.partition(), e);
                            future.complete(onError.apply(GroupError.UNKNOWN_SERVER_ERROR));
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            future.complete(onError.apply(GroupError.NOT_COORDINATOR));
        }
        return future;
    }

    private <T> CompletableFuture<T> onShardNow(String groupId, Function<GroupShard, T> work, Function<GroupError, T> onError) {
        return onShard(groupId, (shard, future) -> future.complete(work.apply(shard)), onError);
    }

    // =====================================================================================================
    // FindCoordinator

    /**
     * Whether this broker coordinates the group: NONE when it owns the group's partition (loaded or loading),
     * else COORDINATOR_NOT_AVAILABLE with a message (no other broker exists yet). Answers at once.
     */
    public CoordinatorLookup lookup(String groupId) {
        AtomicReferenceArray<GroupShard> table = shards;
        if (table == null || closed) {
            return new CoordinatorLookup(GroupError.COORDINATOR_NOT_AVAILABLE, "The group coordinator is not running");
        }
        int partition = partitionFor(groupId, table.length());
        if (table.get(partition) == null) {
            return new CoordinatorLookup(GroupError.COORDINATOR_NOT_AVAILABLE, "No coordinator for partition " + partition
                + " of " + OFFSETS_TOPIC);
        }
        return new CoordinatorLookup(GroupError.NONE, null);
    }

    // =====================================================================================================
    // JoinGroup, SyncGroup, Heartbeat, LeaveGroup

    /**
     * A member joins. Completes when it may proceed: at once for errors (MEMBER_ID_REQUIRED on a first join
     * that {@linkplain JoinGroup#requiresKnownMemberId() requires a known member id},
     * INCONSISTENT_GROUP_PROTOCOL, GROUP_MAX_SIZE_REACHED, ...) and for a follower rejoining a completed
     * generation; otherwise when the join phase completes.
     */
    public CompletableFuture<JoinOutcome> joinGroup(JoinGroup request) {
        return onShard(request.groupId(), (shard, future) -> shard.joinGroup(request, future::complete),
            error -> JoinOutcome.error(error, request.memberId()));
    }

    /**
     * A member asks for its assignment. A follower's completes when the leader's assignment is stored (or the
     * rebalance is restarted: REBALANCE_IN_PROGRESS); the leader's after its assignment was replicated.
     */
    public CompletableFuture<SyncOutcome> syncGroup(SyncGroup request) {
        return onShard(request.groupId(), (shard, future) -> shard.syncGroup(request, future::complete), SyncOutcome::error);
    }

    /** A heartbeat; completes at once (REBALANCE_IN_PROGRESS tells the member to rejoin). */
    public CompletableFuture<GroupError> heartbeat(Heartbeat request) {
        return onShardNow(request.groupId(), shard -> shard.heartbeat(request), error -> error);
    }

    /** Members leave (or are removed); completes at once. */
    public CompletableFuture<LeaveOutcome> leaveGroup(LeaveGroup request) {
        return onShardNow(request.groupId(), shard -> shard.leaveGroup(request), LeaveOutcome::refused);
    }

    // =====================================================================================================
    // OffsetCommit, OffsetFetch, OffsetDelete

    /**
     * Commits offsets; completes after the accepted commits are replicated in {@code __consumer_offsets} (only then
     * does an OffsetFetch see them). Errors are per partition, as in Kafka (a topic named by an unknown id:
     * UNKNOWN_TOPIC_ID; a write whose followers failed it: COORDINATOR_NOT_AVAILABLE or NOT_COORDINATOR).
     */
    public CompletableFuture<CommitOutcome> offsetCommit(OffsetCommit request) {
        return onShard(request.groupId(), (shard, future) -> shard.commitOffsets(request, future::complete),
            error -> CommitOutcome.refused(request, error));
    }

    /**
     * Commits offsets inside a producer's transaction; completes after they are replicated (in a transactional batch).
     * They become visible when the transaction's COMMIT marker reaches the group's partition.
     */
    public CompletableFuture<CommitOutcome> txnOffsetCommit(TxnOffsetCommit request) {
        return onShard(request.commit().groupId(), (shard, future) -> shard.commitTransactionalOffsets(request, future::complete),
            error -> CommitOutcome.refused(request.commit(), error));
    }

    /**
     * Writes a producer's COMMIT or ABORT marker to a partition of {@code __consumer_offsets} (what WriteTxnMarkers does
     * for it) and applies it to the pending transactional offsets, on the partition's thread. NOT_COORDINATOR when the
     * partition is not served here, COORDINATOR_LOAD_IN_PROGRESS while it loads (the caller retries).
     */
    public CompletableFuture<GroupError> writeTransactionMarker(int partition, long producerId, short producerEpoch, boolean commit,
                                                               int coordinatorEpoch) {
        CompletableFuture<GroupError> future = new CompletableFuture<>();
        AtomicReferenceArray<GroupShard> table = shards;
        GroupShard shard = table == null || closed || partition < 0 || partition >= table.length() ? null : table.get(partition);
        if (shard == null) {
            future.complete(GroupError.NOT_COORDINATOR);
            return future;
        }
        try {
            shard.executor().execute(() -> {
                switch (shard.status()) {
                    case LOADING -> future.complete(GroupError.COORDINATOR_LOAD_IN_PROGRESS);
                    case UNLOADED -> future.complete(GroupError.NOT_COORDINATOR);
                    default -> {
                        try {
                            shard.writeTransactionMarker(producerId, producerEpoch, commit, coordinatorEpoch, future::complete);
                        } catch (RuntimeException e) {
                            log.error("Transaction marker of producer {} to {}-{} failed", producerId, OFFSETS_TOPIC, partition, e);
                            future.complete(GroupError.UNKNOWN_SERVER_ERROR);
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            future.complete(GroupError.NOT_COORDINATOR);
        }
        return future;
    }

    /**
     * A group's committed offsets, on its partition's thread; with require_stable, UNSTABLE_OFFSET_COMMIT for a
     * partition whose transactional commit is pending.
     */
    public CompletableFuture<FetchedOffsets> offsetFetch(OffsetFetch request) {
        return onShardNow(request.groupId(), shard -> shard.fetchOffsets(request), FetchedOffsets::refused);
    }

    /**
     * Deletes an Empty group's offsets, or a non-empty consumer group's offsets of topics it does not
     * subscribe to (others: GROUP_SUBSCRIBED_TO_TOPIC); completes once the tombstones are replicated.
     */
    public CompletableFuture<OffsetDeleteOutcome> offsetDelete(OffsetDelete request) {
        return onShard(request.groupId(), (shard, future) -> shard.deleteOffsets(request, future::complete),
            OffsetDeleteOutcome::refused);
    }

    // =====================================================================================================
    // DescribeGroups, ListGroups, DeleteGroups

    /** A group's description, on its partition's thread. An unknown group is "Dead" and does not exist. */
    public CompletableFuture<GroupDescription> describeGroup(String groupId) {
        return onShardNow(groupId, shard -> shard.describeGroup(groupId), error -> GroupDescription.refused(groupId, error));
    }

    /**
     * The groups of every partition this broker owns in the given states (every state when empty), never Dead
     * ones. COORDINATOR_LOAD_IN_PROGRESS while any owned partition loads.
     */
    public CompletableFuture<ListedGroups> listGroups(Set<GroupState> states) {
        AtomicReferenceArray<GroupShard> table = shards;
        List<CompletableFuture<Object>> parts = new ArrayList<>();
        if (table != null && !closed) {
            for (int p = 0; p < table.length(); p++) {
                GroupShard shard = table.get(p);
                if (shard == null) {
                    continue;
                }
                CompletableFuture<Object> part = new CompletableFuture<>();
                parts.add(part);
                try {
                    shard.executor().execute(() -> part.complete(switch (shard.status()) {
                        case ACTIVE -> shard.listGroups(states);
                        case LOADING -> GroupError.COORDINATOR_LOAD_IN_PROGRESS;
                        case UNLOADED -> List.of();
                    }));
                } catch (RejectedExecutionException e) {
                    part.complete(List.of());
                }
            }
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<ListedGroups.Group> listed = new ArrayList<>();
            for (CompletableFuture<Object> part : parts) {
                Object result = part.join();
                if (result instanceof GroupError error) {
                    return new ListedGroups(error, List.of());
                }
                @SuppressWarnings("unchecked")
                List<ListedGroups.Group> groups = (List<ListedGroups.Group>) result;
                listed.addAll(groups);
            }
            return new ListedGroups(GroupError.NONE, listed);
        });
    }

    /** Deletes an Empty group (NON_EMPTY_GROUP otherwise) with its offsets; completes once the tombstones are replicated. */
    public CompletableFuture<GroupError> deleteGroup(String groupId) {
        return onShard(groupId, (shard, future) -> shard.deleteGroup(groupId, future::complete), error -> error);
    }

    // =====================================================================================================
    // inspection

    /** A copy of a group's state (null if unknown or not served here), taken on its partition's thread. */
    public CompletableFuture<GroupSnapshot> snapshot(String groupId) {
        return onShardNow(groupId, shard -> shard.snapshot(groupId), error -> null);
    }

    /** Runs the offset expiry of every owned partition now; the number of offsets expired. For tests and tools. */
    public CompletableFuture<Integer> expireOffsetsNow() {
        AtomicReferenceArray<GroupShard> table = requireStarted();
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        for (int p = 0; p < table.length(); p++) {
            GroupShard shard = table.get(p);
            if (shard != null) {
                CompletableFuture<Integer> part = new CompletableFuture<>();
                parts.add(part);
                shard.executor().execute(() -> part.complete(shard.status() == GroupShard.Status.ACTIVE ? shard.expireOffsets() : 0));
            }
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
            .thenApply(ignored -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }
}
