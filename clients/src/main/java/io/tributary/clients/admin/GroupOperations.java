package io.tributary.clients.admin;

import io.tributary.protocol.Node;
import io.tributary.protocol.TopicPartition;
import io.tributary.clients.consumer.assignor.ConsumerProtocol;
import io.tributary.clients.errors.ApiException;
import io.tributary.clients.errors.UnsupportedVersionException;
import io.tributary.clients.network.ClientRequest;
import io.tributary.clients.network.ClientResponse;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.MalformedMessageException;
import io.tributary.protocol.message.group.DeleteGroupsRequest;
import io.tributary.protocol.message.group.DeleteGroupsResponse;
import io.tributary.protocol.message.group.DeleteGroupsResponse.DeletableGroupResult;
import io.tributary.protocol.message.group.DescribeGroupsRequest;
import io.tributary.protocol.message.group.DescribeGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsResponse.DescribedGroup;
import io.tributary.protocol.message.group.DescribeGroupsResponse.DescribedGroupMember;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.group.FindCoordinatorResponse.Coordinator;
import io.tributary.protocol.message.group.ListGroupsRequest;
import io.tributary.protocol.message.group.ListGroupsResponse;
import io.tributary.protocol.message.group.ListGroupsResponse.ListedGroup;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestPartition;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestTopic;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponsePartition;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponseTopic;
import io.tributary.protocol.message.group.OffsetDeleteRequest;
import io.tributary.protocol.message.group.OffsetDeleteRequest.OffsetDeleteRequestPartition;
import io.tributary.protocol.message.group.OffsetDeleteRequest.OffsetDeleteRequestTopic;
import io.tributary.protocol.message.group.OffsetDeleteResponse;
import io.tributary.protocol.message.group.OffsetDeleteResponse.OffsetDeleteResponsePartition;
import io.tributary.protocol.message.group.OffsetDeleteResponse.OffsetDeleteResponseTopic;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.OffsetFetchRequest.OffsetFetchRequestGroup;
import io.tributary.protocol.message.group.OffsetFetchRequest.OffsetFetchRequestTopic;
import io.tributary.protocol.message.group.OffsetFetchRequest.OffsetFetchRequestTopics;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponseGroup;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponsePartition;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponsePartitions;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponseTopic;
import io.tributary.protocol.message.group.OffsetFetchResponse.OffsetFetchResponseTopics;
import io.tributary.protocol.message.schema.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Groups and their committed offsets: FindCoordinator, DescribeGroups, ListGroups, DeleteGroups, OffsetFetch,
 * OffsetCommit, OffsetDelete. Every group request goes to the group's coordinator, found afresh in each
 * attempt, so an attempt retried after NOT_COORDINATOR (the group moved) asks the new one. One attempt per
 * method; callers run them under {@link AdminContext#retrying}.
 *
 * <p>Offsets are committed as Kafka's AdminClient commits them: generation -1 and an empty member id, which a
 * coordinator accepts only for a group without members. OffsetFetch and OffsetCommit are capped at v9: v10
 * names topics by id, which would cost a metadata lookup for nothing on a name-based API.
 */
final class GroupOperations {
    private static final Logger log = LoggerFactory.getLogger(GroupOperations.class);
    /** FindCoordinator key_type of a group (1 would be a transactional id). */
    private static final int GROUP_KEY_TYPE = 0;
    private static final int OFFSET_API_MAX_VERSION = 9;
    /** The admin's "no member, no generation" identity in OffsetCommit. */
    private static final int NO_GENERATION = -1;
    private static final String NO_MEMBER = "";
    private static final Comparator<TopicPartition> PARTITION_ORDER =
        Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    private final AdminContext ctx;
    private final TopicOperations topics;

    GroupOperations(AdminContext ctx, TopicOperations topics) {
        this.ctx = ctx;
        this.topics = topics;
    }

    static Comparator<TopicPartition> partitionOrder() {
        return PARTITION_ORDER;
    }

    // ------------------------------------------------------------------ FindCoordinator

    CompletableFuture<Node> findCoordinator(String groupId) {
        ClientRequest request = ClientRequest.of(ApiKey.FIND_COORDINATOR, version -> {
            Struct body = FindCoordinatorRequest.SCHEMA.newStruct();
            if (version >= 1) {
                body.set(FindCoordinatorRequest.KEY_TYPE, GROUP_KEY_TYPE);
            }
            if (version >= 4) {
                body.set(FindCoordinatorRequest.COORDINATOR_KEYS, List.of(groupId));
            } else {
                body.set(FindCoordinatorRequest.KEY, groupId);
            }
            return body;
        });
        return ctx.send(ctx.anyNode(), request).thenApply(response -> {
            Struct r = response.body();
            ErrorCode error;
            String message;
            Node node;
            if (response.version() >= 4) {
                List<Struct> coordinators = r.get(FindCoordinatorResponse.COORDINATORS);
                if (coordinators.isEmpty()) {
                    throw ApiException.of(ErrorCode.COORDINATOR_NOT_AVAILABLE, "Finding the coordinator of group '" + groupId
                        + "' at " + response.node() + " failed", "the answer named no coordinator");
                }
                Struct c = coordinators.get(0);
                error = ErrorCode.forCode(c.get(Coordinator.ERROR_CODE));
                message = c.get(Coordinator.ERROR_MESSAGE);
                node = error != ErrorCode.NONE ? null
                    : new Node(c.get(Coordinator.NODE_ID), c.get(Coordinator.HOST), c.get(Coordinator.PORT));
            } else {
                error = ErrorCode.forCode(r.get(FindCoordinatorResponse.ERROR_CODE));
                message = r.get(FindCoordinatorResponse.ERROR_MESSAGE);
                node = error != ErrorCode.NONE ? null : new Node(r.get(FindCoordinatorResponse.NODE_ID),
                    r.get(FindCoordinatorResponse.HOST), r.get(FindCoordinatorResponse.PORT));
            }
            if (error != ErrorCode.NONE) {
                throw AdminErrors.forGroup(error, "Finding the coordinator of", groupId, message);
            }
            return node;
        });
    }

    // ------------------------------------------------------------------ DescribeGroups

    CompletableFuture<GroupDescription> describeGroup(String groupId) {
        return findCoordinator(groupId).thenCompose(coordinator -> {
            Struct body = DescribeGroupsRequest.SCHEMA.newStruct().set(DescribeGroupsRequest.GROUPS, List.of(groupId));
            return ctx.send(coordinator, ClientRequest.of(ApiKey.DESCRIBE_GROUPS, body))
                .thenApply(response -> readDescription(groupId, coordinator, response));
        });
    }

    private static GroupDescription readDescription(String groupId, Node coordinator, ClientResponse response) {
        for (Struct g : response.body().get(DescribeGroupsResponse.GROUPS)) {
            if (!groupId.equals(g.get(DescribedGroup.GROUP_ID))) {
                continue;
            }
            ErrorCode error = ErrorCode.forCode(g.get(DescribedGroup.ERROR_CODE));
            if (error != ErrorCode.NONE) {
                throw AdminErrors.forGroup(error, "Describing", groupId, g.get(DescribedGroup.ERROR_MESSAGE));
            }
            String protocolType = g.get(DescribedGroup.PROTOCOL_TYPE);
            List<MemberDescription> members = new ArrayList<>();
            for (Struct m : g.get(DescribedGroup.MEMBERS)) {
                String memberId = m.get(DescribedGroupMember.MEMBER_ID);
                members.add(new MemberDescription(memberId, m.get(DescribedGroupMember.GROUP_INSTANCE_ID),
                    m.get(DescribedGroupMember.CLIENT_ID), m.get(DescribedGroupMember.CLIENT_HOST),
                    assignment(groupId, memberId, protocolType, m)));
            }
            return new GroupDescription(groupId, GroupState.forWireName(g.get(DescribedGroup.GROUP_STATE)), protocolType,
                g.get(DescribedGroup.PROTOCOL_DATA), members, coordinator);
        }
        throw new IllegalStateException("Describing group '" + groupId + "' failed: the answer of " + response.node()
            + " does not mention it");
    }

    /** The member's partitions; a group of another protocol, or an undecodable assignment, gives none. */
    private static List<TopicPartition> assignment(String groupId, String memberId, String protocolType, Struct member) {
        ByteBuffer assignment = member.get(DescribedGroupMember.MEMBER_ASSIGNMENT);
        // A member still joining has an empty assignment.
        if (!ConsumerProtocol.PROTOCOL_TYPE.equals(protocolType) || assignment == null || !assignment.hasRemaining()) {
            return List.of();
        }
        try {
            return ConsumerProtocol.decodeAssignment(assignment).partitions();
        } catch (MalformedMessageException e) {
            // One member's odd bytes should not hide the rest of the description.
            log.warn("The assignment of member {} of group {} is not a consumer assignment: {}", memberId, groupId, e.getMessage());
            return List.of();
        }
    }

    // ------------------------------------------------------------------ ListGroups

    /** Every broker's groups (each broker lists the groups it coordinates), sorted by id. */
    CompletableFuture<List<GroupListing>> listGroups(Set<GroupState> states) {
        return topics.metadata(List.of()).thenCompose(answer -> {
            Collection<Node> brokers = answer.brokers().isEmpty() ? ctx.nodes() : answer.brokers().values();
            List<CompletableFuture<List<GroupListing>>> parts = new ArrayList<>();
            for (Node broker : brokers) {
                parts.add(listGroups(broker, states));
            }
            return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0])).thenApply(ignored -> {
                List<GroupListing> all = new ArrayList<>();
                parts.forEach(p -> all.addAll(p.join()));
                all.sort(Comparator.comparing(GroupListing::groupId));
                return all;
            });
        });
    }

    private CompletableFuture<List<GroupListing>> listGroups(Node broker, Set<GroupState> states) {
        ClientRequest request = ClientRequest.of(ApiKey.LIST_GROUPS, version -> {
            Struct body = ListGroupsRequest.SCHEMA.newStruct();
            if (version >= 4 && !states.isEmpty()) {
                body.set(ListGroupsRequest.STATES_FILTER, states.stream().map(GroupState::wireName).toList());
            }
            return body;
        });
        return ctx.send(broker, request).thenApply(response -> {
            ErrorCode error = ErrorCode.forCode(response.body().get(ListGroupsResponse.ERROR_CODE));
            if (error != ErrorCode.NONE) {
                throw ApiException.of(error, "Listing the groups of " + response.node() + " failed", null);
            }
            boolean stated = response.version() >= 4;
            List<GroupListing> listed = new ArrayList<>();
            for (Struct g : response.body().get(ListGroupsResponse.GROUPS)) {
                GroupState state = stated ? GroupState.forWireName(g.get(ListedGroup.GROUP_STATE)) : GroupState.UNKNOWN;
                if (!states.isEmpty() && stated && !states.contains(state)) {
                    continue;
                }
                listed.add(new GroupListing(g.get(ListedGroup.GROUP_ID), g.get(ListedGroup.PROTOCOL_TYPE), state,
                    g.get(ListedGroup.GROUP_TYPE)));
            }
            return listed;
        });
    }

    // ------------------------------------------------------------------ DeleteGroups

    CompletableFuture<Void> deleteGroup(String groupId) {
        return findCoordinator(groupId).thenCompose(coordinator -> {
            Struct body = DeleteGroupsRequest.SCHEMA.newStruct().set(DeleteGroupsRequest.GROUPS_NAMES, List.of(groupId));
            return ctx.send(coordinator, ClientRequest.of(ApiKey.DELETE_GROUPS, body)).thenApply(response -> {
                for (Struct r : response.body().get(DeleteGroupsResponse.RESULTS)) {
                    if (groupId.equals(r.get(DeletableGroupResult.GROUP_ID))) {
                        ErrorCode error = ErrorCode.forCode(r.get(DeletableGroupResult.ERROR_CODE));
                        if (error != ErrorCode.NONE) {
                            throw AdminErrors.forGroup(error, "Deleting", groupId, null);
                        }
                        return null;
                    }
                }
                throw new IllegalStateException("Deleting group '" + groupId + "' failed: the answer of " + response.node()
                    + " does not mention it");
            });
        });
    }

    // ------------------------------------------------------------------ OffsetFetch

    /**
     * The group's committed offsets, sorted by topic and partition; partitions without one are left out.
     *
     * @param partitions null for every partition the group has an offset for
     */
    CompletableFuture<Map<TopicPartition, CommittedOffset>> committedOffsets(String groupId, Collection<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = partitions == null ? null : byTopic(partitions);
        ClientRequest request = ClientRequest.of(ApiKey.OFFSET_FETCH, version -> offsetFetchBody(version, groupId, byTopic))
            .withVersions(ApiKey.OFFSET_FETCH.minVersion(), OFFSET_API_MAX_VERSION);
        return findCoordinator(groupId).thenCompose(coordinator -> ctx.send(coordinator, request))
            .thenApply(response -> readCommitted(groupId, response));
    }

    private static Struct offsetFetchBody(short version, String groupId, Map<String, List<Integer>> byTopic) {
        Struct body = OffsetFetchRequest.SCHEMA.newStruct();
        if (version >= 8) {
            Struct group = body.add(OffsetFetchRequest.GROUPS).set(OffsetFetchRequestGroup.GROUP_ID, groupId);
            if (byTopic == null) {
                group.set(OffsetFetchRequestGroup.TOPICS, null);
            } else {
                byTopic.forEach((topic, indexes) -> group.add(OffsetFetchRequestGroup.TOPICS)
                    .set(OffsetFetchRequestTopics.NAME, topic)
                    .set(OffsetFetchRequestTopics.PARTITION_INDEXES, indexes.stream().mapToInt(Integer::intValue).toArray()));
            }
            return body;
        }
        body.set(OffsetFetchRequest.GROUP_ID, groupId);
        if (byTopic == null) {
            if (version < 2) {
                throw new UnsupportedVersionException("Fetching all committed offsets of group '" + groupId
                    + "' needs OffsetFetch v2+, but the coordinator speaks v" + version);
            }
            body.set(OffsetFetchRequest.TOPICS, null);
        } else {
            byTopic.forEach((topic, indexes) -> body.add(OffsetFetchRequest.TOPICS)
                .set(OffsetFetchRequestTopic.NAME, topic)
                .set(OffsetFetchRequestTopic.PARTITION_INDEXES, indexes.stream().mapToInt(Integer::intValue).toArray()));
        }
        return body;
    }

    private static Map<TopicPartition, CommittedOffset> readCommitted(String groupId, ClientResponse response) {
        Map<TopicPartition, CommittedOffset> committed = new TreeMap<>(PARTITION_ORDER);
        Struct r = response.body();
        if (response.version() >= 8) {
            for (Struct g : r.get(OffsetFetchResponse.GROUPS)) {
                if (!groupId.equals(g.get(OffsetFetchResponseGroup.GROUP_ID))) {
                    continue;
                }
                checkGroupError(groupId, ErrorCode.forCode(g.get(OffsetFetchResponseGroup.ERROR_CODE)));
                for (Struct t : g.get(OffsetFetchResponseGroup.TOPICS)) {
                    String topic = t.get(OffsetFetchResponseTopics.NAME);
                    for (Struct p : t.get(OffsetFetchResponseTopics.PARTITIONS)) {
                        add(groupId, committed, new TopicPartition(topic, p.get(OffsetFetchResponsePartitions.PARTITION_INDEX)),
                            ErrorCode.forCode(p.get(OffsetFetchResponsePartitions.ERROR_CODE)),
                            p.get(OffsetFetchResponsePartitions.COMMITTED_OFFSET),
                            p.get(OffsetFetchResponsePartitions.COMMITTED_LEADER_EPOCH), p.get(OffsetFetchResponsePartitions.METADATA));
                    }
                }
            }
        } else {
            checkGroupError(groupId, ErrorCode.forCode(r.get(OffsetFetchResponse.ERROR_CODE)));
            for (Struct t : r.get(OffsetFetchResponse.TOPICS)) {
                String topic = t.get(OffsetFetchResponseTopic.NAME);
                for (Struct p : t.get(OffsetFetchResponseTopic.PARTITIONS)) {
                    add(groupId, committed, new TopicPartition(topic, p.get(OffsetFetchResponsePartition.PARTITION_INDEX)),
                        ErrorCode.forCode(p.get(OffsetFetchResponsePartition.ERROR_CODE)),
                        p.get(OffsetFetchResponsePartition.COMMITTED_OFFSET),
                        p.get(OffsetFetchResponsePartition.COMMITTED_LEADER_EPOCH), p.get(OffsetFetchResponsePartition.METADATA));
                }
            }
        }
        return committed;
    }

    private static void checkGroupError(String groupId, ErrorCode error) {
        if (error != ErrorCode.NONE) {
            throw AdminErrors.forGroup(error, "Fetching the committed offsets of", groupId, null);
        }
    }

    private static void add(String groupId, Map<TopicPartition, CommittedOffset> committed, TopicPartition tp, ErrorCode error,
                            long offset, int leaderEpoch, String metadata) {
        if (error != ErrorCode.NONE) {
            throw AdminErrors.forGroup(error, "Fetching the committed offset of partition " + tp + " of", groupId, null);
        }
        if (offset >= 0) { // -1: nothing committed for it
            committed.put(tp, new CommittedOffset(offset, leaderEpoch, metadata));
        }
    }

    // ------------------------------------------------------------------ OffsetCommit

    CompletableFuture<Map<TopicPartition, CompletableFuture<Void>>> commitOffsets(String groupId,
                                                                                Map<TopicPartition, CommittedOffset> offsets) {
        ClientRequest request = ClientRequest.of(ApiKey.OFFSET_COMMIT, version -> {
            Struct body = OffsetCommitRequest.SCHEMA.newStruct()
                .set(OffsetCommitRequest.GROUP_ID, groupId)
                .set(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH, NO_GENERATION)
                .set(OffsetCommitRequest.MEMBER_ID, NO_MEMBER);
            Map<String, Struct> topicStructs = new LinkedHashMap<>();
            offsets.forEach((tp, committed) -> {
                Struct p = topicStructs.computeIfAbsent(tp.topic(), name -> body.add(OffsetCommitRequest.TOPICS)
                        .set(OffsetCommitRequestTopic.NAME, name))
                    .add(OffsetCommitRequestTopic.PARTITIONS)
                    .set(OffsetCommitRequestPartition.PARTITION_INDEX, tp.partition())
                    .set(OffsetCommitRequestPartition.COMMITTED_OFFSET, committed.offset())
                    .set(OffsetCommitRequestPartition.COMMITTED_METADATA, committed.metadata());
                if (version >= 6) {
                    p.set(OffsetCommitRequestPartition.COMMITTED_LEADER_EPOCH, committed.leaderEpoch());
                }
            });
            return body;
        }).withVersions(ApiKey.OFFSET_COMMIT.minVersion(), OFFSET_API_MAX_VERSION);
        return findCoordinator(groupId).thenCompose(coordinator -> ctx.send(coordinator, request)).thenApply(response -> {
            Map<TopicPartition, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
            for (Struct t : response.body().get(OffsetCommitResponse.TOPICS)) {
                String topic = t.get(OffsetCommitResponseTopic.NAME);
                for (Struct p : t.get(OffsetCommitResponseTopic.PARTITIONS)) {
                    TopicPartition tp = new TopicPartition(topic, p.get(OffsetCommitResponsePartition.PARTITION_INDEX));
                    ErrorCode error = ErrorCode.forCode(p.get(OffsetCommitResponsePartition.ERROR_CODE));
                    if (isCoordinatorError(error)) {
                        throw AdminErrors.forGroup(error, "Committing offsets of", groupId, null); // retried: find it again
                    }
                    outcomes.put(tp, error == ErrorCode.NONE ? CompletableFuture.completedFuture(null) : CompletableFuture.failedFuture(
                        AdminErrors.forGroup(error, "Committing the offset of partition " + tp + " of", groupId, null)));
                }
            }
            return outcomes;
        });
    }

    private static boolean isCoordinatorError(ErrorCode error) {
        return error == ErrorCode.NOT_COORDINATOR || error == ErrorCode.COORDINATOR_NOT_AVAILABLE
            || error == ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    }

    // ------------------------------------------------------------------ OffsetDelete

    CompletableFuture<Map<TopicPartition, CompletableFuture<Void>>> deleteOffsets(String groupId, Collection<TopicPartition> partitions) {
        Struct body = OffsetDeleteRequest.SCHEMA.newStruct().set(OffsetDeleteRequest.GROUP_ID, groupId);
        byTopic(partitions).forEach((topic, indexes) -> {
            Struct t = body.add(OffsetDeleteRequest.TOPICS).set(OffsetDeleteRequestTopic.NAME, topic);
            indexes.forEach(i -> t.add(OffsetDeleteRequestTopic.PARTITIONS).set(OffsetDeleteRequestPartition.PARTITION_INDEX, i));
        });
        return findCoordinator(groupId).thenCompose(coordinator -> ctx.send(coordinator, ClientRequest.of(ApiKey.OFFSET_DELETE, body)))
            .thenApply(response -> {
                ErrorCode groupError = ErrorCode.forCode(response.body().get(OffsetDeleteResponse.ERROR_CODE));
                if (groupError != ErrorCode.NONE) {
                    throw AdminErrors.forGroup(groupError, "Deleting committed offsets of", groupId, null);
                }
                Map<TopicPartition, CompletableFuture<Void>> outcomes = new LinkedHashMap<>();
                for (Struct t : response.body().get(OffsetDeleteResponse.TOPICS)) {
                    String topic = t.get(OffsetDeleteResponseTopic.NAME);
                    for (Struct p : t.get(OffsetDeleteResponseTopic.PARTITIONS)) {
                        TopicPartition tp = new TopicPartition(topic, p.get(OffsetDeleteResponsePartition.PARTITION_INDEX));
                        ErrorCode error = ErrorCode.forCode(p.get(OffsetDeleteResponsePartition.ERROR_CODE));
                        outcomes.put(tp, error == ErrorCode.NONE ? CompletableFuture.completedFuture(null)
                            : CompletableFuture.failedFuture(error == ErrorCode.UNKNOWN_TOPIC_OR_PARTITION
                                ? AdminErrors.forPartition(error, "Deleting the committed offset of group '" + groupId + "' for", tp, null)
                                : AdminErrors.forGroup(error, "Deleting the committed offset of partition " + tp + " of", groupId, null)));
                    }
                }
                return outcomes;
            });
    }

    /** Partition indexes by topic, topics and indexes in the order given. */
    static Map<String, List<Integer>> byTopic(Collection<TopicPartition> partitions) {
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition());
        }
        return byTopic;
    }
}
