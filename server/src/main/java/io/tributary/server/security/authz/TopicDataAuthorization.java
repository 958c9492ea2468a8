package io.tributary.server.security.authz;

import io.tributary.log.LogManager;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.FetchTopic;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsPartition;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsTopic;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsPartitionResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsTopicResponse;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest.OffsetForLeaderPartition;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest.OffsetForLeaderTopic;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse.EpochEndOffset;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult;
import io.tributary.protocol.message.produce.ProduceRequest;
import io.tributary.protocol.message.produce.ProduceRequest.PartitionProduceData;
import io.tributary.protocol.message.produce.ProduceRequest.TopicProduceData;
import io.tributary.protocol.message.produce.ProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.produce.ProduceResponse.TopicProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.security.authz.AuthorizationGate.answer;
import static io.tributary.server.security.authz.AuthorizationGate.gate;
import static io.tributary.server.security.authz.AuthorizationGate.takeRefused;
import static io.tributary.server.security.authz.AuthorizationGate.thenAmend;
import static io.tributary.server.security.authz.AuthorizationGate.topicName;

/**
 * The record paths' checks: Produce needs WRITE on each topic (TOPIC_AUTHORIZATION_FAILED per partition) and, for
 * transactional batches, WRITE on the transactional id (TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition);
 * Fetch needs READ on each topic, or CLUSTER_ACTION on the cluster from a replica; ListOffsets and OffsetForLeaderEpoch
 * need DESCRIBE (a replica's OffsetForLeaderEpoch CLUSTER_ACTION). A topic named by an unknown id passes to the handler,
 * which answers UNKNOWN_TOPIC_ID. With acks=0 a refusal closes the connection after the authorized partitions are
 * appended, as Kafka closes it on any acks=0 error.
 *
 * <p>Fetch sessions (KIP-227): the topics a request names are checked here; the partitions an incremental fetch reads
 * from its session are checked again at every fetch by the fetch path ({@link AuthorizationGate#fetchAccess}), so an
 * ACL deleted while the session lives refuses the next fetch with TOPIC_AUTHORIZATION_FAILED, as in Kafka.
 */
final class TopicDataAuthorization {
    private static final int TRANSACTIONAL_FLAG = 0x10;
    private static final int ATTRIBUTES_OFFSET = 21;
    private static final int MAGIC_OFFSET = 16;

    private TopicDataAuthorization() {
    }

    static void install(ApiDispatcher dispatcher, Authorizer authorizer, LogManager logs) {
        gate(dispatcher, ApiKey.PRODUCE, (inner, context, request) -> produce(authorizer, logs, inner, context, request));
        gate(dispatcher, ApiKey.FETCH, (inner, context, request) -> fetch(authorizer, logs, inner, context, request));
        gate(dispatcher, ApiKey.LIST_OFFSETS, (inner, context, request) -> {
            List<Struct> refused = takeRefused(request, ListOffsetsRequest.TOPICS, topic ->
                authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic.get(ListOffsetsTopic.NAME)));
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            return thenAmend(inner, context, request, response -> {
                for (Struct topic : refused) {
                    Struct out = response.add(ListOffsetsResponse.TOPICS).set(ListOffsetsTopicResponse.NAME, topic.get(ListOffsetsTopic.NAME));
                    for (Struct partition : topic.get(ListOffsetsTopic.PARTITIONS)) {
                        out.add(ListOffsetsTopicResponse.PARTITIONS)
                            .set(ListOffsetsPartitionResponse.PARTITION_INDEX, partition.get(ListOffsetsPartition.PARTITION_INDEX))
                            .set(ListOffsetsPartitionResponse.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code());
                    }
                }
            });
        });
        gate(dispatcher, ApiKey.OFFSET_FOR_LEADER_EPOCH, (inner, context, request) -> {
            boolean replica = request.get(OffsetForLeaderEpochRequest.REPLICA_ID) >= 0;
            boolean clusterAction = replica && authorizer.authorize(context, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER,
                ResourceType.CLUSTER_NAME);
            List<Struct> refused = takeRefused(request, OffsetForLeaderEpochRequest.TOPICS, topic -> replica ? clusterAction
                : authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TOPIC, topic.get(OffsetForLeaderTopic.TOPIC)));
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            ErrorCode error = replica ? ErrorCode.CLUSTER_AUTHORIZATION_FAILED : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
            return thenAmend(inner, context, request, response -> {
                for (Struct topic : refused) {
                    Struct out = response.add(OffsetForLeaderEpochResponse.TOPICS)
                        .set(OffsetForLeaderTopicResult.TOPIC, topic.get(OffsetForLeaderTopic.TOPIC));
                    for (Struct partition : topic.get(OffsetForLeaderTopic.PARTITIONS)) {
                        out.add(OffsetForLeaderTopicResult.PARTITIONS)
                            .set(EpochEndOffset.PARTITION, partition.get(OffsetForLeaderPartition.PARTITION))
                            .set(EpochEndOffset.ERROR_CODE, error.code());
                    }
                }
            });
        });
    }

    private static CompletableFuture<ApiResponse> produce(Authorizer authorizer, LogManager logs, ApiHandler inner,
                                                          RequestContext context, Struct request) {
        short version = context.apiVersion();
        String transactionalId = request.get(ProduceRequest.TRANSACTIONAL_ID);
        boolean acksZero = request.get(ProduceRequest.ACKS) == 0;
        if (transactionalId != null && hasTransactionalBatch(request)
            && !authorizer.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId)) {
            if (acksZero) {
                return CompletableFuture.failedFuture(new AuthorizationGate.RefusedWithoutAnswer(
                    ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, "transactional id " + transactionalId));
            }
            Struct response = ProduceResponse.SCHEMA.newStruct().set(ProduceResponse.THROTTLE_TIME_MS, 0);
            refuseProduce(response, request.get(ProduceRequest.TOPIC_DATA), version, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED);
            return answer(response);
        }
        List<Struct> refused = takeRefused(request, ProduceRequest.TOPIC_DATA, topic -> {
            String name = topicName(logs, version >= 13 ? null : topic.get(TopicProduceData.NAME),
                version >= 13 ? topic.get(TopicProduceData.TOPIC_ID) : null);
            return name == null || authorizer.authorize(context, AclOperation.WRITE, ResourceType.TOPIC, name);
        });
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        if (acksZero) {
            return inner.handle(context, request).thenCompose(ignored -> CompletableFuture.failedFuture(
                new AuthorizationGate.RefusedWithoutAnswer(ErrorCode.TOPIC_AUTHORIZATION_FAILED, refused.size() + " topic(s)")));
        }
        return thenAmend(inner, context, request, response -> refuseProduce(response, refused, version,
            ErrorCode.TOPIC_AUTHORIZATION_FAILED));
    }

    private static void refuseProduce(Struct response, List<Struct> topics, short version, ErrorCode error) {
        for (Struct topic : topics) {
            Struct out = response.add(ProduceResponse.RESPONSES);
            if (version >= 13) {
                out.set(TopicProduceResponse.TOPIC_ID, topic.get(TopicProduceData.TOPIC_ID));
            } else {
                out.set(TopicProduceResponse.NAME, topic.get(TopicProduceData.NAME));
            }
            for (Struct partition : topic.get(TopicProduceData.PARTITION_DATA)) {
                out.add(TopicProduceResponse.PARTITION_RESPONSES)
                    .set(PartitionProduceResponse.INDEX, partition.get(PartitionProduceData.INDEX))
                    .set(PartitionProduceResponse.ERROR_CODE, error.code())
                    .set(PartitionProduceResponse.BASE_OFFSET, -1L);
            }
        }
    }

    /** Whether any partition's first batch is a v2 batch with the transactional attribute, as Kafka decides. */
    private static boolean hasTransactionalBatch(Struct request) {
        for (Struct topic : request.get(ProduceRequest.TOPIC_DATA)) {
            for (Struct partition : topic.get(TopicProduceData.PARTITION_DATA)) {
                ByteBuffer records = partition.get(PartitionProduceData.RECORDS);
                if (records != null && records.remaining() > ATTRIBUTES_OFFSET + 1
                    && records.get(records.position() + MAGIC_OFFSET) == 2
                    && (records.getShort(records.position() + ATTRIBUTES_OFFSET) & TRANSACTIONAL_FLAG) != 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static CompletableFuture<ApiResponse> fetch(Authorizer authorizer, LogManager logs, ApiHandler inner,
                                                        RequestContext context, Struct request) {
        short version = context.apiVersion();
        int replicaId = version >= 15 ? request.get(FetchRequest.REPLICA_STATE).get(FetchRequest.ReplicaState.REPLICA_ID)
            : request.get(FetchRequest.REPLICA_ID);
        boolean replica = replicaId >= 0;
        boolean clusterAction = replica && authorizer.authorize(context, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER,
            ResourceType.CLUSTER_NAME);
        List<Struct> refused = takeRefused(request, FetchRequest.TOPICS, topic -> {
            if (replica) {
                return clusterAction;
            }
            String name = topicName(logs, version >= 13 ? null : topic.get(FetchTopic.TOPIC), version >= 13 ? topic.get(FetchTopic.TOPIC_ID) : null);
            return name == null || authorizer.authorize(context, AclOperation.READ, ResourceType.TOPIC, name);
        });
        if (refused.isEmpty()) {
            return inner.handle(context, request);
        }
        if (request.get(FetchRequest.TOPICS).isEmpty()) {
            request.set(FetchRequest.MAX_WAIT_MS, 0); // nothing left to wait for: answer the refusals now, as Kafka does
        }
        return thenAmend(inner, context, request, response -> {
            for (Struct topic : refused) {
                Struct out = response.add(FetchResponse.RESPONSES);
                if (version >= 13) {
                    out.set(FetchableTopicResponse.TOPIC_ID, topic.get(FetchTopic.TOPIC_ID));
                } else {
                    out.set(FetchableTopicResponse.TOPIC, topic.get(FetchTopic.TOPIC));
                }
                for (Struct partition : topic.get(FetchTopic.PARTITIONS)) {
                    out.add(FetchableTopicResponse.PARTITIONS)
                        .set(PartitionData.PARTITION_INDEX, partition.get(FetchRequest.FetchPartition.PARTITION))
                        .set(PartitionData.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                        .set(PartitionData.HIGH_WATERMARK, -1L)
                        .set(PartitionData.RECORDS, ByteBuffer.allocate(0));
                }
            }
        });
    }
}
