package io.tributary.server.security.authz;

import io.tributary.log.LogManager;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.schema.StructArrayField;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.fetch.FetchAccess;
import io.tributary.server.metadata.TopicDescribeAccess;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Puts Kafka's authorization checks in front of every API the broker serves, as wrappers of the registered handlers,
 * so each API's handler stays unaware of ACLs and a broker without an authorizer runs exactly as before (nothing is
 * wrapped). The checks, their error codes and what is hidden follow Kafka's KafkaApis:
 * <ul>
 * <li>topic data ({@link TopicDataAuthorization}): Produce WRITE (and WRITE on the transactional id of transactional
 *     batches), Fetch READ (replicas: CLUSTER_ACTION; the partitions a fetch session keeps are checked by the fetch path
 *     itself through {@link #fetchAccess}), ListOffsets and OffsetForLeaderEpoch DESCRIBE;</li>
 * <li>Metadata: topics the principal may not DESCRIBE are hidden from an all-topics answer and answered
 *     TOPIC_AUTHORIZATION_FAILED when named; auto-creation needs CREATE on the cluster or the topic; authorized operations
 *     when asked ({@link MetadataAuthorization}); DescribeTopicPartitions the same, asked by its handler before it pages
 *     through {@link #describeAccess};</li>
 * <li>groups ({@link GroupAuthorization}): join/sync/heartbeat/leave/commit READ, offset fetch and describe DESCRIBE,
 *     delete DELETE, FindCoordinator DESCRIBE on the group or transactional id, ListGroups lists only describable groups;</li>
 * <li>admin ({@link AdminAuthorization}): CreateTopics CREATE (cluster or topic), DeleteTopics DELETE, CreatePartitions
 *     ALTER, configs DESCRIBE_CONFIGS / ALTER_CONFIGS on the topic or the cluster, DescribeCluster's authorized
 *     operations, InitProducerId WRITE on the transactional id or IDEMPOTENT_WRITE, the SCRAM APIs DESCRIBE / ALTER on
 *     the cluster.</li>
 * </ul>
 * A refused part of a request is taken out of the request before the handler sees it, and its error is added to the
 * handler's answer, so nothing refused is ever read, written or created.
 */
public final class AuthorizationGate {
    private AuthorizationGate() {
    }

    /** Wraps every served API of {@code dispatcher}; ApiVersions and the SASL APIs stay open, ACL APIs check themselves. */
    public static void install(ApiDispatcher dispatcher, Authorizer authorizer, LogManager logs, boolean autoCreateTopics) {
        TopicDataAuthorization.install(dispatcher, authorizer, logs);
        MetadataAuthorization.install(dispatcher, authorizer, logs, autoCreateTopics);
        GroupAuthorization.install(dispatcher, authorizer, logs);
        AdminAuthorization.install(dispatcher, authorizer, logs);
        TransactionAuthorization.install(dispatcher, authorizer);
    }

    /**
     * The fetch path's question ({@link FetchAccess}), asked for every partition each fetch reads, those of its fetch
     * session included: READ on the topic, or CLUSTER_ACTION on the cluster for a replica.
     */
    public static FetchAccess fetchAccess(Authorizer authorizer) {
        return (context, replicaId, topic) -> replicaId >= 0
            ? authorizer.authorize(context, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME)
            : authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, topic);
    }

    /**
     * DescribeTopicPartitions' question ({@link TopicDescribeAccess}), asked for each topic before it pages, so that a
     * page counts only the topics the caller sees: DESCRIBE on the topic, and the topic's authorized operations.
     */
    public static TopicDescribeAccess describeAccess(Authorizer authorizer) {
        return new TopicDescribeAccess() {
            @Override
            public boolean mayDescribe(RequestContext context, String topic) {
                return authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic);
            }

            @Override
            public int authorizedOperations(RequestContext context, String topic) {
                return authorizer.authorizedOperations(context, ResourceType.TOPIC, topic);
            }
        };
    }

    /** A topic's name from a request entry naming it by name, or by id (null when the id is unknown). */
    static String topicName(LogManager logs, String name, UUID id) {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        if (id == null) {
            return null;
        }
        TopicMetadata topic = logs.topic(id);
        return topic == null ? null : topic.name();
    }

    /**
     * Takes the entries of {@code array} that {@code allowed} refuses out of {@code request} and returns them, in order.
     * The request keeps the others in their order.
     */
    static List<Struct> takeRefused(Struct request, StructArrayField array, Predicate<Struct> allowed) {
        List<Struct> all = request.get(array);
        if (all == null) {
            return List.of();
        }
        List<Struct> kept = new ArrayList<>(all.size());
        List<Struct> refused = new ArrayList<>();
        for (Struct entry : all) {
            (allowed.test(entry) ? kept : refused).add(entry);
        }
        if (!refused.isEmpty()) {
            request.set(array, kept);
        }
        return refused;
    }

    /** Runs {@code inner} and, when it answers, lets {@code amend} add the refusals to the answer's body. */
    static CompletableFuture<ApiResponse> thenAmend(ApiHandler inner, RequestContext context, Struct request,
                                                    java.util.function.Consumer<Struct> amend) {
        return inner.handle(context, request).thenApply(response -> {
            if (!response.isNone()) {
                amend.accept(response.body());
            }
            return response;
        });
    }

    static CompletableFuture<ApiResponse> answer(Struct body) {
        return CompletableFuture.completedFuture(ApiResponse.of(body));
    }

    /** Wraps {@code api} with {@code gate}, which gets the inner handler, the context and the request. */
    static void gate(ApiDispatcher dispatcher, ApiKey api, Gate gate) {
        dispatcher.wrap(api, inner -> (context, request) -> gate.handle(inner, context, request));
    }

    /** One API's check in front of its handler. */
    @FunctionalInterface
    interface Gate {
        CompletableFuture<ApiResponse> handle(ApiHandler inner, RequestContext context, Struct request);
    }

    /** A closed connection for a refusal that cannot be answered (acks=0), as Kafka closes it. */
    static final class RefusedWithoutAnswer extends RuntimeException {
        final ErrorCode error;

        RefusedWithoutAnswer(ErrorCode error, String what) {
            super(error + " for " + what + " (acks=0: the connection is closed instead of an answer)");
            this.error = error;
        }
    }

    static <T> List<T> mapped(List<Struct> entries, Function<Struct, T> f) {
        List<T> out = new ArrayList<>(entries.size());
        entries.forEach(e -> out.add(f.apply(e)));
        return out;
    }
}
