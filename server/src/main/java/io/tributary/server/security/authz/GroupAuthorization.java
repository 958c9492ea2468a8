package io.tributary.server.security.authz;

import io.tributary.log.LogManager;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.DeleteGroupsRequest;
import io.tributary.protocol.message.group.DeleteGroupsResponse;
import io.tributary.protocol.message.group.DeleteGroupsResponse.DeletableGroupResult;
import io.tributary.protocol.message.group.DescribeGroupsRequest;
import io.tributary.protocol.message.group.DescribeGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsResponse.DescribedGroup;
import io.tributary.protocol.message.group.FindCoordinatorRequest;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.group.FindCoordinatorResponse.Coordinator;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.group.HeartbeatResponse;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupResponse;
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
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.security.authz.AuthorizationGate.answer;
import static io.tributary.server.security.authz.AuthorizationGate.gate;
import static io.tributary.server.security.authz.AuthorizationGate.takeRefused;
import static io.tributary.server.security.authz.AuthorizationGate.thenAmend;
import static io.tributary.server.security.authz.AuthorizationGate.topicName;

/**
 * The consumer-group APIs' checks, Kafka's: JoinGroup, SyncGroup, Heartbeat, LeaveGroup and OffsetCommit need READ on
 * the group (GROUP_AUTHORIZATION_FAILED), OffsetCommit also READ on each topic (TOPIC_AUTHORIZATION_FAILED per
 * partition); OffsetFetch DESCRIBE on the group and on each topic named (unnamed topics it may not describe are left
 * out); DescribeGroups DESCRIBE per group (with authorized operations when asked); DeleteGroups DELETE per group;
 * OffsetDelete DELETE on the group and READ on each topic; ListGroups lists every group with DESCRIBE on the cluster,
 * else only the groups it may describe; FindCoordinator DESCRIBE on the group or transactional id.
 */
final class GroupAuthorization {
    private static final byte GROUP_KEY = 0;
    private static final byte TRANSACTION_KEY = 1;

    private GroupAuthorization() {
    }

    static void install(ApiDispatcher dispatcher, Authorizer authorizer, LogManager logs) {
        groupRead(dispatcher, authorizer, ApiKey.JOIN_GROUP, JoinGroupRequest.GROUP_ID, version -> {
            Struct response = JoinGroupResponse.SCHEMA.newStruct()
                .set(JoinGroupResponse.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code())
                .set(JoinGroupResponse.GENERATION_ID, -1).set(JoinGroupResponse.LEADER, "").set(JoinGroupResponse.MEMBER_ID, "");
            return response.set(JoinGroupResponse.PROTOCOL_NAME, version >= 7 ? null : "");
        });
        groupRead(dispatcher, authorizer, ApiKey.SYNC_GROUP, SyncGroupRequest.GROUP_ID, version -> SyncGroupResponse.SCHEMA.newStruct()
            .set(SyncGroupResponse.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code())
            .set(SyncGroupResponse.ASSIGNMENT, ByteBuffer.allocate(0)));
        groupRead(dispatcher, authorizer, ApiKey.HEARTBEAT, HeartbeatRequest.GROUP_ID, version -> HeartbeatResponse.SCHEMA.newStruct()
            .set(HeartbeatResponse.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code()));
        groupRead(dispatcher, authorizer, ApiKey.LEAVE_GROUP, LeaveGroupRequest.GROUP_ID, version -> LeaveGroupResponse.SCHEMA.newStruct()
            .set(LeaveGroupResponse.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code()));
        gate(dispatcher, ApiKey.OFFSET_COMMIT, (inner, context, request) -> offsetCommit(authorizer, logs, inner, context, request));
        gate(dispatcher, ApiKey.OFFSET_FETCH, (inner, context, request) -> offsetFetch(authorizer, logs, inner, context, request));
        gate(dispatcher, ApiKey.OFFSET_DELETE, (inner, context, request) -> offsetDelete(authorizer, inner, context, request));
        gate(dispatcher, ApiKey.DESCRIBE_GROUPS, (inner, context, request) -> describeGroups(authorizer, inner, context, request));
        gate(dispatcher, ApiKey.DELETE_GROUPS, (inner, context, request) -> {
            List<String> refused = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (String group : request.get(DeleteGroupsRequest.GROUPS_NAMES)) {
                (authorizer.authorize(context, AclOperation.DELETE, ResourceType.GROUP, group) ? kept : refused).add(group);
            }
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            request.set(DeleteGroupsRequest.GROUPS_NAMES, kept);
            return thenAmend(inner, context, request, response -> refused.forEach(group -> response.add(DeleteGroupsResponse.RESULTS)
                .set(DeletableGroupResult.GROUP_ID, group)
                .set(DeletableGroupResult.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code())));
        });
        gate(dispatcher, ApiKey.LIST_GROUPS, (inner, context, request) -> {
            if (authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                return inner.handle(context, request);
            }
            return thenAmend(inner, context, request, response -> response.set(ListGroupsResponse.GROUPS,
                response.get(ListGroupsResponse.GROUPS).stream().filter(group -> authorizer.authorize(context, AclOperation.DESCRIBE,
                    ResourceType.GROUP, group.get(ListedGroup.GROUP_ID))).toList()));
        });
        gate(dispatcher, ApiKey.FIND_COORDINATOR, (inner, context, request) -> findCoordinator(authorizer, inner, context, request));
    }

    /** The error answer of an API refused as a whole, by request version. */
    @FunctionalInterface
    private interface Refusal {
        Struct answer(short version);
    }

    private static void groupRead(ApiDispatcher dispatcher, Authorizer authorizer, ApiKey api, StringField groupId, Refusal refusal) {
        gate(dispatcher, api, (inner, context, request) ->
            authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.get(groupId)) ? inner.handle(context, request)
                : answer(refusal.answer(context.apiVersion())));
    }

    private static CompletableFuture<ApiResponse> offsetCommit(Authorizer authorizer, LogManager logs, ApiHandler inner,
                                                               RequestContext context, Struct request) {
        short version = context.apiVersion();
        boolean groupAllowed = authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.get(OffsetCommitRequest.GROUP_ID));
        if (!groupAllowed) {
            Struct response = OffsetCommitResponse.SCHEMA.newStruct();
            refuseCommit(response, request.get(OffsetCommitRequest.TOPICS), version, ErrorCode.GROUP_AUTHORIZATION_FAILED);
            return answer(response);
        }
        List<Struct> refused = takeRefused(request, OffsetCommitRequest.TOPICS, topic -> {
            String name = topicName(logs, version >= 10 ? null : topic.get(OffsetCommitRequestTopic.NAME),
                version >= 10 ? topic.get(OffsetCommitRequestTopic.TOPIC_ID) : null);
            return name == null || authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, name);
        });
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        return thenAmend(inner, context, request, response -> refuseCommit(response, refused, version, ErrorCode.TOPIC_AUTHORIZATION_FAILED));
    }

    private static void refuseCommit(Struct response, List<Struct> topics, short version, ErrorCode error) {
        for (Struct topic : topics) {
            Struct out = response.add(OffsetCommitResponse.TOPICS);
            if (version >= 10) {
                out.set(OffsetCommitResponseTopic.TOPIC_ID, topic.get(OffsetCommitRequestTopic.TOPIC_ID));
            } else {
                out.set(OffsetCommitResponseTopic.NAME, topic.get(OffsetCommitRequestTopic.NAME));
            }
            for (Struct partition : topic.get(OffsetCommitRequestTopic.PARTITIONS)) {
                out.add(OffsetCommitResponseTopic.PARTITIONS)
                    .set(OffsetCommitResponsePartition.PARTITION_INDEX, partition.get(OffsetCommitRequestPartition.PARTITION_INDEX))
                    .set(OffsetCommitResponsePartition.ERROR_CODE, error.code());
            }
        }
    }

    private static CompletableFuture<ApiResponse> offsetFetch(Authorizer authorizer, LogManager logs, ApiHandler inner,
                                                              RequestContext context, Struct request) {
        short version = context.apiVersion();
        if (version < 8) {
            if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, request.get(OffsetFetchRequest.GROUP_ID))) {
                return answer(OffsetFetchResponse.SCHEMA.newStruct()
                    .set(OffsetFetchResponse.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code()));
            }
            boolean allTopics = request.get(OffsetFetchRequest.TOPICS) == null;
            List<Struct> refused = takeRefused(request, OffsetFetchRequest.TOPICS, topic ->
                authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic.get(OffsetFetchRequestTopic.NAME)));
            return thenAmend(inner, context, request, response -> {
                if (allTopics) {
                    response.set(OffsetFetchResponse.TOPICS, response.get(OffsetFetchResponse.TOPICS).stream().filter(topic ->
                        authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic.get(OffsetFetchResponseTopic.NAME))).toList());
                }
                for (Struct topic : refused) {
                    Struct out = response.add(OffsetFetchResponse.TOPICS).set(OffsetFetchResponseTopic.NAME, topic.get(OffsetFetchRequestTopic.NAME));
                    for (int partition : topic.get(OffsetFetchRequestTopic.PARTITION_INDEXES)) {
                        out.add(OffsetFetchResponseTopic.PARTITIONS).set(OffsetFetchResponsePartition.PARTITION_INDEX, partition)
                            .set(OffsetFetchResponsePartition.COMMITTED_OFFSET, -1L).set(OffsetFetchResponsePartition.METADATA, "")
                            .set(OffsetFetchResponsePartition.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code());
                    }
                }
            });
        }
        List<Struct> refusedGroups = takeRefused(request, OffsetFetchRequest.GROUPS, group ->
            authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, group.get(OffsetFetchRequestGroup.GROUP_ID)));
        Map<String, List<Struct>> refusedTopics = new HashMap<>();
        Map<String, Boolean> allTopics = new HashMap<>();
        for (Struct group : request.get(OffsetFetchRequest.GROUPS)) {
            String groupId = group.get(OffsetFetchRequestGroup.GROUP_ID);
            allTopics.put(groupId, group.get(OffsetFetchRequestGroup.TOPICS) == null);
            refusedTopics.put(groupId, takeRefused(group, OffsetFetchRequestGroup.TOPICS, topic -> {
                String name = topicName(logs, version >= 10 ? null : topic.get(OffsetFetchRequestTopics.NAME),
                    version >= 10 ? topic.get(OffsetFetchRequestTopics.TOPIC_ID) : null);
                return name == null || authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name);
            }));
        }
        return thenAmend(inner, context, request, response -> {
            for (Struct group : response.get(OffsetFetchResponse.GROUPS)) {
                String groupId = group.get(OffsetFetchResponseGroup.GROUP_ID);
                if (Boolean.TRUE.equals(allTopics.get(groupId))) {
                    group.set(OffsetFetchResponseGroup.TOPICS, group.get(OffsetFetchResponseGroup.TOPICS).stream().filter(topic -> {
                        String name = topicName(logs, version >= 10 ? null : topic.get(OffsetFetchResponseTopics.NAME),
                            version >= 10 ? topic.get(OffsetFetchResponseTopics.TOPIC_ID) : null);
                        return name == null || authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name);
                    }).toList());
                }
                for (Struct topic : refusedTopics.getOrDefault(groupId, List.of())) {
                    Struct out = group.add(OffsetFetchResponseGroup.TOPICS);
                    if (version >= 10) {
                        out.set(OffsetFetchResponseTopics.TOPIC_ID, topic.get(OffsetFetchRequestTopics.TOPIC_ID));
                    } else {
                        out.set(OffsetFetchResponseTopics.NAME, topic.get(OffsetFetchRequestTopics.NAME));
                    }
                    for (int partition : topic.get(OffsetFetchRequestTopics.PARTITION_INDEXES)) {
                        out.add(OffsetFetchResponseTopics.PARTITIONS).set(OffsetFetchResponsePartitions.PARTITION_INDEX, partition)
                            .set(OffsetFetchResponsePartitions.COMMITTED_OFFSET, -1L).set(OffsetFetchResponsePartitions.METADATA, "")
                            .set(OffsetFetchResponsePartitions.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code());
                    }
                }
            }
            for (Struct group : refusedGroups) {
                response.add(OffsetFetchResponse.GROUPS).set(OffsetFetchResponseGroup.GROUP_ID, group.get(OffsetFetchRequestGroup.GROUP_ID))
                    .set(OffsetFetchResponseGroup.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code());
            }
        });
    }

    private static CompletableFuture<ApiResponse> offsetDelete(Authorizer authorizer, ApiHandler inner, RequestContext context,
                                                               Struct request) {
        if (!authorizer.authorize(context, AclOperation.DELETE, ResourceType.GROUP, request.get(OffsetDeleteRequest.GROUP_ID))) {
            return answer(OffsetDeleteResponse.SCHEMA.newStruct()
                .set(OffsetDeleteResponse.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code()));
        }
        List<Struct> refused = takeRefused(request, OffsetDeleteRequest.TOPICS, topic ->
            authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, topic.get(OffsetDeleteRequestTopic.NAME)));
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        return thenAmend(inner, context, request, response -> {
            for (Struct topic : refused) {
                Struct out = response.add(OffsetDeleteResponse.TOPICS).set(OffsetDeleteResponseTopic.NAME, topic.get(OffsetDeleteRequestTopic.NAME));
                for (Struct partition : topic.get(OffsetDeleteRequestTopic.PARTITIONS)) {
                    out.add(OffsetDeleteResponseTopic.PARTITIONS)
                        .set(OffsetDeleteResponsePartition.PARTITION_INDEX, partition.get(OffsetDeleteRequestPartition.PARTITION_INDEX))
                        .set(OffsetDeleteResponsePartition.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code());
                }
            }
        });
    }

    private static CompletableFuture<ApiResponse> describeGroups(Authorizer authorizer, ApiHandler inner, RequestContext context,
                                                                 Struct request) {
        boolean operations = context.apiVersion() >= 3 && request.get(DescribeGroupsRequest.INCLUDE_AUTHORIZED_OPERATIONS);
        List<String> refused = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String group : request.get(DescribeGroupsRequest.GROUPS)) {
            (authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, group) ? kept : refused).add(group);
        }
        request.set(DescribeGroupsRequest.GROUPS, kept);
        return thenAmend(inner, context, request, response -> {
            if (operations) {
                for (Struct group : response.get(DescribeGroupsResponse.GROUPS)) {
                    group.set(DescribedGroup.AUTHORIZED_OPERATIONS,
                        authorizer.authorizedOperations(context, ResourceType.GROUP, group.get(DescribedGroup.GROUP_ID)));
                }
            }
            for (String group : refused) {
                response.add(DescribeGroupsResponse.GROUPS).set(DescribedGroup.GROUP_ID, group)
                    .set(DescribedGroup.ERROR_CODE, ErrorCode.GROUP_AUTHORIZATION_FAILED.code())
                    .set(DescribedGroup.GROUP_STATE, "").set(DescribedGroup.PROTOCOL_TYPE, "").set(DescribedGroup.PROTOCOL_DATA, "");
            }
        });
    }

    private static boolean mayFind(Authorizer authorizer, RequestContext context, byte keyType, String key) {
        return switch (keyType) {
            case GROUP_KEY -> authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.GROUP, key);
            case TRANSACTION_KEY -> authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, key);
            default -> true; // the handler refuses key types it does not know
        };
    }

    private static ErrorCode findRefusal(byte keyType) {
        return keyType == TRANSACTION_KEY ? ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED : ErrorCode.GROUP_AUTHORIZATION_FAILED;
    }

    private static CompletableFuture<ApiResponse> findCoordinator(Authorizer authorizer, ApiHandler inner, RequestContext context,
                                                                  Struct request) {
        short version = context.apiVersion();
        byte keyType = version >= 1 ? request.get(FindCoordinatorRequest.KEY_TYPE) : GROUP_KEY;
        if (version < 4) {
            if (mayFind(authorizer, context, keyType, request.get(FindCoordinatorRequest.KEY))) {
                return inner.handle(context, request);
            }
            return answer(FindCoordinatorResponse.SCHEMA.newStruct()
                .set(FindCoordinatorResponse.ERROR_CODE, findRefusal(keyType).code())
                .set(FindCoordinatorResponse.ERROR_MESSAGE, null)
                .set(FindCoordinatorResponse.NODE_ID, -1).set(FindCoordinatorResponse.HOST, "").set(FindCoordinatorResponse.PORT, -1));
        }
        List<String> refused = new ArrayList<>();
        List<String> kept = new ArrayList<>();
        for (String key : request.get(FindCoordinatorRequest.COORDINATOR_KEYS)) {
            (mayFind(authorizer, context, keyType, key) ? kept : refused).add(key);
        }
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        request.set(FindCoordinatorRequest.COORDINATOR_KEYS, kept);
        return thenAmend(inner, context, request, response -> refused.forEach(key -> response.add(FindCoordinatorResponse.COORDINATORS)
            .set(Coordinator.KEY, key).set(Coordinator.NODE_ID, -1).set(Coordinator.HOST, "").set(Coordinator.PORT, -1)
            .set(Coordinator.ERROR_CODE, findRefusal(keyType).code()).set(Coordinator.ERROR_MESSAGE, null)));
    }
}
