package io.tributary.clients.consumer.group;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.CommitFailedException;
import io.tributary.clients.consumer.ConsumerRebalanceListener;
import io.tributary.clients.consumer.OffsetAndMetadata;
import io.tributary.clients.consumer.OffsetCommitCallback;
import io.tributary.clients.consumer.assignor.Assignment;
import io.tributary.clients.consumer.assignor.ConsumerProtocol;
import io.tributary.clients.consumer.assignor.PartitionAssignor;
import io.tributary.clients.consumer.assignor.RebalanceProtocol;
import io.tributary.clients.consumer.assignor.Subscription;
import io.tributary.clients.consumer.fetch.FetchBuffer;
import io.tributary.clients.consumer.state.SubscriptionState;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.RetriableApiException;
import io.tributary.clients.errors.RetriableException;
import io.tributary.clients.errors.TimeoutException;
import io.tributary.clients.errors.TributaryException;
import io.tributary.clients.metadata.Cluster;
import io.tributary.clients.metadata.Metadata;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.clients.network.NetworkClient;
import io.tributary.clients.network.ScheduledTask;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.group.HeartbeatResponse;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.JoinGroupRequest.JoinGroupRequestProtocol;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.JoinGroupResponse.JoinGroupResponseMember;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupRequest.MemberIdentity;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestPartition;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestTopic;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponsePartition;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponseTopic;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.OffsetFetchRequest.OffsetFetchRequestGroup;
import io.tributary.protocol.message.group.OffsetFetchRequest.OffsetFetchRequestTopics;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponseGroup;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponsePartitions;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponseTopics;
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.group.SyncGroupRequest.SyncGroupRequestAssignment;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * This consumer's membership of its group under Kafka's classic protocol, and its offset commits.
 *
 * <h2>Rebalance</h2>
 * Run by the application thread inside {@code poll}: find the coordinator (FindCoordinator), prepare (commit
 * if auto-commit is on; under eager rebalancing revoke everything, under cooperative only partitions of topics
 * no longer subscribed), JoinGroup with one protocol per configured assignor (each carrying the
 * {@link ConsumerProtocol} subscription, with owned partitions and generation), and if elected leader run the
 * chosen assignor over every member's subscription; SyncGroup; then apply the assignment and tell the
 * {@link ConsumerRebalanceListener}. Under cooperative rebalancing a member that had to revoke partitions
 * rejoins at once, so their new owners get them in a second round. The rebalance protocol is cooperative only
 * if every configured assignor supports it, as in Kafka. A JoinGroup or SyncGroup still unanswered when the
 * poll's deadline passes stays in flight and the next poll waits on for it, as Kafka's does: starting over
 * would make every poll shorter than a rebalance a new generation. The leader assigns from the metadata it
 * has (waiting only for topics it does not know yet) and rebalances when their partition counts change.
 *
 * <h2>Heartbeats</h2>
 * Sent every {@code heartbeat.interval.ms} from the network client's I/O thread while the member is stable, so
 * they go on while the application processes records. They also enforce {@code max.poll.interval.ms}: a member
 * whose application has not polled for that long leaves the group (a dynamic member sends LeaveGroup) and
 * rejoins on its next poll, losing its partitions. Heartbeat answers that mean "rebalance" or "you are not a
 * member" only set flags and wake {@code poll}; all reactions happen on the application thread.
 *
 * <h2>Threading</h2>
 * Membership fields are read by the heartbeat on the I/O thread, so they are guarded by this object's lock;
 * listener calls, assignment changes and blocking waits happen only on the application thread, never under
 * the lock. Async commit callbacks are queued by the I/O thread and run by the application thread
 * ({@link #runCompletedCommitCallbacks}).
 */
public final class ConsumerCoordinator {
    private static final Logger log = LoggerFactory.getLogger(ConsumerCoordinator.class);

    /** The group settings this coordinator needs from the consumer's configuration. */
    public record Settings(String groupId, String groupInstanceId, int sessionTimeoutMs, int rebalanceTimeoutMs,
                           int heartbeatIntervalMs, boolean autoCommit, long autoCommitIntervalMs, String rack,
                           long retryBackoffMs) {
    }

    private enum State { UNJOINED, STABLE }

    private record InFlightJoin(Node node, Set<String> topics, CompletableFuture<ClientResponse> answer) {
    }

    private record InFlightSync(Node node, Set<String> topics, int generation, String protocol,
                                CompletableFuture<ClientResponse> answer) {
    }

    private final NetworkClient network;
    private final Metadata metadata;
    private final SubscriptionState subscriptions;
    private final List<PartitionAssignor> assignors;
    private final RebalanceProtocol protocol;
    private final Settings settings;
    private final Wakeup wakeup;
    private final FetchBuffer fetchBuffer;
    private final Runnable onAssignmentChange;
    private final ConcurrentLinkedQueue<Runnable> commitCallbacks = new ConcurrentLinkedQueue<>();

    // Guarded by this.
    private Node coordinator;
    private String memberId = "";
    private int generation = -1;
    private String protocolName;
    private State state = State.UNJOINED;
    private ScheduledTask heartbeat;

    private volatile boolean rejoinNeeded = true;
    private volatile boolean membershipLost;
    private volatile long lastPollNanos = System.nanoTime();
    private boolean prepared;
    // Application thread only: requests of a rebalance that outlive the poll that sent them. A poll whose
    // deadline passes first leaves them in flight and the next poll waits on, rather than starting over
    // (which would make a JoinGroup that takes longer than the poll timeout a new generation every poll).
    private CompletableFuture<Node> findInFlight;
    private InFlightJoin joinInFlight;
    private InFlightSync syncInFlight;
    private Set<TopicPartition> offsetFetchAsked;
    private CompletableFuture<ClientResponse> offsetFetchInFlight;
    /** As leader: the partition counts the last assignment was made with, to rejoin when they change. */
    private Map<String, Integer> assignedCounts = Map.of();
    private Set<String> joinedTopics = Set.of();
    private ConsumerRebalanceListener listener = ConsumerRebalanceListener.NONE;
    private long nextAutoCommitNanos;
    private boolean closed;

    public ConsumerCoordinator(NetworkClient network, Metadata metadata, SubscriptionState subscriptions,
                               List<PartitionAssignor> assignors, Settings settings, Wakeup wakeup,
                               FetchBuffer fetchBuffer, Runnable onAssignmentChange) {
        this.network = network;
        this.metadata = metadata;
        this.subscriptions = subscriptions;
        this.assignors = List.copyOf(assignors);
        this.settings = settings;
        this.wakeup = wakeup;
        this.fetchBuffer = fetchBuffer;
        this.onAssignmentChange = onAssignmentChange;
        boolean cooperative = assignors.stream().allMatch(a -> a.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE));
        this.protocol = cooperative ? RebalanceProtocol.COOPERATIVE : RebalanceProtocol.EAGER;
        this.nextAutoCommitNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.autoCommitIntervalMs());
    }

    public RebalanceProtocol rebalanceProtocol() {
        return protocol;
    }

    public void setListener(ConsumerRebalanceListener listener) {
        this.listener = listener == null ? ConsumerRebalanceListener.NONE : listener;
    }

    public synchronized int generation() {
        return generation;
    }

    public synchronized String memberId() {
        return memberId;
    }

    /** Whether the next poll must (re)join: a new subscription, a rebalance, a lost membership. */
    public boolean rejoinNeeded() {
        return rejoinNeeded;
    }

    public void requestRejoin() {
        rejoinNeeded = true;
    }

    // ---- poll

    /**
     * Called by every {@code poll}: keeps the membership current, joining or rejoining if needed (as long as
     * the deadline allows), and auto-commits when due.
     *
     * @return whether the member is stable with an assignment it may fetch for
     */
    public boolean poll(long deadlineNanos) {
        lastPollNanos = System.nanoTime();
        runCompletedCommitCallbacks();
        if (!subscriptions.usesGroupAssignment()) {
            maybeAutoCommit();
            return true;
        }
        if (subscriptions.type() == SubscriptionState.Type.PATTERN) {
            matchPattern();
        }
        if (!subscriptions.topics().equals(joinedTopics) || partitionCountsChanged()) {
            rejoinNeeded = true;
        }
        if (membershipLost) {
            loseAssignment();
        }
        if (rejoinNeeded || stateIs(State.UNJOINED)) {
            try {
                joinGroup(deadlineNanos);
            } catch (TimeoutException e) {
                log.debug("Group {}: rebalance not finished by the poll deadline; continuing on the next poll", settings.groupId());
                return false;
            }
        }
        maybeAutoCommit();
        return stateIs(State.STABLE);
    }

    /**
     * As leader, whether metadata now shows other partition counts for the subscribed topics than the last
     * assignment used (Kafka's rule too): new partitions must get an owner, so the group rebalances.
     */
    private boolean partitionCountsChanged() {
        if (assignedCounts.isEmpty() || !stateIs(State.STABLE)) {
            return false;
        }
        Cluster cluster = metadata.cluster();
        for (Map.Entry<String, Integer> e : assignedCounts.entrySet()) {
            int now = cluster.partitionCount(e.getKey());
            if (now > 0 && now != e.getValue()) {
                log.info("Group {}: topic {} now has {} partitions, assigned with {}; rebalancing", settings.groupId(),
                    e.getKey(), now, e.getValue());
                assignedCounts = Map.of();
                return true;
            }
        }
        return false;
    }

    private synchronized boolean stateIs(State s) {
        return state == s;
    }

    private void matchPattern() {
        Pattern pattern = subscriptions.pattern();
        metadata.setAllTopics(true);
        List<String> matching = new ArrayList<>();
        metadata.cluster().topics().forEach((name, topic) -> {
            if (!topic.internal() && pattern.matcher(name).matches()) {
                matching.add(name);
            }
        });
        subscriptions.matchedTopics(matching);
    }

    private void maybeAutoCommit() {
        if (!settings.autoCommit() || settings.groupId() == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - nextAutoCommitNanos >= 0) {
            nextAutoCommitNanos = now + TimeUnit.MILLISECONDS.toNanos(settings.autoCommitIntervalMs());
            Map<TopicPartition, OffsetAndMetadata> positions = currentPositions();
            if (!positions.isEmpty()) {
                commitAsync(positions, (offsets, error) -> {
                    if (error != null) {
                        log.warn("Group {}: auto-commit of {} failed: {}", settings.groupId(), offsets, error.toString());
                    }
                });
            }
        }
    }

    /** The positions of the assigned partitions, as offsets to commit. */
    public Map<TopicPartition, OffsetAndMetadata> currentPositions() {
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
        for (TopicPartition tp : subscriptions.assignedPartitions()) {
            SubscriptionState.PartitionState state = subscriptions.state(tp);
            if (state.hasPosition()) {
                offsets.put(tp, new OffsetAndMetadata(state.position(), state.leaderEpoch(), ""));
            }
        }
        return offsets;
    }

    // ---- coordinator discovery

    /** The coordinator, looked up (and retried) until the deadline. */
    public Node ensureCoordinator(long deadlineNanos) {
        while (true) {
            synchronized (this) {
                if (coordinator != null) {
                    return coordinator;
                }
            }
            if (findInFlight == null) {
                findInFlight = findCoordinator();
            }
            CompletableFuture<Node> find = findInFlight;
            try {
                Node found = wakeup.await(find, deadlineNanos, "FindCoordinator for group " + settings.groupId());
                findInFlight = null;
                synchronized (this) {
                    coordinator = found;
                }
                return found;
            } catch (RetriableException e) {
                if (!find.isDone()) {
                    throw e; // the poll's deadline, not the request's: the next call waits on for the same answer
                }
                findInFlight = null;
                log.debug("Group {}: no coordinator yet: {}", settings.groupId(), e.getMessage());
                backoff(deadlineNanos, "the coordinator of group " + settings.groupId(), e);
            } catch (RuntimeException e) {
                if (find.isDone()) {
                    findInFlight = null;
                }
                throw e;
            }
        }
    }

    private CompletableFuture<Node> findCoordinator() {
        Cluster cluster = metadata.cluster();
        List<Node> candidates = new ArrayList<>(cluster.nodes());
        if (candidates.isEmpty()) {
            candidates.addAll(cluster.bootstrapNodes());
        }
        Node target = network.leastLoadedNode(candidates);
        if (target == null) {
            return CompletableFuture.failedFuture(new RetriableException("No broker is reachable to find the coordinator"));
        }
        Struct request = FindCoordinatorRequest.SCHEMA.newStruct()
            .set(FindCoordinatorRequest.KEY, settings.groupId())
            .set(FindCoordinatorRequest.KEY_TYPE, 0);
        return network.send(target, ClientRequest.of(ApiKey.FIND_COORDINATOR, request).withVersions(1, 3))
            .thenApply(response -> {
                Struct body = response.body();
                ErrorCode error = ErrorCode.forCode(body.get(FindCoordinatorResponse.ERROR_CODE));
                if (error != ErrorCode.NONE) {
                    throw error(error, "FindCoordinator for group " + settings.groupId() + ": "
                        + body.get(FindCoordinatorResponse.ERROR_MESSAGE));
                }
                return new Node(body.get(FindCoordinatorResponse.NODE_ID), body.get(FindCoordinatorResponse.HOST),
                    body.get(FindCoordinatorResponse.PORT));
            });
    }

    private synchronized void coordinatorUnknown(Node failed) {
        if (failed == null || failed.equals(coordinator)) {
            coordinator = null;
        }
    }

    private void backoff(long deadlineNanos, String what, RuntimeException cause) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0) {
            throw new TimeoutException("Timed out waiting for " + what + ": " + cause.getMessage(), cause);
        }
        try {
            fetchBuffer.await(System.nanoTime() + Math.min(left, TimeUnit.MILLISECONDS.toNanos(settings.retryBackoffMs())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.tributary.clients.errors.InterruptException("Interrupted while waiting for " + what, e);
        }
        wakeup.check();
    }

    // ---- join and sync

    private void joinGroup(long deadlineNanos) {
        if (!prepared) {
            onJoinPrepare(deadlineNanos);
            prepared = true;
        }
        while (true) {
            if (syncInFlight == null && !join(deadlineNanos)) {
                continue;
            }
            InFlightSync sync = syncInFlight;
            ClientResponse synced;
            try {
                synced = wakeup.await(sync.answer(), deadlineNanos, "SyncGroup of group " + settings.groupId());
            } catch (RetriableException e) {
                if (!sync.answer().isDone()) {
                    throw e; // the poll's deadline: the next poll waits on for this answer
                }
                syncInFlight = null;
                coordinatorUnknown(sync.node());
                backoff(deadlineNanos, "SyncGroup of group " + settings.groupId(), e);
                continue;
            } catch (RuntimeException e) {
                if (sync.answer().isDone()) {
                    syncInFlight = null;
                }
                throw e;
            }
            syncInFlight = null;
            ErrorCode syncError = ErrorCode.forCode(synced.body().get(SyncGroupResponse.ERROR_CODE));
            switch (syncError) {
                case NONE -> { }
                case REBALANCE_IN_PROGRESS -> {
                    continue;
                }
                case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                    resetMember();
                    continue;
                }
                case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS -> {
                    coordinatorUnknown(sync.node());
                    continue;
                }
                default -> throw error(syncError, "SyncGroup of group " + settings.groupId() + " failed");
            }
            ByteBuffer bytes = synced.body().get(SyncGroupResponse.ASSIGNMENT);
            Assignment assignment = bytes == null || !bytes.hasRemaining()
                ? new Assignment(List.of()) : ConsumerProtocol.decodeAssignment(bytes);
            onJoinComplete(sync.generation(), sync.protocol(), assignment, sync.topics());
            return;
        }
    }

    /**
     * JoinGroup (sent now, or the one a previous poll left in flight) and, once joined, SyncGroup sent: on
     * return true {@link #syncInFlight} is set. False when the join must be sent again.
     */
    private boolean join(long deadlineNanos) {
        if (joinInFlight == null) {
            Node node = ensureCoordinator(deadlineNanos);
            Set<String> topics = new TreeSet<>(subscriptions.topics());
            metadata.addTopics(topics);
            joinInFlight = new InFlightJoin(node, topics, network.send(node,
                ClientRequest.of(ApiKey.JOIN_GROUP, joinRequest(topics)).withVersions(5, 9)));
        }
        InFlightJoin join = joinInFlight;
        ClientResponse joined;
        try {
            joined = wakeup.await(join.answer(), deadlineNanos, "JoinGroup of group " + settings.groupId());
        } catch (RetriableException e) {
            if (!join.answer().isDone()) {
                throw e; // the poll's deadline: the next poll waits on for this answer
            }
            joinInFlight = null;
            coordinatorUnknown(join.node());
            backoff(deadlineNanos, "JoinGroup of group " + settings.groupId(), e);
            return false;
        } catch (RuntimeException e) {
            if (join.answer().isDone()) {
                joinInFlight = null;
            }
            throw e;
        }
        joinInFlight = null;
        Struct body = joined.body();
        ErrorCode error = ErrorCode.forCode(body.get(JoinGroupResponse.ERROR_CODE));
        switch (error) {
            case NONE -> { }
            case MEMBER_ID_REQUIRED -> {
                synchronized (this) {
                    memberId = body.get(JoinGroupResponse.MEMBER_ID);
                }
                return false;
            }
            case UNKNOWN_MEMBER_ID -> {
                resetMember();
                return false;
            }
            case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE, COORDINATOR_LOAD_IN_PROGRESS -> {
                coordinatorUnknown(join.node());
                backoff(deadlineNanos, "JoinGroup of group " + settings.groupId(), error(error, "JoinGroup"));
                return false;
            }
            case REBALANCE_IN_PROGRESS -> {
                return false;
            }
            default -> throw error(error, "JoinGroup of group " + settings.groupId() + " failed");
        }
        int joinedGeneration = body.get(JoinGroupResponse.GENERATION_ID);
        String joinedMember = body.get(JoinGroupResponse.MEMBER_ID);
        String chosen = body.get(JoinGroupResponse.PROTOCOL_NAME);
        synchronized (this) {
            memberId = joinedMember;
            generation = joinedGeneration;
            protocolName = chosen;
        }
        Struct sync = SyncGroupRequest.SCHEMA.newStruct()
            .set(SyncGroupRequest.GROUP_ID, settings.groupId())
            .set(SyncGroupRequest.GENERATION_ID, joinedGeneration)
            .set(SyncGroupRequest.MEMBER_ID, joinedMember)
            .set(SyncGroupRequest.GROUP_INSTANCE_ID, settings.groupInstanceId())
            .set(SyncGroupRequest.PROTOCOL_TYPE, ConsumerProtocol.PROTOCOL_TYPE)
            .set(SyncGroupRequest.PROTOCOL_NAME, chosen);
        assignedCounts = Map.of();
        if (joinedMember.equals(body.get(JoinGroupResponse.LEADER)) && !body.get(JoinGroupResponse.SKIP_ASSIGNMENT)) {
            Map<String, ByteBuffer> assignments = lead(chosen, body.get(JoinGroupResponse.MEMBERS), deadlineNanos);
            assignments.forEach((member, bytes) -> sync.add(SyncGroupRequest.ASSIGNMENTS)
                .set(SyncGroupRequestAssignment.MEMBER_ID, member)
                .set(SyncGroupRequestAssignment.ASSIGNMENT, bytes));
        }
        syncInFlight = new InFlightSync(join.node(), join.topics(), joinedGeneration, chosen,
            network.send(join.node(), ClientRequest.of(ApiKey.SYNC_GROUP, sync).withVersions(3, 5)));
        return true;
    }

    private Struct joinRequest(Set<String> topics) {
        Struct request = JoinGroupRequest.SCHEMA.newStruct()
            .set(JoinGroupRequest.GROUP_ID, settings.groupId())
            .set(JoinGroupRequest.SESSION_TIMEOUT_MS, settings.sessionTimeoutMs())
            .set(JoinGroupRequest.REBALANCE_TIMEOUT_MS, settings.rebalanceTimeoutMs())
            .set(JoinGroupRequest.GROUP_INSTANCE_ID, settings.groupInstanceId())
            .set(JoinGroupRequest.PROTOCOL_TYPE, ConsumerProtocol.PROTOCOL_TYPE);
        List<TopicPartition> owned = protocol == RebalanceProtocol.COOPERATIVE
            ? new ArrayList<>(subscriptions.assignedPartitions()) : List.of();
        int ownedGeneration;
        synchronized (this) {
            request.set(JoinGroupRequest.MEMBER_ID, memberId);
            ownedGeneration = generation;
        }
        String rack = settings.rack() == null || settings.rack().isEmpty() ? null : settings.rack();
        for (PartitionAssignor assignor : assignors) {
            Subscription subscription = new Subscription(new ArrayList<>(topics), assignor.subscriptionUserData(topics),
                owned, ownedGeneration, rack, null);
            request.add(JoinGroupRequest.PROTOCOLS)
                .set(JoinGroupRequestProtocol.NAME, assignor.name())
                .set(JoinGroupRequestProtocol.METADATA, ConsumerProtocol.encodeSubscription(subscription));
        }
        return request;
    }

    /** As leader: every member's assignment, encoded. */
    private Map<String, ByteBuffer> lead(String chosen, List<Struct> members, long deadlineNanos) {
        PartitionAssignor assignor = assignors.stream().filter(a -> a.name().equals(chosen)).findFirst()
            .orElseThrow(() -> new IllegalStateException("The coordinator chose assignor " + chosen
                + ", which this consumer did not offer"));
        Map<String, Subscription> subscriptionsByMember = new LinkedHashMap<>();
        Set<String> allTopics = new TreeSet<>();
        for (Struct member : members) {
            Subscription s = ConsumerProtocol.decodeSubscription(member.get(JoinGroupResponseMember.METADATA))
                .withGroupInstanceId(member.get(JoinGroupResponseMember.GROUP_INSTANCE_ID));
            subscriptionsByMember.put(member.get(JoinGroupResponseMember.MEMBER_ID), s);
            allTopics.addAll(s.topics());
        }
        Map<String, Integer> partitionsPerTopic = partitionCounts(allTopics, deadlineNanos);
        assignedCounts = Map.copyOf(partitionsPerTopic);
        Map<String, Assignment> assigned = assignor.assign(partitionsPerTopic, subscriptionsByMember);
        log.info("Group {}: leader assigned with {} over {} members: {}", settings.groupId(), chosen,
            subscriptionsByMember.size(), assigned);
        Map<String, ByteBuffer> encoded = new LinkedHashMap<>();
        subscriptionsByMember.keySet().forEach(member -> encoded.put(member,
            ConsumerProtocol.encodeAssignment(assigned.getOrDefault(member, new Assignment(List.of())))));
        return encoded;
    }

    /**
     * Partition counts of the topics that exist, waiting (briefly) only for topics the metadata does not know
     * yet. Counts already known are used as they are, as Kafka's leader does: waiting for a fresh answer would
     * cost every rebalance up to {@code retry.backoff.ms}, and a count that changes afterwards makes the
     * leader rebalance again ({@link #partitionCountsChanged}).
     */
    private Map<String, Integer> partitionCounts(Set<String> topics, long deadlineNanos) {
        metadata.addTopics(topics);
        long waitUntil = Math.min(deadlineNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(5));
        Cluster cluster = metadata.cluster();
        while (!knowsAll(cluster, topics)) {
            try {
                wakeup.await(metadata.requestUpdate(), waitUntil, "metadata for " + topics);
            } catch (TimeoutException e) {
                break;
            }
            cluster = metadata.cluster();
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String topic : topics) {
            int count = cluster.partitionCount(topic);
            if (count > 0) {
                counts.put(topic, count);
            }
        }
        return counts;
    }

    private static boolean knowsAll(Cluster cluster, Set<String> topics) {
        for (String topic : topics) {
            if (cluster.topic(topic) == null) {
                return false;
            }
        }
        return true;
    }

    private void onJoinPrepare(long deadlineNanos) {
        stopHeartbeat();
        if (settings.autoCommit()) {
            Map<TopicPartition, OffsetAndMetadata> positions = currentPositions();
            if (!positions.isEmpty()) {
                try {
                    commitSync(positions, deadlineNanos);
                } catch (TributaryException e) {
                    log.warn("Group {}: commit before rebalance failed: {}", settings.groupId(), e.getMessage());
                }
            }
        }
        Set<TopicPartition> owned = new LinkedHashSet<>(subscriptions.assignedPartitions());
        Set<TopicPartition> revoked = new LinkedHashSet<>();
        if (protocol == RebalanceProtocol.EAGER) {
            revoked.addAll(owned);
        } else {
            for (TopicPartition tp : owned) {
                if (!subscriptions.topics().contains(tp.topic())) {
                    revoked.add(tp);
                }
            }
        }
        if (!revoked.isEmpty()) {
            listener.onPartitionsRevoked(revoked);
            Set<TopicPartition> kept = new LinkedHashSet<>(owned);
            kept.removeAll(revoked);
            subscriptions.assignFromGroup(kept);
            onAssignmentChange.run();
        }
    }

    private void onJoinComplete(int joinedGeneration, String chosen, Assignment assignment, Set<String> topics) {
        PartitionAssignor assignor = assignors.stream().filter(a -> a.name().equals(chosen)).findFirst().orElseThrow();
        assignor.onAssignment(assignment, joinedGeneration);
        Set<TopicPartition> owned = new LinkedHashSet<>(subscriptions.assignedPartitions());
        Set<TopicPartition> assigned = new LinkedHashSet<>(assignment.partitions());
        Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
        revoked.removeAll(assigned);
        Set<TopicPartition> added = new LinkedHashSet<>(assigned);
        added.removeAll(owned);
        joinedTopics = Set.copyOf(topics);
        prepared = false;
        rejoinNeeded = false;
        if (!revoked.isEmpty()) {
            listener.onPartitionsRevoked(revoked);
            // Cooperative: the partitions go to their new owners in a follow-up rebalance.
            rejoinNeeded = true;
        }
        subscriptions.assignFromGroup(assigned);
        onAssignmentChange.run();
        synchronized (this) {
            state = State.STABLE;
        }
        log.info("Group {}: joined generation {} as {} with {}; assigned {}", settings.groupId(), joinedGeneration,
            memberId(), chosen, assigned);
        listener.onPartitionsAssigned(protocol == RebalanceProtocol.COOPERATIVE ? added : assigned);
        startHeartbeat();
    }

    /** Forgets the membership (the coordinator no longer knows it); partitions are lost on the next poll. */
    private void resetMember() {
        synchronized (this) {
            memberId = "";
            generation = -1;
            state = State.UNJOINED;
        }
        rejoinNeeded = true;
    }

    private void loseAssignment() {
        membershipLost = false;
        Set<TopicPartition> lost = new LinkedHashSet<>(subscriptions.assignedPartitions());
        if (!lost.isEmpty()) {
            log.warn("Group {}: membership lost; partitions {} may already belong to others", settings.groupId(), lost);
            listener.onPartitionsLost(lost);
            subscriptions.assignFromGroup(List.of());
            onAssignmentChange.run();
        }
        prepared = true; // Nothing left to commit or revoke before rejoining.
    }

    // ---- heartbeats (I/O thread)

    private void startHeartbeat() {
        synchronized (this) {
            if (heartbeat != null) {
                heartbeat.cancel();
            }
            heartbeat = network.schedule(settings.heartbeatIntervalMs(), this::heartbeat);
        }
    }

    private synchronized void stopHeartbeat() {
        if (heartbeat != null) {
            heartbeat.cancel();
            heartbeat = null;
        }
    }

    private void heartbeat() {
        Node node;
        Struct request;
        synchronized (this) {
            if (closed || state != State.STABLE || heartbeat == null) {
                return;
            }
            heartbeat = network.schedule(settings.heartbeatIntervalMs(), this::heartbeat);
            long sincePoll = System.nanoTime() - lastPollNanos;
            if (sincePoll > TimeUnit.MILLISECONDS.toNanos(settings.rebalanceTimeoutMs())) {
                log.warn("Group {}: no poll for {} ms, more than max.poll.interval.ms ({}); leaving the group",
                    settings.groupId(), TimeUnit.NANOSECONDS.toMillis(sincePoll), settings.rebalanceTimeoutMs());
                sendLeaveGroup("consumer poll timeout has expired");
                memberId = "";
                generation = -1;
                state = State.UNJOINED;
                rejoinNeeded = true;
                membershipLost = true;
                fetchBuffer.signal();
                return;
            }
            node = coordinator;
            if (node == null) {
                rejoinNeeded = true;
                fetchBuffer.signal();
                return;
            }
            request = HeartbeatRequest.SCHEMA.newStruct()
                .set(HeartbeatRequest.GROUP_ID, settings.groupId())
                .set(HeartbeatRequest.GENERATION_ID, generation)
                .set(HeartbeatRequest.MEMBER_ID, memberId)
                .set(HeartbeatRequest.GROUP_INSTANCE_ID, settings.groupInstanceId());
        }
        network.send(node, ClientRequest.of(ApiKey.HEARTBEAT, request).withVersions(3, 4)).whenComplete((response, failure) -> {
            if (failure != null) {
                coordinatorUnknown(node);
                return;
            }
            ErrorCode error = ErrorCode.forCode(response.body().get(HeartbeatResponse.ERROR_CODE));
            switch (error) {
                case NONE -> { }
                case REBALANCE_IN_PROGRESS -> {
                    rejoinNeeded = true;
                    fetchBuffer.signal();
                }
                case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID -> {
                    log.warn("Group {}: heartbeat answered {}; rejoining", settings.groupId(), error);
                    synchronized (this) {
                        if (error == ErrorCode.UNKNOWN_MEMBER_ID || error == ErrorCode.FENCED_INSTANCE_ID) {
                            memberId = "";
                        }
                        generation = -1;
                        state = State.UNJOINED;
                    }
                    membershipLost = true;
                    rejoinNeeded = true;
                    fetchBuffer.signal();
                }
                case NOT_COORDINATOR, COORDINATOR_NOT_AVAILABLE -> {
                    coordinatorUnknown(node);
                    rejoinNeeded = true;
                    fetchBuffer.signal();
                }
                default -> log.warn("Group {}: heartbeat answered {}", settings.groupId(), error);
            }
        });
    }

    /** Fire and forget; dynamic members only (a static member keeps its place until its session times out). */
    private synchronized CompletableFuture<?> sendLeaveGroup(String reason) {
        if (memberId.isEmpty() || coordinator == null || settings.groupInstanceId() != null) {
            return CompletableFuture.completedFuture(null);
        }
        Struct request = LeaveGroupRequest.SCHEMA.newStruct().set(LeaveGroupRequest.GROUP_ID, settings.groupId());
        request.add(LeaveGroupRequest.MEMBERS)
            .set(MemberIdentity.MEMBER_ID, memberId)
            .set(MemberIdentity.REASON, reason);
        return network.send(coordinator, ClientRequest.of(ApiKey.LEAVE_GROUP, request).withVersions(3, 5));
    }

    // ---- commits

    /** Commits and waits, retrying coordinator errors until the deadline. */
    public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineNanos) {
        if (offsets.isEmpty()) {
            return;
        }
        checkGroup();
        while (true) {
            Node node = ensureCoordinator(deadlineNanos);
            try {
                wakeup.await(sendCommit(node, offsets), deadlineNanos, "OffsetCommit of group " + settings.groupId());
                return;
            } catch (RetriableException e) {
                coordinatorUnknown(node);
                backoff(deadlineNanos, "OffsetCommit of group " + settings.groupId(), e);
            }
        }
    }

    /** Commits without waiting; {@code callback} runs on the application thread in a later call. */
    public void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        checkGroup();
        Map<TopicPartition, OffsetAndMetadata> copy = Map.copyOf(offsets);
        Node node;
        synchronized (this) {
            node = coordinator;
        }
        CompletableFuture<Node> target = node != null ? CompletableFuture.completedFuture(node) : findCoordinator()
            .thenApply(found -> {
                synchronized (this) {
                    coordinator = found;
                }
                return found;
            });
        target.thenCompose(n -> sendCommit(n, copy)).whenComplete((v, error) -> {
            Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
            if (cause instanceof RetriableApiException r && isCoordinatorError(r.errorCode())) {
                coordinatorUnknown(null);
            }
            commitCallbacks.add(() -> callback.onComplete(copy, (Exception) cause));
            fetchBuffer.signal();
        });
    }

    /** Runs the callbacks of async commits that completed, in completion order. */
    public void runCompletedCommitCallbacks() {
        Runnable callback;
        while ((callback = commitCallbacks.poll()) != null) {
            callback.run();
        }
    }

    private CompletableFuture<Void> sendCommit(Node node, Map<TopicPartition, OffsetAndMetadata> offsets) {
        Struct request = OffsetCommitRequest.SCHEMA.newStruct().set(OffsetCommitRequest.GROUP_ID, settings.groupId());
        synchronized (this) {
            boolean member = subscriptions.usesGroupAssignment() && state == State.STABLE;
            request.set(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH, member ? generation : -1)
                .set(OffsetCommitRequest.MEMBER_ID, member ? memberId : "")
                .set(OffsetCommitRequest.GROUP_INSTANCE_ID, member ? settings.groupInstanceId() : null);
        }
        Map<String, Struct> topics = new LinkedHashMap<>();
        offsets.forEach((tp, offset) -> topics
            .computeIfAbsent(tp.topic(), name -> request.add(OffsetCommitRequest.TOPICS).set(OffsetCommitRequestTopic.NAME, name))
            .add(OffsetCommitRequestTopic.PARTITIONS)
            .set(OffsetCommitRequestPartition.PARTITION_INDEX, tp.partition())
            .set(OffsetCommitRequestPartition.COMMITTED_OFFSET, offset.offset())
            .set(OffsetCommitRequestPartition.COMMITTED_LEADER_EPOCH, offset.leaderEpoch())
            .set(OffsetCommitRequestPartition.COMMITTED_METADATA, offset.metadata()));
        return network.send(node, ClientRequest.of(ApiKey.OFFSET_COMMIT, request).withVersions(7, 9)).thenApply(response -> {
            for (Struct topic : response.body().get(OffsetCommitResponse.TOPICS)) {
                for (Struct p : topic.get(OffsetCommitResponseTopic.PARTITIONS)) {
                    ErrorCode error = ErrorCode.forCode(p.get(OffsetCommitResponsePartition.ERROR_CODE));
                    if (error == ErrorCode.NONE) {
                        continue;
                    }
                    String where = "OffsetCommit of " + topic.get(OffsetCommitResponseTopic.NAME) + "-"
                        + p.get(OffsetCommitResponsePartition.PARTITION_INDEX) + " for group " + settings.groupId();
                    switch (error) {
                        case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION, FENCED_INSTANCE_ID, REBALANCE_IN_PROGRESS -> {
                            if (error != ErrorCode.REBALANCE_IN_PROGRESS) {
                                membershipLost = true;
                            }
                            rejoinNeeded = true;
                            throw new CommitFailedException(where + " was refused with " + error + ": the group "
                                + "rebalanced and the partitions may belong to another member now (is the time between "
                                + "polls longer than max.poll.interval.ms?)");
                        }
                        default -> throw error(error, where + " failed");
                    }
                }
            }
            return null;
        });
    }

    /** Committed offsets of the group for {@code partitions}; partitions without one are absent. */
    public Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, long deadlineNanos) {
        return committed(partitions, deadlineNanos, false);
    }

    /**
     * Committed offsets to start the partitions from. When the deadline passes first, the OffsetFetch stays in
     * flight and the next call for the same partitions waits on for its answer instead of asking again.
     */
    public Map<TopicPartition, OffsetAndMetadata> committedForPositions(Set<TopicPartition> partitions, long deadlineNanos) {
        return committed(partitions, deadlineNanos, true);
    }

    private Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, long deadlineNanos,
                                                             boolean forPositions) {
        checkGroup();
        while (true) {
            CompletableFuture<ClientResponse> answer = forPositions ? offsetFetchInFlight : null;
            if (answer == null || !partitions.equals(offsetFetchAsked)) {
                answer = sendOffsetFetch(partitions, ensureCoordinator(deadlineNanos));
                if (forPositions) {
                    offsetFetchAsked = Set.copyOf(partitions);
                    offsetFetchInFlight = answer;
                }
            }
            try {
                ClientResponse response = wakeup.await(answer, deadlineNanos, "OffsetFetch of group " + settings.groupId());
                forgetOffsetFetch(answer);
                return readCommitted(response.body());
            } catch (RetriableException e) {
                if (!answer.isDone()) {
                    throw e; // the caller's deadline; for positions the next call waits on for this answer
                }
                forgetOffsetFetch(answer);
                coordinatorUnknown(null);
                backoff(deadlineNanos, "OffsetFetch of group " + settings.groupId(), e);
            } catch (RuntimeException e) {
                if (answer.isDone()) {
                    forgetOffsetFetch(answer);
                }
                throw e;
            }
        }
    }

    private void forgetOffsetFetch(CompletableFuture<ClientResponse> answered) {
        if (offsetFetchInFlight == answered) {
            offsetFetchInFlight = null;
            offsetFetchAsked = null;
        }
    }

    private CompletableFuture<ClientResponse> sendOffsetFetch(Set<TopicPartition> partitions, Node node) {
        Struct request = OffsetFetchRequest.SCHEMA.newStruct();
        Struct group = request.add(OffsetFetchRequest.GROUPS).set(OffsetFetchRequestGroup.GROUP_ID, settings.groupId());
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        byTopic.forEach((topic, ps) -> group.add(OffsetFetchRequestGroup.TOPICS)
            .set(OffsetFetchRequestTopics.NAME, topic)
            .set(OffsetFetchRequestTopics.PARTITION_INDEXES, ps.stream().mapToInt(Integer::intValue).toArray()));
        return network.send(node, ClientRequest.of(ApiKey.OFFSET_FETCH, request).withVersions(8, 9));
    }

    private Map<TopicPartition, OffsetAndMetadata> readCommitted(Struct body) {
        Map<TopicPartition, OffsetAndMetadata> committed = new HashMap<>();
        for (Struct group : body.get(OffsetFetchResponse.GROUPS)) {
            ErrorCode error = ErrorCode.forCode(group.get(OffsetFetchResponseGroup.ERROR_CODE));
            if (error != ErrorCode.NONE) {
                throw error(error, "OffsetFetch of group " + settings.groupId());
            }
            for (Struct topic : group.get(OffsetFetchResponseGroup.TOPICS)) {
                for (Struct p : topic.get(OffsetFetchResponseTopics.PARTITIONS)) {
                    ErrorCode partitionError = ErrorCode.forCode(p.get(OffsetFetchResponsePartitions.ERROR_CODE));
                    TopicPartition tp = new TopicPartition(topic.get(OffsetFetchResponseTopics.NAME),
                        p.get(OffsetFetchResponsePartitions.PARTITION_INDEX));
                    if (partitionError != ErrorCode.NONE) {
                        throw error(partitionError, "OffsetFetch of " + tp + " for group " + settings.groupId());
                    }
                    long offset = p.get(OffsetFetchResponsePartitions.COMMITTED_OFFSET);
                    if (offset >= 0) {
                        committed.put(tp, new OffsetAndMetadata(offset, p.get(OffsetFetchResponsePartitions.COMMITTED_LEADER_EPOCH),
                            p.get(OffsetFetchResponsePartitions.METADATA)));
                    }
                }
            }
        }
        return committed;
    }

    private void checkGroup() {
        if (settings.groupId() == null) {
            throw new io.tributary.clients.errors.TributaryException(
                "Offsets are committed to a group, and this consumer has no group.id");
        }
    }

    // ---- leaving

    /**
     * Leaves the group (unsubscribe or close): revokes the assignment through the listener, sends LeaveGroup
     * (dynamic members) and forgets the membership. Commits first if auto-commit is on.
     */
    public void leave(long deadlineNanos, boolean commit) {
        stopHeartbeat();
        if (commit && settings.autoCommit() && settings.groupId() != null) {
            Map<TopicPartition, OffsetAndMetadata> positions = currentPositions();
            if (!positions.isEmpty()) {
                try {
                    commitSync(positions, deadlineNanos);
                } catch (TributaryException e) {
                    log.warn("Group {}: commit on leaving failed: {}", settings.groupId(), e.getMessage());
                }
            }
        }
        if (subscriptions.usesGroupAssignment() && !subscriptions.assignedPartitions().isEmpty()) {
            listener.onPartitionsRevoked(new LinkedHashSet<>(subscriptions.assignedPartitions()));
        }
        CompletableFuture<?> left = sendLeaveGroup("the consumer is leaving the group");
        try {
            left.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            log.debug("Group {}: LeaveGroup not confirmed: {}", settings.groupId(), e.toString());
        }
        synchronized (this) {
            memberId = "";
            generation = -1;
            state = State.UNJOINED;
        }
        joinInFlight = null;
        syncInFlight = null;
        offsetFetchInFlight = null;
        offsetFetchAsked = null;
        assignedCounts = Map.of();
        joinedTopics = Set.of();
        rejoinNeeded = true;
        prepared = false;
    }

    public void close() {
        synchronized (this) {
            closed = true;
        }
        stopHeartbeat();
        runCompletedCommitCallbacks();
    }

    private static boolean isCoordinatorError(ErrorCode code) {
        return code == ErrorCode.NOT_COORDINATOR || code == ErrorCode.COORDINATOR_NOT_AVAILABLE
            || code == ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    }

    private static RuntimeException error(ErrorCode code, String message) {
        String full = message + ": " + code;
        return code.isRetriable() ? new RetriableApiException(code, full) : new ApiException(code, full);
    }
}
