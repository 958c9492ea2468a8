package io.tributary.server.security.authz;

import io.tributary.log.LogManager;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.admin.AlterConfigsRequest;
import io.tributary.protocol.message.admin.AlterConfigsResponse;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsRequest;
import io.tributary.protocol.message.admin.AlterPartitionReassignmentsResponse;
import io.tributary.protocol.message.admin.ElectLeadersRequest;
import io.tributary.protocol.message.admin.ElectLeadersResponse;
import io.tributary.protocol.message.admin.ListPartitionReassignmentsResponse;
import io.tributary.protocol.message.admin.CreatePartitionsRequest;
import io.tributary.protocol.message.admin.CreatePartitionsRequest.CreatePartitionsTopic;
import io.tributary.protocol.message.admin.CreatePartitionsResponse;
import io.tributary.protocol.message.admin.CreatePartitionsResponse.CreatePartitionsTopicResult;
import io.tributary.protocol.message.admin.CreateTopicsRequest;
import io.tributary.protocol.message.admin.CreateTopicsRequest.CreatableTopic;
import io.tributary.protocol.message.admin.CreateTopicsResponse;
import io.tributary.protocol.message.admin.CreateTopicsResponse.CreatableTopicResult;
import io.tributary.protocol.message.admin.DeleteTopicsRequest;
import io.tributary.protocol.message.admin.DeleteTopicsRequest.DeleteTopicState;
import io.tributary.protocol.message.admin.DeleteTopicsResponse;
import io.tributary.protocol.message.admin.DeleteTopicsResponse.DeletableTopicResult;
import io.tributary.protocol.message.admin.DescribeConfigsRequest;
import io.tributary.protocol.message.admin.DescribeConfigsResponse;
import io.tributary.protocol.message.admin.DescribeConfigsResponse.DescribeConfigsResult;
import io.tributary.protocol.message.admin.DescribeLogDirsResponse;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsRequest;
import io.tributary.protocol.message.admin.IncrementalAlterConfigsResponse;
import io.tributary.protocol.message.metadata.DescribeClusterRequest;
import io.tributary.protocol.message.metadata.DescribeClusterResponse;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.quota.AlterClientQuotasRequest;
import io.tributary.protocol.message.quota.AlterClientQuotasResponse;
import io.tributary.protocol.message.quota.DescribeClientQuotasResponse;
import io.tributary.protocol.message.schema.Int16Field;
import io.tributary.protocol.message.schema.Int8Field;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.schema.StringField;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.protocol.message.security.AlterUserScramCredentialsRequest;
import io.tributary.protocol.message.security.AlterUserScramCredentialsResponse;
import io.tributary.protocol.message.security.AlterUserScramCredentialsResponse.AlterUserScramCredentialsResult;
import io.tributary.protocol.message.security.DescribeUserScramCredentialsResponse;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.security.authz.AuthorizationGate.answer;
import static io.tributary.server.security.authz.AuthorizationGate.gate;
import static io.tributary.server.security.authz.AuthorizationGate.takeRefused;
import static io.tributary.server.security.authz.AuthorizationGate.thenAmend;
import static io.tributary.server.security.authz.AuthorizationGate.topicName;

/**
 * The admin APIs' checks, Kafka's: CreateTopics CREATE on the cluster or the topic (and DESCRIBE_CONFIGS on it to see
 * the configs it was created with), DeleteTopics DESCRIBE and DELETE, CreatePartitions ALTER, DescribeConfigs
 * DESCRIBE_CONFIGS and AlterConfigs / IncrementalAlterConfigs ALTER_CONFIGS on the topic (TOPIC_AUTHORIZATION_FAILED) or
 * the cluster for broker resources (CLUSTER_AUTHORIZATION_FAILED); DescribeCluster's authorized operations when asked;
 * InitProducerId WRITE on the transactional id, or for an idempotent producer IDEMPOTENT_WRITE on the cluster or WRITE
 * on any topic (KIP-679); DescribeUserScramCredentials DESCRIBE and AlterUserScramCredentials ALTER on the cluster;
 * ElectLeaders and AlterPartitionReassignments ALTER, ListPartitionReassignments DESCRIBE on the cluster
 * (CLUSTER_AUTHORIZATION_FAILED for the whole request and each partition named); DescribeLogDirs DESCRIBE on the
 * cluster.
 */
final class AdminAuthorization {
    private static final byte TOPIC_RESOURCE = 2;
    private static final byte BROKER_RESOURCE = 4;
    private static final byte BROKER_LOGGER_RESOURCE = 8;
    private static final String REFUSED = "Authorization failed.";

    private AdminAuthorization() {
    }

    static void install(ApiDispatcher dispatcher, Authorizer authorizer, LogManager logs) {
        gate(dispatcher, ApiKey.CREATE_TOPICS, (inner, context, request) -> createTopics(authorizer, inner, context, request));
        gate(dispatcher, ApiKey.DELETE_TOPICS, (inner, context, request) -> deleteTopics(authorizer, logs, inner, context, request));
        gate(dispatcher, ApiKey.CREATE_PARTITIONS, (inner, context, request) -> {
            List<Struct> refused = takeRefused(request, CreatePartitionsRequest.TOPICS, topic ->
                authorizer.authorize(context, AclOperation.ALTER, ResourceType.TOPIC, topic.get(CreatePartitionsTopic.NAME)));
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            return thenAmend(inner, context, request, response -> refused.forEach(topic -> response.add(CreatePartitionsResponse.RESULTS)
                .set(CreatePartitionsTopicResult.NAME, topic.get(CreatePartitionsTopic.NAME))
                .set(CreatePartitionsTopicResult.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                .set(CreatePartitionsTopicResult.ERROR_MESSAGE, REFUSED)));
        });
        gate(dispatcher, ApiKey.DESCRIBE_CONFIGS, (inner, context, request) -> configs(authorizer, inner, context, request,
            AclOperation.DESCRIBE_CONFIGS, DescribeConfigsRequest.RESOURCES, DescribeConfigsRequest.DescribeConfigsResource.RESOURCE_TYPE,
            DescribeConfigsRequest.DescribeConfigsResource.RESOURCE_NAME, DescribeConfigsResponse.RESULTS,
            DescribeConfigsResult.ERROR_CODE, DescribeConfigsResult.ERROR_MESSAGE, DescribeConfigsResult.RESOURCE_TYPE,
            DescribeConfigsResult.RESOURCE_NAME));
        gate(dispatcher, ApiKey.ALTER_CONFIGS, (inner, context, request) -> configs(authorizer, inner, context, request,
            AclOperation.ALTER_CONFIGS, AlterConfigsRequest.RESOURCES, AlterConfigsRequest.AlterConfigsResource.RESOURCE_TYPE,
            AlterConfigsRequest.AlterConfigsResource.RESOURCE_NAME, AlterConfigsResponse.RESPONSES,
            AlterConfigsResponse.AlterConfigsResourceResponse.ERROR_CODE, AlterConfigsResponse.AlterConfigsResourceResponse.ERROR_MESSAGE,
            AlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_TYPE, AlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_NAME));
        gate(dispatcher, ApiKey.INCREMENTAL_ALTER_CONFIGS, (inner, context, request) -> configs(authorizer, inner, context, request,
            AclOperation.ALTER_CONFIGS, IncrementalAlterConfigsRequest.RESOURCES,
            IncrementalAlterConfigsRequest.AlterConfigsResource.RESOURCE_TYPE, IncrementalAlterConfigsRequest.AlterConfigsResource.RESOURCE_NAME,
            IncrementalAlterConfigsResponse.RESPONSES, IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.ERROR_CODE,
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.ERROR_MESSAGE,
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_TYPE,
            IncrementalAlterConfigsResponse.AlterConfigsResourceResponse.RESOURCE_NAME));
        gate(dispatcher, ApiKey.DESCRIBE_CLUSTER, (inner, context, request) -> {
            if (!request.get(DescribeClusterRequest.INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS)) {
                return inner.handle(context, request);
            }
            int operations = authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
                ? authorizer.authorizedOperations(context, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) : 0;
            return thenAmend(inner, context, request, response -> response.set(DescribeClusterResponse.CLUSTER_AUTHORIZED_OPERATIONS, operations));
        });
        gate(dispatcher, ApiKey.INIT_PRODUCER_ID, (inner, context, request) -> {
            String transactionalId = request.get(InitProducerIdRequest.TRANSACTIONAL_ID);
            ErrorCode refusal = null;
            if (transactionalId != null) {
                if (!authorizer.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
                    refusal = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
                }
            } else if (!authorizer.authorize(context, AclOperation.IDEMPOTENT_WRITE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
                && !authorizer.authorizeAny(context, AclOperation.WRITE, ResourceType.TOPIC)) {
                refusal = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
            }
            if (refusal == null) {
                return inner.handle(context, request);
            }
            return answer(InitProducerIdResponse.SCHEMA.newStruct().set(InitProducerIdResponse.ERROR_CODE, refusal.code())
                .set(InitProducerIdResponse.PRODUCER_ID, -1L).set(InitProducerIdResponse.PRODUCER_EPOCH, -1));
        });
        gate(dispatcher, ApiKey.DESCRIBE_CLIENT_QUOTAS, (inner, context, request) ->
            authorizer.authorize(context, AclOperation.DESCRIBE_CONFIGS, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
                ? inner.handle(context, request)
                : answer(DescribeClientQuotasResponse.SCHEMA.newStruct()
                    .set(DescribeClientQuotasResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                    .set(DescribeClientQuotasResponse.ERROR_MESSAGE, REFUSED).set(DescribeClientQuotasResponse.ENTRIES, null)));
        gate(dispatcher, ApiKey.ALTER_CLIENT_QUOTAS, (inner, context, request) -> {
            if (authorizer.authorize(context, AclOperation.ALTER_CONFIGS, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                return inner.handle(context, request);
            }
            Struct response = AlterClientQuotasResponse.SCHEMA.newStruct();
            for (Struct entry : request.get(AlterClientQuotasRequest.ENTRIES)) {
                Struct out = response.add(AlterClientQuotasResponse.ENTRIES)
                    .set(AlterClientQuotasResponse.EntryData.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                    .set(AlterClientQuotasResponse.EntryData.ERROR_MESSAGE, REFUSED);
                for (Struct component : entry.get(AlterClientQuotasRequest.EntryData.ENTITY)) {
                    out.add(AlterClientQuotasResponse.EntryData.ENTITY)
                        .set(AlterClientQuotasResponse.EntityData.ENTITY_TYPE, component.get(AlterClientQuotasRequest.EntityData.ENTITY_TYPE))
                        .set(AlterClientQuotasResponse.EntityData.ENTITY_NAME, component.get(AlterClientQuotasRequest.EntityData.ENTITY_NAME));
                }
            }
            return answer(response);
        });
        gate(dispatcher, ApiKey.ELECT_LEADERS, (inner, context, request) -> {
            if (authorizer.authorize(context, AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                return inner.handle(context, request);
            }
            Struct response = ElectLeadersResponse.SCHEMA.newStruct()
                .set(ElectLeadersResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                .set(ElectLeadersResponse.REPLICA_ELECTION_RESULTS, new ArrayList<>());
            List<Struct> named = request.get(ElectLeadersRequest.TOPIC_PARTITIONS);
            for (Struct topic : named == null ? List.<Struct>of() : named) {
                Struct out = response.add(ElectLeadersResponse.REPLICA_ELECTION_RESULTS)
                    .set(ElectLeadersResponse.ReplicaElectionResult.TOPIC, topic.get(ElectLeadersRequest.TopicPartitions.TOPIC));
                for (int partition : topic.get(ElectLeadersRequest.TopicPartitions.PARTITIONS)) {
                    out.add(ElectLeadersResponse.ReplicaElectionResult.PARTITION_RESULT)
                        .set(ElectLeadersResponse.PartitionResult.PARTITION_ID, partition)
                        .set(ElectLeadersResponse.PartitionResult.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                        .set(ElectLeadersResponse.PartitionResult.ERROR_MESSAGE, REFUSED);
                }
            }
            return answer(response);
        });
        gate(dispatcher, ApiKey.ALTER_PARTITION_REASSIGNMENTS, (inner, context, request) -> {
            if (authorizer.authorize(context, AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                return inner.handle(context, request);
            }
            Struct response = AlterPartitionReassignmentsResponse.SCHEMA.newStruct()
                .set(AlterPartitionReassignmentsResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                .set(AlterPartitionReassignmentsResponse.ERROR_MESSAGE, REFUSED)
                .set(AlterPartitionReassignmentsResponse.RESPONSES, new ArrayList<>());
            for (Struct topic : request.get(AlterPartitionReassignmentsRequest.TOPICS)) {
                Struct out = response.add(AlterPartitionReassignmentsResponse.RESPONSES)
                    .set(AlterPartitionReassignmentsResponse.ReassignableTopicResponse.NAME,
                        topic.get(AlterPartitionReassignmentsRequest.ReassignableTopic.NAME));
                for (Struct partition : topic.get(AlterPartitionReassignmentsRequest.ReassignableTopic.PARTITIONS)) {
                    out.add(AlterPartitionReassignmentsResponse.ReassignableTopicResponse.PARTITIONS)
                        .set(AlterPartitionReassignmentsResponse.ReassignablePartitionResponse.PARTITION_INDEX,
                            partition.get(AlterPartitionReassignmentsRequest.ReassignablePartition.PARTITION_INDEX))
                        .set(AlterPartitionReassignmentsResponse.ReassignablePartitionResponse.ERROR_CODE,
                            ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                        .set(AlterPartitionReassignmentsResponse.ReassignablePartitionResponse.ERROR_MESSAGE, REFUSED);
                }
            }
            return answer(response);
        });
        gate(dispatcher, ApiKey.DESCRIBE_LOG_DIRS, (inner, context, request) ->
            authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) ? inner.handle(context, request)
                : answer(DescribeLogDirsResponse.SCHEMA.newStruct()
                    .set(DescribeLogDirsResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                    .set(DescribeLogDirsResponse.RESULTS, new ArrayList<>())));
        gate(dispatcher, ApiKey.LIST_PARTITION_REASSIGNMENTS, (inner, context, request) ->
            authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) ? inner.handle(context, request)
                : answer(ListPartitionReassignmentsResponse.SCHEMA.newStruct()
                    .set(ListPartitionReassignmentsResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                    .set(ListPartitionReassignmentsResponse.ERROR_MESSAGE, REFUSED)
                    .set(ListPartitionReassignmentsResponse.TOPICS, new ArrayList<>())));
        gate(dispatcher, ApiKey.DESCRIBE_USER_SCRAM_CREDENTIALS, (inner, context, request) ->
            authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME) ? inner.handle(context, request)
                : answer(DescribeUserScramCredentialsResponse.SCHEMA.newStruct()
                    .set(DescribeUserScramCredentialsResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                    .set(DescribeUserScramCredentialsResponse.ERROR_MESSAGE, REFUSED)));
        gate(dispatcher, ApiKey.ALTER_USER_SCRAM_CREDENTIALS, (inner, context, request) -> {
            if (authorizer.authorize(context, AclOperation.ALTER, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)) {
                return inner.handle(context, request);
            }
            Set<String> users = new LinkedHashSet<>();
            request.get(AlterUserScramCredentialsRequest.DELETIONS).forEach(d ->
                users.add(d.get(AlterUserScramCredentialsRequest.ScramCredentialDeletion.NAME)));
            request.get(AlterUserScramCredentialsRequest.UPSERTIONS).forEach(u ->
                users.add(u.get(AlterUserScramCredentialsRequest.ScramCredentialUpsertion.NAME)));
            Struct response = AlterUserScramCredentialsResponse.SCHEMA.newStruct();
            users.forEach(user -> response.add(AlterUserScramCredentialsResponse.RESULTS)
                .set(AlterUserScramCredentialsResult.USER, user)
                .set(AlterUserScramCredentialsResult.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code())
                .set(AlterUserScramCredentialsResult.ERROR_MESSAGE, REFUSED));
            return answer(response);
        });
    }

    private static CompletableFuture<ApiResponse> createTopics(Authorizer authorizer, ApiHandler inner, RequestContext context,
                                                               Struct request) {
        short version = context.apiVersion();
        boolean clusterCreate = authorizer.authorize(context, AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
        List<Struct> refused = clusterCreate ? List.of() : takeRefused(request, CreateTopicsRequest.TOPICS, topic ->
            authorizer.authorize(context, AclOperation.CREATE, ResourceType.TOPIC, topic.get(CreatableTopic.NAME)));
        return thenAmend(inner, context, request, response -> {
            if (version >= 5) {
                for (Struct result : response.get(CreateTopicsResponse.TOPICS)) {
                    if (result.get(CreatableTopicResult.ERROR_CODE) == ErrorCode.NONE.code() && !authorizer.authorize(context,
                        AclOperation.DESCRIBE_CONFIGS, ResourceType.TOPIC, result.get(CreatableTopicResult.NAME))) {
                        result.set(CreatableTopicResult.CONFIGS, List.of()).set(CreatableTopicResult.NUM_PARTITIONS, -1)
                            .set(CreatableTopicResult.REPLICATION_FACTOR, -1)
                            .set(CreatableTopicResult.TOPIC_CONFIG_ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code());
                    }
                }
            }
            for (Struct topic : refused) {
                Struct out = response.add(CreateTopicsResponse.TOPICS).set(CreatableTopicResult.NAME, topic.get(CreatableTopic.NAME))
                    .set(CreatableTopicResult.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                    .set(CreatableTopicResult.ERROR_MESSAGE, REFUSED);
                if (version >= 5) {
                    out.set(CreatableTopicResult.CONFIGS, null);
                }
            }
        });
    }

    private static CompletableFuture<ApiResponse> deleteTopics(Authorizer authorizer, LogManager logs, ApiHandler inner,
                                                               RequestContext context, Struct request) {
        short version = context.apiVersion();
        if (version < 6) {
            List<String> refused = new ArrayList<>();
            List<String> kept = new ArrayList<>();
            for (String name : request.get(DeleteTopicsRequest.TOPIC_NAMES)) {
                (mayDelete(authorizer, context, name) ? kept : refused).add(name);
            }
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            request.set(DeleteTopicsRequest.TOPIC_NAMES, kept);
            return thenAmend(inner, context, request, response -> refused.forEach(name -> response.add(DeleteTopicsResponse.RESPONSES)
                .set(DeletableTopicResult.NAME, name).set(DeletableTopicResult.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                .set(DeletableTopicResult.ERROR_MESSAGE, REFUSED)));
        }
        List<Struct> refused = takeRefused(request, DeleteTopicsRequest.TOPICS, topic -> {
            String name = topicName(logs, topic.get(DeleteTopicState.NAME), topic.get(DeleteTopicState.TOPIC_ID));
            return name == null || mayDelete(authorizer, context, name);
        });
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        return thenAmend(inner, context, request, response -> refused.forEach(topic -> {
            UUID id = topic.get(DeleteTopicState.TOPIC_ID);
            response.add(DeleteTopicsResponse.RESPONSES).set(DeletableTopicResult.NAME, topic.get(DeleteTopicState.NAME))
                .set(DeletableTopicResult.TOPIC_ID, id == null ? new UUID(0, 0) : id)
                .set(DeletableTopicResult.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                .set(DeletableTopicResult.ERROR_MESSAGE, REFUSED);
        }));
    }

    private static boolean mayDelete(Authorizer authorizer, RequestContext context, String name) {
        return authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name)
            && authorizer.authorize(context, AclOperation.DELETE, ResourceType.TOPIC, name);
    }

    /** The three config APIs: each resource checked on its own, refusals answered per resource. */
    private static CompletableFuture<ApiResponse> configs(Authorizer authorizer, ApiHandler inner, RequestContext context, Struct request,
                                                          AclOperation operation, StructArrayField resources, Int8Field typeIn,
                                                          StringField nameIn, StructArrayField results, Int16Field errorOut,
                                                          StringField messageOut, Int8Field typeOut, StringField nameOut) {
        List<Struct> refused = takeRefused(request, resources, resource -> {
            byte type = resource.get(typeIn);
            return switch (type) {
                case TOPIC_RESOURCE -> authorizer.authorize(context, operation, ResourceType.TOPIC, resource.get(nameIn));
                case BROKER_RESOURCE, BROKER_LOGGER_RESOURCE ->
                    authorizer.authorize(context, operation, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
                default -> true; // the handler refuses types it does not serve
            };
        });
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        return thenAmend(inner, context, request, response -> refused.forEach(resource -> {
            byte type = resource.get(typeIn);
            ErrorCode error = type == TOPIC_RESOURCE ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
            response.add(results).set(errorOut, error.code()).set(messageOut, REFUSED).set(typeOut, type).set(nameOut, resource.get(nameIn));
        }));
    }
}
