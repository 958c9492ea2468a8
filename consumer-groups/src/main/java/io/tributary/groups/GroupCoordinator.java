package io.tributary.groups;

import io.tributary.protocol.ClientText;
import io.tributary.groups.classic.GroupShard;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.groups.classic.JoinOutcome;
import io.tributary.groups.classic.SyncOutcome;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.groups.timer.Scheduler;
import io.tributary.groups.timer.SystemScheduler;
import io.tributary.log.LogConfigKey;
import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.log.TopicPartition;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.DeleteGroupsRequest;
import io.tributary.protocol.message.group.DeleteGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsRequest;
import io.tributary.protocol.message.group.DescribeGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsResponse.DescribedGroup;
import io.tributary.protocol.message.group.DescribeGroupsResponse.DescribedGroupMember;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.group.HeartbeatResponse;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupResponse;
import io.tributary.protocol.message.group.ListGroupsRequest;
import io.tributary.protocol.message.group.ListGroupsResponse;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetDeleteRequest;
import io.tributary.protocol.message.group.OffsetDeleteResponse;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
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
 * The broker's group coordinator for the classic group protocol: one method per Kafka API, taking the decoded
 * request body and its version and answering with the response body, plus the lifecycle of the
 * {@code __consumer_offsets} partitions this broker coordinates.
 *
 * <h2>For API handlers</h2>
 * Each method may be called from any thread (a Netty event loop) and never blocks: it hands the request to
 * the thread of the group's {@code __consumer_offsets} partition and returns a future completed there.
 * JoinGroup and SyncGroup futures may complete much later (when the rebalance completes); the others complete
 * as soon as their partition's thread has run them (after the append, for writes). A handler continues on its
 * event loop ({@code thenAcceptAsync(..., eventLoop)}). Futures never complete exceptionally for a request
 * problem: errors are in the body, as Kafka error codes. Request bodies are read before the method returns
 * or on the partition thread; bytes the coordinator keeps are copied, so the request buffer may be released
 * once the future completes.
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
    /** FindCoordinator key types. */
    static final byte KEY_TYPE_GROUP = 0;
    static final byte KEY_TYPE_TRANSACTION = 1;
    static final byte KEY_TYPE_SHARE = 2;
    /** What ListGroups v5+ calls every group this coordinator has. */
    static final String CLASSIC_GROUP_TYPE = "classic";

    private final GroupCoordinatorConfig config;
    private final LogManager logs;
    private final TopicResolver topics;
    private final Scheduler scheduler;
    private final IntFunction<Executor> executorFor;
    private final Executor loader;
    private final List<AutoCloseable> resources;
    private volatile AtomicReferenceArray<GroupShard> shards;
    private volatile boolean closed;

    private GroupCoordinator(GroupCoordinatorConfig config, LogManager logs, TopicResolver topics, Scheduler scheduler,
                             IntFunction<Executor> executorFor, Executor loader, List<AutoCloseable> resources) {
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
            loader, resources);
    }

    /**
     * A coordinator on the caller's scheduler and executor, for tests and embedding: every partition's work and
     * every load runs on {@code executor}, which must run tasks one at a time in submission order (a direct
     * executor makes the coordinator synchronous and deterministic under a manual scheduler).
     */
    public GroupCoordinator(GroupCoordinatorConfig config, LogManager logs, TopicResolver topics, Scheduler scheduler,
                            Executor executor) {
        this(config, logs, topics, scheduler, p -> executor, executor, List.of());
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
        overrides.put(LogConfigKey.SEGMENT_BYTES.configName, Integer.toString(config.offsetsTopicSegmentBytes()));
        // Compacted, not deleted by age: the latest commit per (group, partition) and the latest metadata per
        // group stay, so the topic's size and load time follow the live groups, not the commits ever made.
        overrides.put(LogConfigKey.CLEANUP_POLICY.configName, "compact");
        log.info("Creating {} with {} partitions", OFFSETS_TOPIC, config.offsetsTopicPartitions());
        return logs.createTopic(OFFSETS_TOPIC, config.offsetsTopicPartitions(), overrides);
    }

    /**
     * Takes over a partition of {@code __consumer_offsets} (Kafka's onElection): loads its groups on the loader
     * thread, then serves them. Completes when it serves them; a no-op for a partition already owned.
     */
    public synchronized CompletableFuture<Void> elect(int partition) {
        ensureOpen();
        AtomicReferenceArray<GroupShard> table = requireStarted();
        if (partition < 0 || partition >= table.length()) {
            throw new IllegalArgumentException("Partition " + partition + " of " + OFFSETS_TOPIC + " is outside 0-" + (table.length() - 1));
        }
        if (table.get(partition) != null) {
            return CompletableFuture.completedFuture(null);
        }
        PartitionLog partitionLog = logs.log(new TopicPartition(OFFSETS_TOPIC, partition));
        GroupShard shard = new GroupShard(partition, new OffsetsPartition(partitionLog, config.offsetsLoadBufferBytes()), config,
            scheduler, executorFor.apply(partition), topics);
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
                    shard.activate();
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

    /** The {@code __consumer_offsets} partition of a group: {@code abs(groupId.hashCode()) % partitions}, as Kafka. */
    public int partitionFor(String groupId) {
        AtomicReferenceArray<GroupShard> table = shards;
        int count = table != null ? table.length() : ensureOffsetsTopic().partitionCount();
        return partitionFor(groupId, count);
    }

    static int partitionFor(String groupId, int partitionCount) {
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
                                             Function<ErrorCode, T> onError) {
        CompletableFuture<T> future = new CompletableFuture<>();
        AtomicReferenceArray<GroupShard> table = shards;
        GroupShard shard = table == null || closed ? null : table.get(partitionFor(groupId, table.length()));
        if (shard == null) {
            future.complete(onError.apply(ErrorCode.NOT_COORDINATOR));
            return future;
        }
        try {
            shard.executor().execute(() -> {
                switch (shard.status()) {
                    case LOADING -> future.complete(onError.apply(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS));
                    case UNLOADED -> future.complete(onError.apply(ErrorCode.NOT_COORDINATOR));
                    default -> {
                        try {
                            work.accept(shard, future);
                        } catch (RuntimeException e) {
                            log.error("Group {}: request failed on {}-{}", ClientText.escape(groupId), OFFSETS_TOPIC, shard.partition(), e);
                            future.complete(onError.apply(ErrorCode.UNKNOWN_SERVER_ERROR));
                        }
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            future.complete(onError.apply(ErrorCode.NOT_COORDINATOR));
        }
        return future;
    }

    private <T> CompletableFuture<T> onShardNow(String groupId, Function<GroupShard, T> work, Function<ErrorCode, T> onError) {
        return onShard(groupId, (shard, future) -> future.complete(work.apply(shard)), onError);
    }

    // =====================================================================================================
    // FindCoordinator

    /**
     * FindCoordinator v0-6 (one key before v4, a batch from v4). A group's coordinator is this broker when it
     * owns the group's partition, else COORDINATOR_NOT_AVAILABLE (no other broker exists yet); transaction and
     * share coordinators are not supported (UNSUPPORTED_VERSION with a message), unknown key types are
     * INVALID_REQUEST. Completes at once.
     *
     * @param self the listener the request came in on, which the client should use
     */
    public CompletableFuture<Struct> findCoordinator(Struct request, short version, Node self) {
        Struct response = FindCoordinatorResponse.SCHEMA.newStruct();
        byte keyType = request.get(FindCoordinatorRequest.KEY_TYPE);
        if (version >= 4) {
            for (String key : request.get(FindCoordinatorRequest.COORDINATOR_KEYS)) {
                Lookup found = lookup(key, keyType, self);
                response.add(FindCoordinatorResponse.COORDINATORS)
                    .set(FindCoordinatorResponse.Coordinator.KEY, key)
                    .set(FindCoordinatorResponse.Coordinator.NODE_ID, found.node.nodeId())
                    .set(FindCoordinatorResponse.Coordinator.HOST, found.node.host())
                    .set(FindCoordinatorResponse.Coordinator.PORT, found.node.port())
                    .set(FindCoordinatorResponse.Coordinator.ERROR_CODE, found.error.code())
                    .set(FindCoordinatorResponse.Coordinator.ERROR_MESSAGE, found.message);
            }
        } else {
            Lookup found = lookup(request.get(FindCoordinatorRequest.KEY), keyType, self);
            response.set(FindCoordinatorResponse.ERROR_CODE, found.error.code())
                .set(FindCoordinatorResponse.NODE_ID, found.node.nodeId())
                .set(FindCoordinatorResponse.HOST, found.node.host())
                .set(FindCoordinatorResponse.PORT, found.node.port());
            if (version >= 1) {
                response.set(FindCoordinatorResponse.ERROR_MESSAGE, found.message);
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private record Lookup(ErrorCode error, String message, Node node) {
    }

    private static final Node NO_NODE = new Node(-1, "", -1);

    private Lookup lookup(String key, byte keyType, Node self) {
        if (keyType == KEY_TYPE_TRANSACTION || keyType == KEY_TYPE_SHARE) {
            return new Lookup(ErrorCode.UNSUPPORTED_VERSION, (keyType == KEY_TYPE_TRANSACTION ? "Transaction" : "Share")
                + " coordinators are not supported by this broker", NO_NODE);
        }
        if (keyType != KEY_TYPE_GROUP) {
            return new Lookup(ErrorCode.INVALID_REQUEST, "Unknown coordinator key type " + keyType, NO_NODE);
        }
        AtomicReferenceArray<GroupShard> table = shards;
        if (table == null || closed) {
            return new Lookup(ErrorCode.COORDINATOR_NOT_AVAILABLE, "The group coordinator is not running", NO_NODE);
        }
        int partition = partitionFor(key, table.length());
        if (table.get(partition) == null) {
            return new Lookup(ErrorCode.COORDINATOR_NOT_AVAILABLE, "No coordinator for partition " + partition + " of "
                + OFFSETS_TOPIC, NO_NODE);
        }
        return new Lookup(ErrorCode.NONE, null, self);
    }

    // =====================================================================================================
    // JoinGroup, SyncGroup, Heartbeat, LeaveGroup

    /**
     * JoinGroup v0-9. Completes when the member may proceed: at once for errors (MEMBER_ID_REQUIRED on a
     * first v4+ join, INCONSISTENT_GROUP_PROTOCOL, GROUP_MAX_SIZE_REACHED, ...) and for a follower rejoining a
     * completed generation; otherwise when the join phase completes.
     *
     * @param clientId   the request header's client id (member ids start with it)
     * @param clientHost the client's address as DescribeGroups shows it, e.g. "/127.0.0.1"
     */
    public CompletableFuture<Struct> joinGroup(Struct request, short version, String clientId, String clientHost) {
        String memberId = request.get(JoinGroupRequest.MEMBER_ID);
        return onShard(request.get(JoinGroupRequest.GROUP_ID),
            (shard, future) -> shard.joinGroup(request, version, clientId == null ? "" : clientId,
                clientHost == null ? "" : clientHost, outcome -> future.complete(joinResponse(outcome, version))),
            error -> joinResponse(JoinOutcome.error(error, memberId == null ? "" : memberId), version));
    }

    static Struct joinResponse(JoinOutcome o, short version) {
        Struct s = JoinGroupResponse.SCHEMA.newStruct()
            .set(JoinGroupResponse.ERROR_CODE, o.error().code())
            .set(JoinGroupResponse.GENERATION_ID, o.generationId())
            .set(JoinGroupResponse.PROTOCOL_TYPE, o.protocolType())
            .set(JoinGroupResponse.PROTOCOL_NAME, version >= 7 || o.protocolName() != null ? o.protocolName() : "")
            .set(JoinGroupResponse.LEADER, o.leaderId() == null ? "" : o.leaderId())
            .set(JoinGroupResponse.MEMBER_ID, o.memberId());
        if (version >= 9) {
            s.set(JoinGroupResponse.SKIP_ASSIGNMENT, o.skipAssignment());
        }
        for (JoinOutcome.JoinedMember m : o.members()) {
            s.add(JoinGroupResponse.MEMBERS)
                .set(JoinGroupResponse.JoinGroupResponseMember.MEMBER_ID, m.memberId())
                .set(JoinGroupResponse.JoinGroupResponseMember.GROUP_INSTANCE_ID, m.groupInstanceId())
                .set(JoinGroupResponse.JoinGroupResponseMember.METADATA, ByteBuffer.wrap(m.metadata()));
        }
        return s;
    }

    /**
     * SyncGroup v0-5. A follower's completes when the leader's assignment is stored (or the rebalance is
     * restarted: REBALANCE_IN_PROGRESS); the leader's after its assignment was appended to the log.
     */
    public CompletableFuture<Struct> syncGroup(Struct request, short version) {
        return onShard(request.get(SyncGroupRequest.GROUP_ID),
            (shard, future) -> shard.syncGroup(request, version, outcome -> future.complete(syncResponse(outcome))),
            error -> syncResponse(SyncOutcome.error(error)));
    }

    static Struct syncResponse(SyncOutcome o) {
        return SyncGroupResponse.SCHEMA.newStruct()
            .set(SyncGroupResponse.ERROR_CODE, o.error().code())
            .set(SyncGroupResponse.PROTOCOL_TYPE, o.protocolType())
            .set(SyncGroupResponse.PROTOCOL_NAME, o.protocolName())
            .set(SyncGroupResponse.ASSIGNMENT, ByteBuffer.wrap(o.assignment()));
    }

    /** Heartbeat v0-4; completes at once (REBALANCE_IN_PROGRESS tells the member to rejoin). */
    public CompletableFuture<Struct> heartbeat(Struct request, short version) {
        return onShardNow(request.get(HeartbeatRequest.GROUP_ID),
            shard -> HeartbeatResponse.SCHEMA.newStruct().set(HeartbeatResponse.ERROR_CODE, shard.heartbeat(request, version).code()),
            error -> HeartbeatResponse.SCHEMA.newStruct().set(HeartbeatResponse.ERROR_CODE, error.code()));
    }

    /** LeaveGroup v0-5 (a batch of members from v3, per-member errors); completes at once. */
    public CompletableFuture<Struct> leaveGroup(Struct request, short version) {
        return onShardNow(request.get(LeaveGroupRequest.GROUP_ID), shard -> shard.leaveGroup(request, version),
            error -> LeaveGroupResponse.SCHEMA.newStruct().set(LeaveGroupResponse.ERROR_CODE, error.code()));
    }

    // =====================================================================================================
    // OffsetCommit, OffsetFetch, OffsetDelete

    /**
     * OffsetCommit v2-10; completes after the accepted commits are appended to {@code __consumer_offsets}.
     * Errors are per partition, as in Kafka (v10 names topics by id: UNKNOWN_TOPIC_ID for an unknown one).
     */
    public CompletableFuture<Struct> offsetCommit(Struct request, short version) {
        return onShardNow(request.get(OffsetCommitRequest.GROUP_ID), shard -> shard.commitOffsets(request, version),
            error -> commitError(request, error));
    }

    private static Struct commitError(Struct request, ErrorCode error) {
        Struct response = OffsetCommitResponse.SCHEMA.newStruct();
        for (Struct topic : request.get(OffsetCommitRequest.TOPICS)) {
            Struct out = response.add(OffsetCommitResponse.TOPICS)
                .set(OffsetCommitResponse.OffsetCommitResponseTopic.NAME, topic.get(OffsetCommitRequest.OffsetCommitRequestTopic.NAME))
                .set(OffsetCommitResponse.OffsetCommitResponseTopic.TOPIC_ID, topic.get(OffsetCommitRequest.OffsetCommitRequestTopic.TOPIC_ID));
            for (Struct p : topic.get(OffsetCommitRequest.OffsetCommitRequestTopic.PARTITIONS)) {
                out.add(OffsetCommitResponse.OffsetCommitResponseTopic.PARTITIONS)
                    .set(OffsetCommitResponse.OffsetCommitResponsePartition.PARTITION_INDEX,
                        p.get(OffsetCommitRequest.OffsetCommitRequestPartition.PARTITION_INDEX))
                    .set(OffsetCommitResponse.OffsetCommitResponsePartition.ERROR_CODE, error.code());
            }
        }
        return response;
    }

    /**
     * OffsetFetch v1-10: one group before v8 (topics null from v2 = all committed offsets), several groups from
     * v8, each routed to its own partition; completes when every group has answered. require_stable (v7+) is
     * always satisfied: this broker has no transactional commits that could be pending.
     */
    public CompletableFuture<Struct> offsetFetch(Struct request, short version) {
        if (version >= 8) {
            List<Struct> groupRequests = request.get(OffsetFetchRequest.GROUPS);
            List<CompletableFuture<Struct>> parts = new ArrayList<>(groupRequests.size());
            for (Struct g : groupRequests) {
                String groupId = g.get(OffsetFetchRequest.OffsetFetchRequestGroup.GROUP_ID);
                List<Struct> topicRequests = g.get(OffsetFetchRequest.OffsetFetchRequestGroup.TOPICS);
                List<GroupShard.RequestedTopic> requested = null;
                if (topicRequests != null) {
                    requested = new ArrayList<>(topicRequests.size());
                    for (Struct t : topicRequests) {
                        String name = version >= 10 ? topics.topicName(t.get(OffsetFetchRequest.OffsetFetchRequestTopics.TOPIC_ID))
                            : t.get(OffsetFetchRequest.OffsetFetchRequestTopics.NAME);
                        requested.add(new GroupShard.RequestedTopic(name, t.get(OffsetFetchRequest.OffsetFetchRequestTopics.TOPIC_ID),
                            t.get(OffsetFetchRequest.OffsetFetchRequestTopics.PARTITION_INDEXES)));
                    }
                }
                List<GroupShard.RequestedTopic> asked = requested;
                parts.add(onShardNow(groupId, shard -> fetchedGroup(groupId, shard.fetchOffsets(groupId, asked), ErrorCode.NONE, version),
                    error -> fetchedGroup(groupId, List.of(), error, version)));
            }
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
                Struct response = OffsetFetchResponse.SCHEMA.newStruct();
                List<Struct> groups = new ArrayList<>(parts.size());
                parts.forEach(p -> groups.add(p.join()));
                return response.set(OffsetFetchResponse.GROUPS, groups);
            });
        }
        String groupId = request.get(OffsetFetchRequest.GROUP_ID);
        List<Struct> topicRequests = request.get(OffsetFetchRequest.TOPICS);
        List<GroupShard.RequestedTopic> requested = null;
        if (topicRequests != null) {
            requested = new ArrayList<>(topicRequests.size());
            for (Struct t : topicRequests) {
                requested.add(new GroupShard.RequestedTopic(t.get(OffsetFetchRequest.OffsetFetchRequestTopic.NAME), null,
                    t.get(OffsetFetchRequest.OffsetFetchRequestTopic.PARTITION_INDEXES)));
            }
        }
        List<GroupShard.RequestedTopic> asked = requested;
        return onShardNow(groupId, shard -> singleGroupFetch(shard.fetchOffsets(groupId, asked), ErrorCode.NONE, version),
            error -> {
                if (version >= 2 || asked == null) {
                    return singleGroupFetch(List.of(), error, version);
                }
                // v1 has no group-level error: every partition asked for carries it
                List<GroupShard.FetchedTopic> failed = new ArrayList<>();
                for (GroupShard.RequestedTopic t : asked) {
                    List<GroupShard.FetchedPartition> partitions = new ArrayList<>();
                    for (int p : t.partitions()) {
                        partitions.add(new GroupShard.FetchedPartition(p, -1, -1, "", error));
                    }
                    failed.add(new GroupShard.FetchedTopic(t.name(), null, partitions));
                }
                return singleGroupFetch(failed, ErrorCode.NONE, version);
            });
    }

    private static Struct singleGroupFetch(List<GroupShard.FetchedTopic> fetched, ErrorCode error, short version) {
        Struct response = OffsetFetchResponse.SCHEMA.newStruct();
        if (version >= 2) {
            response.set(OffsetFetchResponse.ERROR_CODE, error.code());
        }
        for (GroupShard.FetchedTopic t : fetched) {
            Struct topic = response.add(OffsetFetchResponse.TOPICS).set(OffsetFetchResponse.OffsetFetchResponseTopic.NAME, t.name());
            for (GroupShard.FetchedPartition p : t.partitions()) {
                topic.add(OffsetFetchResponse.OffsetFetchResponseTopic.PARTITIONS)
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.PARTITION_INDEX, p.partition())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_OFFSET, p.offset())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_LEADER_EPOCH, p.leaderEpoch())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.METADATA, p.metadata())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.ERROR_CODE, p.error().code());
            }
        }
        return response;
    }

    private static Struct fetchedGroup(String groupId, List<GroupShard.FetchedTopic> fetched, ErrorCode error, short version) {
        Struct group = OffsetFetchResponse.OffsetFetchResponseGroup.SCHEMA.newStruct()
            .set(OffsetFetchResponse.OffsetFetchResponseGroup.GROUP_ID, groupId)
            .set(OffsetFetchResponse.OffsetFetchResponseGroup.ERROR_CODE, error.code());
        group.set(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS, new ArrayList<>());
        for (GroupShard.FetchedTopic t : fetched) {
            if (version >= 10 && t.topicId() == null && t.name() != null) {
                continue; // a topic that no longer exists has no id to report
            }
            Struct topic = group.add(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS)
                .set(OffsetFetchResponse.OffsetFetchResponseTopics.NAME, t.name() == null ? "" : t.name());
            if (t.topicId() != null) {
                topic.set(OffsetFetchResponse.OffsetFetchResponseTopics.TOPIC_ID, t.topicId());
            }
            for (GroupShard.FetchedPartition p : t.partitions()) {
                topic.add(OffsetFetchResponse.OffsetFetchResponseTopics.PARTITIONS)
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.PARTITION_INDEX, p.partition())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.COMMITTED_OFFSET, p.offset())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.COMMITTED_LEADER_EPOCH, p.leaderEpoch())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.METADATA, p.metadata())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.ERROR_CODE, p.error().code());
            }
        }
        return group;
    }

    /**
     * OffsetDelete v0: an Empty group's offsets, or a non-empty consumer group's offsets of topics it does not
     * subscribe to (others: GROUP_SUBSCRIBED_TO_TOPIC); tombstones are appended before it completes.
     */
    public CompletableFuture<Struct> offsetDelete(Struct request, short version) {
        return onShardNow(request.get(OffsetDeleteRequest.GROUP_ID), shard -> shard.deleteOffsets(request, version),
            error -> OffsetDeleteResponse.SCHEMA.newStruct().set(OffsetDeleteResponse.ERROR_CODE, error.code()));
    }

    // =====================================================================================================
    // DescribeGroups, ListGroups, DeleteGroups

    /**
     * DescribeGroups v0-6, each group on its partition's thread. An unknown group is "Dead" with no error before
     * v6 and GROUP_ID_NOT_FOUND from v6, as in Kafka. Without an authorizer, the authorized operations asked for
     * (v3+) are READ, DELETE and DESCRIBE.
     */
    public CompletableFuture<Struct> describeGroups(Struct request, short version) {
        boolean withOperations = version >= 3 && request.get(DescribeGroupsRequest.INCLUDE_AUTHORIZED_OPERATIONS);
        List<String> ids = request.get(DescribeGroupsRequest.GROUPS);
        List<CompletableFuture<Struct>> parts = new ArrayList<>(ids.size());
        for (String groupId : ids) {
            parts.add(onShardNow(groupId, shard -> describedGroup(shard.describeGroup(groupId), version, withOperations),
                error -> DescribedGroup.SCHEMA.newStruct().set(DescribedGroup.GROUP_ID, groupId)
                    .set(DescribedGroup.ERROR_CODE, error.code())));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<Struct> groups = new ArrayList<>(parts.size());
            parts.forEach(p -> groups.add(p.join()));
            return DescribeGroupsResponse.SCHEMA.newStruct().set(DescribeGroupsResponse.GROUPS, groups);
        });
    }

    private static Struct describedGroup(GroupShard.GroupDescription d, short version, boolean withOperations) {
        Struct g = DescribedGroup.SCHEMA.newStruct()
            .set(DescribedGroup.GROUP_ID, d.groupId())
            .set(DescribedGroup.GROUP_STATE, d.state())
            .set(DescribedGroup.PROTOCOL_TYPE, d.protocolType())
            .set(DescribedGroup.PROTOCOL_DATA, d.protocolData())
            .set(DescribedGroup.ERROR_CODE, ErrorCode.NONE.code());
        if (!d.exists() && version >= 6) {
            g.set(DescribedGroup.ERROR_CODE, ErrorCode.GROUP_ID_NOT_FOUND.code())
                .set(DescribedGroup.ERROR_MESSAGE, "Group " + d.groupId() + " not found.");
        }
        if (withOperations) {
            g.set(DescribedGroup.AUTHORIZED_OPERATIONS, GroupShard.GROUP_AUTHORIZED_OPERATIONS);
        }
        g.set(DescribedGroup.MEMBERS, new ArrayList<>());
        for (GroupShard.DescribedMember m : d.members()) {
            g.add(DescribedGroup.MEMBERS)
                .set(DescribedGroupMember.MEMBER_ID, m.memberId())
                .set(DescribedGroupMember.GROUP_INSTANCE_ID, m.groupInstanceId())
                .set(DescribedGroupMember.CLIENT_ID, m.clientId())
                .set(DescribedGroupMember.CLIENT_HOST, m.clientHost())
                .set(DescribedGroupMember.MEMBER_METADATA, ByteBuffer.wrap(m.metadata()))
                .set(DescribedGroupMember.MEMBER_ASSIGNMENT, ByteBuffer.wrap(m.assignment()));
        }
        return g;
    }

    /**
     * ListGroups v0-5 over every partition this broker owns, filtered by state (v4+, case-insensitive) and type
     * (v5+: every group here is "classic"). COORDINATOR_LOAD_IN_PROGRESS while any owned partition loads.
     */
    public CompletableFuture<Struct> listGroups(Struct request, short version) {
        Set<GroupState> states = EnumSet.noneOf(GroupState.class);
        boolean matchesNothing = false;
        if (version >= 4) {
            List<String> filter = request.get(ListGroupsRequest.STATES_FILTER);
            for (String name : filter) {
                GroupState s = GroupState.forWireName(name);
                if (s != null) {
                    states.add(s);
                }
            }
            matchesNothing = !filter.isEmpty() && states.isEmpty();
        }
        if (version >= 5) {
            List<String> types = request.get(ListGroupsRequest.TYPES_FILTER);
            matchesNothing |= !types.isEmpty() && types.stream().noneMatch(CLASSIC_GROUP_TYPE::equalsIgnoreCase);
        }
        AtomicReferenceArray<GroupShard> table = shards;
        List<CompletableFuture<Object>> parts = new ArrayList<>();
        if (table != null && !closed && !matchesNothing) {
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
                        case LOADING -> ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
                        case UNLOADED -> List.of();
                    }));
                } catch (RejectedExecutionException e) {
                    part.complete(List.of());
                }
            }
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            Struct response = ListGroupsResponse.SCHEMA.newStruct().set(ListGroupsResponse.ERROR_CODE, ErrorCode.NONE.code());
            List<Struct> listed = new ArrayList<>();
            for (CompletableFuture<Object> part : parts) {
                Object result = part.join();
                if (result instanceof ErrorCode error) {
                    return ListGroupsResponse.SCHEMA.newStruct().set(ListGroupsResponse.ERROR_CODE, error.code());
                }
                @SuppressWarnings("unchecked")
                List<GroupShard.ListedGroup> groups = (List<GroupShard.ListedGroup>) result;
                for (GroupShard.ListedGroup g : groups) {
                    listed.add(ListGroupsResponse.ListedGroup.SCHEMA.newStruct()
                        .set(ListGroupsResponse.ListedGroup.GROUP_ID, g.groupId())
                        .set(ListGroupsResponse.ListedGroup.PROTOCOL_TYPE, g.protocolType())
                        .set(ListGroupsResponse.ListedGroup.GROUP_STATE, g.state())
                        .set(ListGroupsResponse.ListedGroup.GROUP_TYPE, CLASSIC_GROUP_TYPE));
                }
            }
            return response.set(ListGroupsResponse.GROUPS, listed);
        });
    }

    /** DeleteGroups v0-2: Empty groups only (NON_EMPTY_GROUP otherwise); tombstones are appended before it completes. */
    public CompletableFuture<Struct> deleteGroups(Struct request, short version) {
        List<String> ids = request.get(DeleteGroupsRequest.GROUPS_NAMES);
        List<CompletableFuture<Struct>> parts = new ArrayList<>(ids.size());
        for (String groupId : ids) {
            parts.add(onShardNow(groupId, shard -> deletedGroup(groupId, shard.deleteGroup(groupId)),
                error -> deletedGroup(groupId, error)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<Struct> results = new ArrayList<>(parts.size());
            parts.forEach(p -> results.add(p.join()));
            return DeleteGroupsResponse.SCHEMA.newStruct().set(DeleteGroupsResponse.RESULTS, results);
        });
    }

    private static Struct deletedGroup(String groupId, ErrorCode error) {
        return DeleteGroupsResponse.DeletableGroupResult.SCHEMA.newStruct()
            .set(DeleteGroupsResponse.DeletableGroupResult.GROUP_ID, groupId)
            .set(DeleteGroupsResponse.DeletableGroupResult.ERROR_CODE, error.code());
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
