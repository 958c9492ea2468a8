package io.tributary.server.group;

import io.tributary.protocol.Node;

import io.tributary.groups.CommitOutcome;
import io.tributary.groups.CoordinatorLookup;
import io.tributary.groups.FetchedOffsets;
import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupDescription;
import io.tributary.groups.GroupError;
import io.tributary.groups.Heartbeat;
import io.tributary.groups.JoinGroup;
import io.tributary.groups.JoinOutcome;
import io.tributary.groups.LeaveGroup;
import io.tributary.groups.LeaveOutcome;
import io.tributary.groups.ListedGroups;
import io.tributary.groups.OffsetCommit;
import io.tributary.groups.OffsetDelete;
import io.tributary.groups.OffsetDeleteOutcome;
import io.tributary.groups.OffsetFetch;
import io.tributary.groups.Protocol;
import io.tributary.groups.SyncGroup;
import io.tributary.groups.SyncOutcome;
import io.tributary.groups.classic.GroupState;
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
import io.tributary.protocol.message.group.JoinGroupRequest.JoinGroupRequestProtocol;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupResponse;
import io.tributary.protocol.message.group.ListGroupsRequest;
import io.tributary.protocol.message.group.ListGroupsResponse;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestPartition;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestTopic;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponsePartition;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponseTopic;
import io.tributary.protocol.message.group.OffsetDeleteRequest;
import io.tributary.protocol.message.group.OffsetDeleteResponse;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.group.SyncGroupRequest.SyncGroupRequestAssignment;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Kafka's group APIs over the {@link GroupCoordinator}: decodes each request body, at its version, into the
 * coordinator's request type, and writes the coordinator's outcome as the response body of that version.
 * Everything that depends on the API version lives here: which fields exist (one group or a batch, topics by
 * name or by id, per-member or group-level errors), what an old version gets instead of a field it lacks, and
 * the Kafka error code of each {@link GroupError} ({@link GroupErrors}).
 *
 * <p>Design note: a separate class so the consumer-groups module knows no wire schema and the handlers in
 * {@link GroupApis} stay one line each. Each method may be called from any thread and never blocks; its
 * future completes on a coordinator thread (or at once) and never exceptionally for a request problem.
 *
 * <p>Buffers: byte fields of request bodies are slices of the request frame, which the network layer
 * releases once the returned future completes; what the coordinator keeps (protocol metadata, assignments)
 * is copied here before it is handed over, so the coordinator owns its bytes. Response byte fields wrap the
 * coordinator's arrays, which it never modifies.
 */
public final class GroupCoordinatorAdapter {
    /** FindCoordinator key types. */
    static final byte KEY_TYPE_GROUP = 0;
    static final byte KEY_TYPE_TRANSACTION = 1;
    static final byte KEY_TYPE_SHARE = 2;
    /** What ListGroups v5+ calls every group this coordinator has. */
    static final String CLASSIC_GROUP_TYPE = "classic";
    /** Kafka's authorized-operations bits for a group without an authorizer: READ, DELETE, DESCRIBE. */
    static final int GROUP_AUTHORIZED_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

    private final GroupCoordinator coordinator;
    private final TransactionLookup transactions;

    /** Where FindCoordinator with key type TRANSACTION is answered: NONE when this broker coordinates the id. */
    @FunctionalInterface
    public interface TransactionLookup {
        ErrorCode lookup(String transactionalId);
    }

    public GroupCoordinatorAdapter(GroupCoordinator coordinator) {
        this(coordinator, null);
    }

    /** @param transactions the transaction coordinator's lookup, or null: TRANSACTION keys answer UNSUPPORTED_VERSION */
    public GroupCoordinatorAdapter(GroupCoordinator coordinator, TransactionLookup transactions) {
        this.coordinator = coordinator;
        this.transactions = transactions;
    }

    private static final Node NO_NODE = Node.NO_NODE;

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
        return answerFindCoordinator(request, version, (key, keyType) -> lookup(key, keyType, self));
    }

    /** Where a key's coordinator is in a cluster (a {@link CoordinatorLocator} per key type). */
    @FunctionalInterface
    public interface ClusterLookup {
        /** Called only for GROUP and TRANSACTION keys that are not empty. */
        CoordinatorLocator.Located locate(byte keyType, String key);
    }

    /**
     * FindCoordinator v0-6 in a cluster: every GROUP or TRANSACTION key is answered by {@code cluster} (the leader of
     * the key's partition), whichever broker that is; share keys are UNSUPPORTED_VERSION, unknown key types
     * INVALID_REQUEST, an empty transactional id INVALID_REQUEST. Completes at once.
     */
    public CompletableFuture<Struct> findCoordinator(Struct request, short version, ClusterLookup cluster) {
        return answerFindCoordinator(request, version, (key, keyType) -> {
            if (keyType == KEY_TYPE_TRANSACTION && (key == null || key.isEmpty())) {
                return new Lookup(ErrorCode.INVALID_REQUEST, "A transactional id must not be empty", NO_NODE);
            }
            if (keyType == KEY_TYPE_SHARE) {
                return new Lookup(ErrorCode.UNSUPPORTED_VERSION, "Share coordinators are not supported by this broker", NO_NODE);
            }
            if (keyType != KEY_TYPE_GROUP && keyType != KEY_TYPE_TRANSACTION) {
                return new Lookup(ErrorCode.INVALID_REQUEST, "Unknown coordinator key type " + keyType, NO_NODE);
            }
            CoordinatorLocator.Located found = cluster.locate(keyType, key);
            return new Lookup(found.error(), found.message(), found.node());
        });
    }

    private interface KeyLookup {
        Lookup apply(String key, byte keyType);
    }

    private CompletableFuture<Struct> answerFindCoordinator(Struct request, short version, KeyLookup lookups) {
        Struct response = FindCoordinatorResponse.SCHEMA.newStruct();
        byte keyType = request.get(FindCoordinatorRequest.KEY_TYPE);
        if (version >= 4) {
            for (String key : request.get(FindCoordinatorRequest.COORDINATOR_KEYS)) {
                Lookup found = lookups.apply(key, keyType);
                response.add(FindCoordinatorResponse.COORDINATORS)
                    .set(FindCoordinatorResponse.Coordinator.KEY, key)
                    .set(FindCoordinatorResponse.Coordinator.NODE_ID, found.node.id())
                    .set(FindCoordinatorResponse.Coordinator.HOST, found.node.host())
                    .set(FindCoordinatorResponse.Coordinator.PORT, found.node.port())
                    .set(FindCoordinatorResponse.Coordinator.ERROR_CODE, found.error.code())
                    .set(FindCoordinatorResponse.Coordinator.ERROR_MESSAGE, found.message);
            }
        } else {
            Lookup found = lookups.apply(request.get(FindCoordinatorRequest.KEY), keyType);
            response.set(FindCoordinatorResponse.ERROR_CODE, found.error.code())
                .set(FindCoordinatorResponse.NODE_ID, found.node.id())
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

    private Lookup lookup(String key, byte keyType, Node self) {
        if (keyType == KEY_TYPE_TRANSACTION && transactions != null) {
            if (key == null || key.isEmpty()) {
                return new Lookup(ErrorCode.INVALID_REQUEST, "A transactional id must not be empty", NO_NODE);
            }
            ErrorCode error = transactions.lookup(key);
            return error == ErrorCode.NONE ? new Lookup(ErrorCode.NONE, null, self)
                : new Lookup(error, "No transaction coordinator for '" + key + "' on this broker", NO_NODE);
        }
        if (keyType == KEY_TYPE_TRANSACTION || keyType == KEY_TYPE_SHARE) {
            return new Lookup(ErrorCode.UNSUPPORTED_VERSION, (keyType == KEY_TYPE_TRANSACTION ? "Transaction" : "Share")
                + " coordinators are not supported by this broker", NO_NODE);
        }
        if (keyType != KEY_TYPE_GROUP) {
            return new Lookup(ErrorCode.INVALID_REQUEST, "Unknown coordinator key type " + keyType, NO_NODE);
        }
        CoordinatorLookup found = coordinator.lookup(key);
        return found.error() == GroupError.NONE ? new Lookup(ErrorCode.NONE, null, self)
            : new Lookup(GroupErrors.code(found.error()), found.message(), NO_NODE);
    }

    // =====================================================================================================
    // JoinGroup, SyncGroup, Heartbeat, LeaveGroup

    /**
     * JoinGroup v0-9. A first join of a dynamic member from v4 must come back with the member id it is given
     * (KIP-394); v9 can tell a rejoining static leader to skip the assignment; v0 has no rebalance timeout
     * (the session timeout serves).
     *
     * @param clientId   the request header's client id (member ids start with it)
     * @param clientHost the client's address as DescribeGroups shows it, e.g. "/127.0.0.1"
     */
    public CompletableFuture<Struct> joinGroup(Struct request, short version, String clientId, String clientHost) {
        int sessionTimeoutMs = request.get(JoinGroupRequest.SESSION_TIMEOUT_MS);
        int rebalanceTimeoutMs = request.get(JoinGroupRequest.REBALANCE_TIMEOUT_MS);
        if (rebalanceTimeoutMs < 0) {
            rebalanceTimeoutMs = sessionTimeoutMs; // v0 has no rebalance timeout: the session timeout serves
        }
        List<Protocol> protocols = new ArrayList<>();
        for (Struct p : request.get(JoinGroupRequest.PROTOCOLS)) {
            protocols.add(new Protocol(p.get(JoinGroupRequestProtocol.NAME), copy(p.get(JoinGroupRequestProtocol.METADATA))));
        }
        JoinGroup join = new JoinGroup(request.get(JoinGroupRequest.GROUP_ID), request.get(JoinGroupRequest.MEMBER_ID),
            request.get(JoinGroupRequest.GROUP_INSTANCE_ID), clientId, clientHost, sessionTimeoutMs, rebalanceTimeoutMs,
            request.get(JoinGroupRequest.PROTOCOL_TYPE), protocols, version >= 4, version >= 9);
        return coordinator.joinGroup(join).thenApply(outcome -> joinResponse(outcome, version));
    }

    static Struct joinResponse(JoinOutcome o, short version) {
        Struct s = JoinGroupResponse.SCHEMA.newStruct()
            .set(JoinGroupResponse.ERROR_CODE, GroupErrors.wire(o.error()))
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
        Map<String, byte[]> assignments = new HashMap<>();
        for (Struct a : request.get(SyncGroupRequest.ASSIGNMENTS)) {
            assignments.put(a.get(SyncGroupRequestAssignment.MEMBER_ID), copy(a.get(SyncGroupRequestAssignment.ASSIGNMENT)));
        }
        SyncGroup sync = new SyncGroup(request.get(SyncGroupRequest.GROUP_ID), request.get(SyncGroupRequest.MEMBER_ID),
            request.get(SyncGroupRequest.GROUP_INSTANCE_ID), request.get(SyncGroupRequest.GENERATION_ID),
            request.get(SyncGroupRequest.PROTOCOL_TYPE), request.get(SyncGroupRequest.PROTOCOL_NAME), assignments);
        return coordinator.syncGroup(sync).thenApply(GroupCoordinatorAdapter::syncResponse);
    }

    static Struct syncResponse(SyncOutcome o) {
        return SyncGroupResponse.SCHEMA.newStruct()
            .set(SyncGroupResponse.ERROR_CODE, GroupErrors.wire(o.error()))
            .set(SyncGroupResponse.PROTOCOL_TYPE, o.protocolType())
            .set(SyncGroupResponse.PROTOCOL_NAME, o.protocolName())
            .set(SyncGroupResponse.ASSIGNMENT, ByteBuffer.wrap(o.assignment()));
    }

    /** Heartbeat v0-4; completes at once (REBALANCE_IN_PROGRESS tells the member to rejoin). */
    public CompletableFuture<Struct> heartbeat(Struct request, short version) {
        Heartbeat heartbeat = new Heartbeat(request.get(HeartbeatRequest.GROUP_ID), request.get(HeartbeatRequest.MEMBER_ID),
            request.get(HeartbeatRequest.GROUP_INSTANCE_ID), request.get(HeartbeatRequest.GENERATION_ID));
        return coordinator.heartbeat(heartbeat)
            .thenApply(error -> HeartbeatResponse.SCHEMA.newStruct().set(HeartbeatResponse.ERROR_CODE, GroupErrors.wire(error)));
    }

    /** LeaveGroup v0-5: one member before v3 (one error), a batch from v3 (an error per member); completes at once. */
    public CompletableFuture<Struct> leaveGroup(Struct request, short version) {
        List<LeaveGroup.Leaving> leaving = new ArrayList<>();
        if (version >= 3) {
            for (Struct m : request.get(LeaveGroupRequest.MEMBERS)) {
                leaving.add(new LeaveGroup.Leaving(m.get(LeaveGroupRequest.MemberIdentity.MEMBER_ID),
                    m.get(LeaveGroupRequest.MemberIdentity.GROUP_INSTANCE_ID)));
            }
        } else {
            leaving.add(new LeaveGroup.Leaving(request.get(LeaveGroupRequest.MEMBER_ID), null));
        }
        return coordinator.leaveGroup(new LeaveGroup(request.get(LeaveGroupRequest.GROUP_ID), leaving))
            .thenApply(outcome -> leaveResponse(outcome, leaving, version));
    }

    private static Struct leaveResponse(LeaveOutcome outcome, List<LeaveGroup.Leaving> leaving, short version) {
        Struct response = LeaveGroupResponse.SCHEMA.newStruct();
        if (outcome.error() != GroupError.NONE) {
            return response.set(LeaveGroupResponse.ERROR_CODE, GroupErrors.wire(outcome.error()));
        }
        if (version >= 3) {
            for (int i = 0; i < leaving.size(); i++) {
                response.add(LeaveGroupResponse.MEMBERS)
                    .set(LeaveGroupResponse.MemberResponse.MEMBER_ID, leaving.get(i).memberId())
                    .set(LeaveGroupResponse.MemberResponse.GROUP_INSTANCE_ID, leaving.get(i).groupInstanceId())
                    .set(LeaveGroupResponse.MemberResponse.ERROR_CODE, GroupErrors.wire(outcome.memberErrors().get(i)));
            }
        } else {
            response.set(LeaveGroupResponse.ERROR_CODE, GroupErrors.wire(outcome.memberErrors().get(0)));
        }
        return response;
    }

    // =====================================================================================================
    // OffsetCommit, OffsetFetch, OffsetDelete

    /**
     * OffsetCommit v2-10; completes after the accepted commits are appended to {@code __consumer_offsets}.
     * Errors are per partition, as in Kafka (v10 names topics by id: UNKNOWN_TOPIC_ID for an unknown one).
     */
    public CompletableFuture<Struct> offsetCommit(Struct request, short version) {
        List<OffsetCommit.Topic> topics = new ArrayList<>();
        for (Struct topic : request.get(OffsetCommitRequest.TOPICS)) {
            List<OffsetCommit.Partition> partitions = new ArrayList<>();
            for (Struct p : topic.get(OffsetCommitRequestTopic.PARTITIONS)) {
                partitions.add(new OffsetCommit.Partition(p.get(OffsetCommitRequestPartition.PARTITION_INDEX),
                    p.get(OffsetCommitRequestPartition.COMMITTED_OFFSET), p.get(OffsetCommitRequestPartition.COMMITTED_LEADER_EPOCH),
                    p.get(OffsetCommitRequestPartition.COMMITTED_METADATA)));
            }
            topics.add(version >= 10 ? new OffsetCommit.Topic(null, topic.get(OffsetCommitRequestTopic.TOPIC_ID), partitions)
                : new OffsetCommit.Topic(topic.get(OffsetCommitRequestTopic.NAME), null, partitions));
        }
        OffsetCommit commit = new OffsetCommit(request.get(OffsetCommitRequest.GROUP_ID),
            request.get(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH), request.get(OffsetCommitRequest.MEMBER_ID),
            request.get(OffsetCommitRequest.GROUP_INSTANCE_ID), request.get(OffsetCommitRequest.RETENTION_TIME_MS), topics);
        return coordinator.offsetCommit(commit).thenApply(outcome -> commitResponse(request, outcome));
    }

    /** The response echoes each topic as the request named it, and each partition in the request's order. */
    private static Struct commitResponse(Struct request, CommitOutcome outcome) {
        Struct response = OffsetCommitResponse.SCHEMA.newStruct();
        List<Struct> topics = request.get(OffsetCommitRequest.TOPICS);
        for (int t = 0; t < topics.size(); t++) {
            Struct topic = topics.get(t);
            Struct out = response.add(OffsetCommitResponse.TOPICS)
                .set(OffsetCommitResponseTopic.NAME, topic.get(OffsetCommitRequestTopic.NAME))
                .set(OffsetCommitResponseTopic.TOPIC_ID, topic.get(OffsetCommitRequestTopic.TOPIC_ID));
            List<Struct> partitions = topic.get(OffsetCommitRequestTopic.PARTITIONS);
            List<GroupError> errors = outcome.partitionErrors().get(t);
            for (int p = 0; p < partitions.size(); p++) {
                out.add(OffsetCommitResponseTopic.PARTITIONS)
                    .set(OffsetCommitResponsePartition.PARTITION_INDEX, partitions.get(p).get(OffsetCommitRequestPartition.PARTITION_INDEX))
                    .set(OffsetCommitResponsePartition.ERROR_CODE, GroupErrors.wire(errors.get(p)));
            }
        }
        return response;
    }

    /**
     * OffsetFetch v1-10: one group before v8 (topics null from v2 = all committed offsets), several groups from
     * v8, each routed to its own partition; completes when every group has answered. v10 names topics by id.
     * v1 has no group-level error: each partition asked for carries it. With require_stable (v7+) a partition asked
     * for whose transactional commit is pending answers UNSTABLE_OFFSET_COMMIT (the client retries).
     */
    public CompletableFuture<Struct> offsetFetch(Struct request, short version) {
        if (version >= 8) {
            List<Struct> groupRequests = request.get(OffsetFetchRequest.GROUPS);
            List<CompletableFuture<Struct>> parts = new ArrayList<>(groupRequests.size());
            for (Struct g : groupRequests) {
                String groupId = g.get(OffsetFetchRequest.OffsetFetchRequestGroup.GROUP_ID);
                List<Struct> topicRequests = g.get(OffsetFetchRequest.OffsetFetchRequestGroup.TOPICS);
                List<OffsetFetch.Topic> requested = null;
                if (topicRequests != null) {
                    requested = new ArrayList<>(topicRequests.size());
                    for (Struct t : topicRequests) {
                        requested.add(new OffsetFetch.Topic(version >= 10 ? null : t.get(OffsetFetchRequest.OffsetFetchRequestTopics.NAME),
                            t.get(OffsetFetchRequest.OffsetFetchRequestTopics.TOPIC_ID),
                            t.get(OffsetFetchRequest.OffsetFetchRequestTopics.PARTITION_INDEXES)));
                    }
                }
                parts.add(coordinator.offsetFetch(new OffsetFetch(groupId, requested, request.get(OffsetFetchRequest.REQUIRE_STABLE)))
                    .thenApply(fetched -> fetchedGroup(groupId, fetched, version)));
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
        List<OffsetFetch.Topic> requested = null;
        if (topicRequests != null) {
            requested = new ArrayList<>(topicRequests.size());
            for (Struct t : topicRequests) {
                requested.add(new OffsetFetch.Topic(t.get(OffsetFetchRequest.OffsetFetchRequestTopic.NAME), null,
                    t.get(OffsetFetchRequest.OffsetFetchRequestTopic.PARTITION_INDEXES)));
            }
        }
        List<OffsetFetch.Topic> asked = requested;
        boolean requireStable = version >= 7 && request.get(OffsetFetchRequest.REQUIRE_STABLE);
        return coordinator.offsetFetch(new OffsetFetch(groupId, asked, requireStable)).thenApply(fetched -> {
            if (fetched.error() == GroupError.NONE || version >= 2 || asked == null) {
                return singleGroupFetch(fetched, version);
            }
            // v1 has no group-level error: every partition asked for carries it
            List<FetchedOffsets.Topic> failed = new ArrayList<>();
            for (OffsetFetch.Topic t : asked) {
                List<FetchedOffsets.Partition> partitions = new ArrayList<>();
                for (int p : t.partitions()) {
                    partitions.add(new FetchedOffsets.Partition(p, -1, -1, "", fetched.error()));
                }
                failed.add(new FetchedOffsets.Topic(t.name(), null, partitions));
            }
            return singleGroupFetch(new FetchedOffsets(GroupError.NONE, failed), version);
        });
    }

    private static Struct singleGroupFetch(FetchedOffsets fetched, short version) {
        Struct response = OffsetFetchResponse.SCHEMA.newStruct();
        if (version >= 2) {
            response.set(OffsetFetchResponse.ERROR_CODE, GroupErrors.wire(fetched.error()));
        }
        for (FetchedOffsets.Topic t : fetched.topics()) {
            Struct topic = response.add(OffsetFetchResponse.TOPICS).set(OffsetFetchResponse.OffsetFetchResponseTopic.NAME, t.name());
            for (FetchedOffsets.Partition p : t.partitions()) {
                topic.add(OffsetFetchResponse.OffsetFetchResponseTopic.PARTITIONS)
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.PARTITION_INDEX, p.partition())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_OFFSET, p.offset())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_LEADER_EPOCH, p.leaderEpoch())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.METADATA, p.metadata())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartition.ERROR_CODE, GroupErrors.wire(p.error()));
            }
        }
        return response;
    }

    private static Struct fetchedGroup(String groupId, FetchedOffsets fetched, short version) {
        Struct group = OffsetFetchResponse.OffsetFetchResponseGroup.SCHEMA.newStruct()
            .set(OffsetFetchResponse.OffsetFetchResponseGroup.GROUP_ID, groupId)
            .set(OffsetFetchResponse.OffsetFetchResponseGroup.ERROR_CODE, GroupErrors.wire(fetched.error()));
        group.set(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS, new ArrayList<>());
        for (FetchedOffsets.Topic t : fetched.topics()) {
            if (version >= 10 && t.topicId() == null && t.name() != null) {
                continue; // a topic that no longer exists has no id to report
            }
            Struct topic = group.add(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS)
                .set(OffsetFetchResponse.OffsetFetchResponseTopics.NAME, t.name() == null ? "" : t.name());
            if (t.topicId() != null) {
                topic.set(OffsetFetchResponse.OffsetFetchResponseTopics.TOPIC_ID, t.topicId());
            }
            for (FetchedOffsets.Partition p : t.partitions()) {
                topic.add(OffsetFetchResponse.OffsetFetchResponseTopics.PARTITIONS)
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.PARTITION_INDEX, p.partition())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.COMMITTED_OFFSET, p.offset())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.COMMITTED_LEADER_EPOCH, p.leaderEpoch())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.METADATA, p.metadata())
                    .set(OffsetFetchResponse.OffsetFetchResponsePartitions.ERROR_CODE, GroupErrors.wire(p.error()));
            }
        }
        return group;
    }

    /**
     * OffsetDelete v0: an Empty group's offsets, or a non-empty consumer group's offsets of topics it does not
     * subscribe to (others: GROUP_SUBSCRIBED_TO_TOPIC); tombstones are appended before it completes.
     */
    public CompletableFuture<Struct> offsetDelete(Struct request, short version) {
        List<OffsetDelete.Topic> topics = new ArrayList<>();
        for (Struct topic : request.get(OffsetDeleteRequest.TOPICS)) {
            List<Struct> partitions = topic.get(OffsetDeleteRequest.OffsetDeleteRequestTopic.PARTITIONS);
            int[] indexes = new int[partitions.size()];
            for (int i = 0; i < indexes.length; i++) {
                indexes[i] = partitions.get(i).get(OffsetDeleteRequest.OffsetDeleteRequestPartition.PARTITION_INDEX);
            }
            topics.add(new OffsetDelete.Topic(topic.get(OffsetDeleteRequest.OffsetDeleteRequestTopic.NAME), indexes));
        }
        return coordinator.offsetDelete(new OffsetDelete(request.get(OffsetDeleteRequest.GROUP_ID), topics))
            .thenApply(outcome -> offsetDeleteResponse(topics, outcome));
    }

    private static Struct offsetDeleteResponse(List<OffsetDelete.Topic> topics, OffsetDeleteOutcome outcome) {
        Struct response = OffsetDeleteResponse.SCHEMA.newStruct();
        if (outcome.error() != GroupError.NONE) {
            return response.set(OffsetDeleteResponse.ERROR_CODE, GroupErrors.wire(outcome.error()));
        }
        for (int t = 0; t < topics.size(); t++) {
            Struct out = response.add(OffsetDeleteResponse.TOPICS)
                .set(OffsetDeleteResponse.OffsetDeleteResponseTopic.NAME, topics.get(t).name());
            int[] partitions = topics.get(t).partitions();
            for (int p = 0; p < partitions.length; p++) {
                out.add(OffsetDeleteResponse.OffsetDeleteResponseTopic.PARTITIONS)
                    .set(OffsetDeleteResponse.OffsetDeleteResponsePartition.PARTITION_INDEX, partitions[p])
                    .set(OffsetDeleteResponse.OffsetDeleteResponsePartition.ERROR_CODE,
                        GroupErrors.wire(outcome.partitionErrors().get(t).get(p)));
            }
        }
        return response;
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
            parts.add(coordinator.describeGroup(groupId).thenApply(d -> describedGroup(d, version, withOperations)));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<Struct> groups = new ArrayList<>(parts.size());
            parts.forEach(p -> groups.add(p.join()));
            return DescribeGroupsResponse.SCHEMA.newStruct().set(DescribeGroupsResponse.GROUPS, groups);
        });
    }

    private static Struct describedGroup(GroupDescription d, short version, boolean withOperations) {
        if (d.error() != GroupError.NONE) {
            return DescribedGroup.SCHEMA.newStruct().set(DescribedGroup.GROUP_ID, d.groupId())
                .set(DescribedGroup.ERROR_CODE, GroupErrors.wire(d.error()));
        }
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
            g.set(DescribedGroup.AUTHORIZED_OPERATIONS, GROUP_AUTHORIZED_OPERATIONS);
        }
        g.set(DescribedGroup.MEMBERS, new ArrayList<>());
        for (GroupDescription.Member m : d.members()) {
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
        if (matchesNothing) {
            return CompletableFuture.completedFuture(listResponse(new ListedGroups(GroupError.NONE, List.of())));
        }
        return coordinator.listGroups(states).thenApply(GroupCoordinatorAdapter::listResponse);
    }

    private static Struct listResponse(ListedGroups listed) {
        if (listed.error() != GroupError.NONE) {
            return ListGroupsResponse.SCHEMA.newStruct().set(ListGroupsResponse.ERROR_CODE, GroupErrors.wire(listed.error()));
        }
        List<Struct> groups = new ArrayList<>(listed.groups().size());
        for (ListedGroups.Group g : listed.groups()) {
            groups.add(ListGroupsResponse.ListedGroup.SCHEMA.newStruct()
                .set(ListGroupsResponse.ListedGroup.GROUP_ID, g.groupId())
                .set(ListGroupsResponse.ListedGroup.PROTOCOL_TYPE, g.protocolType())
                .set(ListGroupsResponse.ListedGroup.GROUP_STATE, g.state())
                .set(ListGroupsResponse.ListedGroup.GROUP_TYPE, CLASSIC_GROUP_TYPE));
        }
        return ListGroupsResponse.SCHEMA.newStruct().set(ListGroupsResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(ListGroupsResponse.GROUPS, groups);
    }

    /** DeleteGroups v0-2: Empty groups only (NON_EMPTY_GROUP otherwise); tombstones are appended before it completes. */
    public CompletableFuture<Struct> deleteGroups(Struct request, short version) {
        List<String> ids = request.get(DeleteGroupsRequest.GROUPS_NAMES);
        List<CompletableFuture<Struct>> parts = new ArrayList<>(ids.size());
        for (String groupId : ids) {
            parts.add(coordinator.deleteGroup(groupId).thenApply(error -> DeleteGroupsResponse.DeletableGroupResult.SCHEMA.newStruct()
                .set(DeleteGroupsResponse.DeletableGroupResult.GROUP_ID, groupId)
                .set(DeleteGroupsResponse.DeletableGroupResult.ERROR_CODE, GroupErrors.wire(error))));
        }
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
            List<Struct> results = new ArrayList<>(parts.size());
            parts.forEach(p -> results.add(p.join()));
            return DeleteGroupsResponse.SCHEMA.newStruct().set(DeleteGroupsResponse.RESULTS, results);
        });
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return new byte[0];
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
