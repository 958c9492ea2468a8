package io.tributary.server.security.authz;

import io.tributary.log.LogManager;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.metadata.MetadataRequest;
import io.tributary.protocol.message.metadata.MetadataRequest.MetadataRequestTopic;
import io.tributary.protocol.message.metadata.MetadataResponse;
import io.tributary.protocol.message.metadata.MetadataResponse.MetadataResponseTopic;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.metadata.InternalTopics;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.security.authz.AuthorizationGate.gate;
import static io.tributary.server.security.authz.AuthorizationGate.takeRefused;
import static io.tributary.server.security.authz.AuthorizationGate.topicName;

/**
 * Metadata as Kafka answers it under an authorizer: an all-topics request lists only the topics the principal may
 * DESCRIBE; a named topic it may not describe is answered TOPIC_AUTHORIZATION_FAILED (and is not auto-created); a topic
 * that does not exist is auto-created only with CREATE on the cluster or on the topic, else answered
 * TOPIC_AUTHORIZATION_FAILED. When asked, each topic carries its authorized operations and (v8-10) the cluster its own.
 */
final class MetadataAuthorization {
    private static final UUID ZERO_UUID = new UUID(0, 0);

    private MetadataAuthorization() {
    }

    static void install(ApiDispatcher dispatcher, Authorizer authorizer, LogManager logs, boolean autoCreateTopics) {
        gate(dispatcher, ApiKey.METADATA, (inner, context, request) -> metadata(authorizer, logs, autoCreateTopics, inner, context, request));
    }

    private static CompletableFuture<ApiResponse> metadata(Authorizer authorizer, LogManager logs, boolean autoCreateTopics,
                                                           ApiHandler inner, RequestContext context, Struct request) {
        short version = context.apiVersion();
        List<Struct> requested = request.get(MetadataRequest.TOPICS);
        boolean all = requested == null || (version == 0 && requested.isEmpty());
        boolean mayCreate = autoCreateTopics && request.get(MetadataRequest.ALLOW_AUTO_TOPIC_CREATION);
        List<Struct> refused = all ? List.of() : takeRefused(request, MetadataRequest.TOPICS, topic -> {
            String name = topicName(logs, topic.get(MetadataRequestTopic.NAME), topic.get(MetadataRequestTopic.TOPIC_ID));
            if (name == null) {
                return true; // an unknown id: the handler answers it
            }
            if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                return false;
            }
            return !mayCreate || logs.topic(name) != null
                || authorizer.authorize(context, AclOperation.CREATE, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
                || authorizer.authorize(context, AclOperation.CREATE, ResourceType.TOPIC, name);
        });
        boolean emptiedV0 = !all && version == 0 && request.get(MetadataRequest.TOPICS).isEmpty();
        boolean topicOperations = version >= 8 && request.get(MetadataRequest.INCLUDE_TOPIC_AUTHORIZED_OPERATIONS);
        boolean clusterOperations = version >= 8 && version <= 10 && request.get(MetadataRequest.INCLUDE_CLUSTER_AUTHORIZED_OPERATIONS);
        return inner.handle(context, request).thenApply(answer -> {
            Struct response = answer.body();
            List<Struct> topics = new ArrayList<>();
            if (!emptiedV0) { // a v0 request emptied by refusals would read as "all topics": its answer is dropped
                for (Struct topic : response.get(MetadataResponse.TOPICS)) {
                    String name = topic.get(MetadataResponseTopic.NAME);
                    boolean known = topic.get(MetadataResponseTopic.ERROR_CODE) == ErrorCode.NONE.code();
                    if (all && known && !authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, name)) {
                        continue; // hidden
                    }
                    if (topicOperations && known) {
                        topic.set(MetadataResponseTopic.TOPIC_AUTHORIZED_OPERATIONS,
                            authorizer.authorizedOperations(context, ResourceType.TOPIC, name));
                    }
                    topics.add(topic);
                }
            }
            for (Struct wanted : refused) {
                String name = topicName(logs, wanted.get(MetadataRequestTopic.NAME), wanted.get(MetadataRequestTopic.TOPIC_ID));
                Struct out = MetadataResponseTopic.SCHEMA.newStruct()
                    .set(MetadataResponseTopic.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                    .set(MetadataResponseTopic.NAME, version >= 10 && wanted.get(MetadataRequestTopic.NAME) == null ? null : name)
                    .set(MetadataResponseTopic.IS_INTERNAL, InternalTopics.isInternal(name));
                UUID id = wanted.get(MetadataRequestTopic.TOPIC_ID);
                out.set(MetadataResponseTopic.TOPIC_ID, id == null ? ZERO_UUID : id);
                topics.add(out);
            }
            response.set(MetadataResponse.TOPICS, topics);
            if (clusterOperations) {
                response.set(MetadataResponse.CLUSTER_AUTHORIZED_OPERATIONS,
                    authorizer.authorizedOperations(context, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME));
            }
            return answer;
        });
    }
}
