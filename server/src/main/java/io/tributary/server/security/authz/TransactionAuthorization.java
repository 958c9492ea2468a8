package io.tributary.server.security.authz;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddOffsetsToTxnRequest;
import io.tributary.protocol.message.txn.AddOffsetsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.DescribeProducersRequest;
import io.tributary.protocol.message.txn.DescribeProducersResponse;
import io.tributary.protocol.message.txn.DescribeTransactionsResponse;
import io.tributary.protocol.message.txn.EndTxnRequest;
import io.tributary.protocol.message.txn.EndTxnResponse;
import io.tributary.protocol.message.txn.ListTransactionsResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest;
import io.tributary.protocol.message.txn.TxnOffsetCommitResponse;
import io.tributary.protocol.message.txn.WriteTxnMarkersRequest;
import io.tributary.protocol.message.txn.WriteTxnMarkersResponse;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.RequestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static io.tributary.server.security.authz.AuthorizationGate.answer;
import static io.tributary.server.security.authz.AuthorizationGate.gate;
import static io.tributary.server.security.authz.AuthorizationGate.takeRefused;
import static io.tributary.server.security.authz.AuthorizationGate.thenAmend;

/**
 * The transaction APIs' checks, as Kafka's KafkaApis makes them: EndTxn and AddOffsetsToTxn need WRITE on the
 * transactional id (AddOffsetsToTxn also READ on the group); the client form of AddPartitionsToTxn (v0-3) WRITE on the
 * transactional id and on every topic it adds, the broker form (v4+) and WriteTxnMarkers CLUSTER_ACTION; TxnOffsetCommit
 * WRITE on the transactional id, READ on the group and on every topic; DescribeTransactions and ListTransactions show
 * only transactional ids the principal may DESCRIBE; DescribeProducers needs READ on every topic named.
 *
 * <p>Every refusal is answered, as Kafka answers it, never by closing the connection: EndTxn and AddOffsetsToTxn with
 * their single error code; AddPartitionsToTxn v0-3 with TRANSACTIONAL_ID_AUTHORIZATION_FAILED for every partition, or
 * TOPIC_AUTHORIZATION_FAILED for the refused topics' partitions and OPERATION_NOT_ATTEMPTED for the others (nothing is
 * added), v4+ with the top-level CLUSTER_AUTHORIZATION_FAILED; WriteTxnMarkers with CLUSTER_AUTHORIZATION_FAILED for every
 * partition; TxnOffsetCommit with the id's or the group's error for every partition, or TOPIC_AUTHORIZATION_FAILED for
 * the refused topics while the others are committed; DescribeProducers with TOPIC_AUTHORIZATION_FAILED for the refused
 * topics' partitions beside the others' answers.
 */
final class TransactionAuthorization {
    private TransactionAuthorization() {
    }

    static void install(ApiDispatcher dispatcher, Authorizer authorizer) {
        gate(dispatcher, ApiKey.END_TXN, (inner, context, request) ->
            writeOnId(authorizer, context, request.get(EndTxnRequest.TRANSACTIONAL_ID))
                ? inner.handle(context, request)
                : answer(EndTxnResponse.SCHEMA.newStruct()
                    .set(EndTxnResponse.ERROR_CODE, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())));
        gate(dispatcher, ApiKey.ADD_OFFSETS_TO_TXN, (inner, context, request) -> {
            ErrorCode refusal = null;
            if (!writeOnId(authorizer, context, request.get(AddOffsetsToTxnRequest.TRANSACTIONAL_ID))) {
                refusal = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            } else if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.get(AddOffsetsToTxnRequest.GROUP_ID))) {
                refusal = ErrorCode.GROUP_AUTHORIZATION_FAILED;
            }
            return refusal == null ? inner.handle(context, request)
                : answer(AddOffsetsToTxnResponse.SCHEMA.newStruct().set(AddOffsetsToTxnResponse.ERROR_CODE, refusal.code()));
        });
        gate(dispatcher, ApiKey.ADD_PARTITIONS_TO_TXN, (inner, context, request) -> {
            if (context.apiVersion() >= 4) {
                // The broker form: one top-level error, as Kafka's AddPartitionsToTxnRequest.getErrorResponse answers v4+.
                return clusterAction(authorizer, context) ? inner.handle(context, request)
                    : answer(AddPartitionsToTxnResponse.SCHEMA.newStruct().set(AddPartitionsToTxnResponse.THROTTLE_TIME_MS, 0)
                        .set(AddPartitionsToTxnResponse.ERROR_CODE, ErrorCode.CLUSTER_AUTHORIZATION_FAILED.code()));
            }
            List<Struct> topics = orEmpty(request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_TOPICS));
            if (!writeOnId(authorizer, context, request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_TRANSACTIONAL_ID))) {
                return answer(addPartitionsRefusal(topics, topic -> ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            }
            // Kafka adds nothing when one topic is refused: the refused partitions carry TOPIC_AUTHORIZATION_FAILED, the
            // others OPERATION_NOT_ATTEMPTED.
            List<String> refused = refusedTopics(authorizer, context, AclOperation.WRITE,
                names(topics, AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.NAME));
            return refused.isEmpty() ? inner.handle(context, request)
                : answer(addPartitionsRefusal(topics, topic -> refused.contains(topic)
                    ? ErrorCode.TOPIC_AUTHORIZATION_FAILED : ErrorCode.OPERATION_NOT_ATTEMPTED));
        });
        gate(dispatcher, ApiKey.WRITE_TXN_MARKERS, (inner, context, request) ->
            clusterAction(authorizer, context) ? inner.handle(context, request)
                : answer(writeMarkersRefusal(request, ErrorCode.CLUSTER_AUTHORIZATION_FAILED)));
        gate(dispatcher, ApiKey.TXN_OFFSET_COMMIT, (inner, context, request) -> {
            List<Struct> topics = orEmpty(request.get(TxnOffsetCommitRequest.TOPICS));
            if (!writeOnId(authorizer, context, request.get(TxnOffsetCommitRequest.TRANSACTIONAL_ID))) {
                return answer(txnOffsetCommitRefusal(topics, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED));
            }
            if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.get(TxnOffsetCommitRequest.GROUP_ID))) {
                return answer(txnOffsetCommitRefusal(topics, ErrorCode.GROUP_AUTHORIZATION_FAILED));
            }
            // As Kafka: the authorized topics are committed, the refused ones answered TOPIC_AUTHORIZATION_FAILED; with
            // none authorized the coordinator is not asked at all (nothing joins the transaction).
            List<Struct> refused = takeRefused(request, TxnOffsetCommitRequest.TOPICS, topic -> authorizer.authorize(context,
                AclOperation.READ, ResourceType.TOPIC, topic.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.NAME)));
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            Struct refusal = txnOffsetCommitRefusal(refused, ErrorCode.TOPIC_AUTHORIZATION_FAILED);
            if (request.get(TxnOffsetCommitRequest.TOPICS).isEmpty()) {
                return answer(refusal);
            }
            return thenAmend(inner, context, request, body -> {
                List<Struct> answered = new ArrayList<>(orEmpty(body.get(TxnOffsetCommitResponse.TOPICS)));
                answered.addAll(refusal.get(TxnOffsetCommitResponse.TOPICS));
                body.set(TxnOffsetCommitResponse.TOPICS, answered);
            });
        });
        gate(dispatcher, ApiKey.DESCRIBE_PRODUCERS, (inner, context, request) -> {
            List<Struct> refused = takeRefused(request, DescribeProducersRequest.TOPICS, topic -> authorizer.authorize(context,
                AclOperation.READ, ResourceType.TOPIC, topic.get(DescribeProducersRequest.TopicRequest.NAME)));
            if (refused.isEmpty()) {
                return inner.handle(context, request);
            }
            return thenAmend(inner, context, request, body -> {
                for (Struct topic : refused) {
                    Struct out = body.add(DescribeProducersResponse.TOPICS)
                        .set(DescribeProducersResponse.TopicResponse.NAME, topic.get(DescribeProducersRequest.TopicRequest.NAME));
                    for (int partition : topic.get(DescribeProducersRequest.TopicRequest.PARTITION_INDEXES)) {
                        out.add(DescribeProducersResponse.TopicResponse.PARTITIONS)
                            .set(DescribeProducersResponse.PartitionResponse.PARTITION_INDEX, partition)
                            .set(DescribeProducersResponse.PartitionResponse.ERROR_CODE, ErrorCode.TOPIC_AUTHORIZATION_FAILED.code())
                            .set(DescribeProducersResponse.PartitionResponse.ACTIVE_PRODUCERS, List.of());
                    }
                }
            });
        });
        gate(dispatcher, ApiKey.DESCRIBE_TRANSACTIONS, (inner, context, request) -> thenAmend(inner, context, request, body -> {
            for (Struct state : body.get(DescribeTransactionsResponse.TRANSACTION_STATES)) {
                String id = state.get(DescribeTransactionsResponse.TransactionState.TRANSACTIONAL_ID);
                if (!authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID, id)) {
                    // The id is named back with the error only; nothing of its state is shown.
                    state.set(DescribeTransactionsResponse.TransactionState.ERROR_CODE, ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code())
                        .set(DescribeTransactionsResponse.TransactionState.TRANSACTION_STATE, "")
                        .set(DescribeTransactionsResponse.TransactionState.PRODUCER_ID, -1L)
                        .set(DescribeTransactionsResponse.TransactionState.TOPICS, List.of());
                }
            }
        }));
        gate(dispatcher, ApiKey.LIST_TRANSACTIONS, (inner, context, request) -> thenAmend(inner, context, request, body -> {
            List<Struct> visible = new ArrayList<>();
            for (Struct state : body.get(ListTransactionsResponse.TRANSACTION_STATES)) {
                if (authorizer.authorize(context, AclOperation.DESCRIBE, ResourceType.TRANSACTIONAL_ID,
                    state.get(ListTransactionsResponse.TransactionState.TRANSACTIONAL_ID))) {
                    visible.add(state);
                }
            }
            body.set(ListTransactionsResponse.TRANSACTION_STATES, visible);
        }));
    }

    private static boolean writeOnId(Authorizer authorizer, RequestContext context, String transactionalId) {
        return transactionalId != null && authorizer.authorize(context, AclOperation.WRITE, ResourceType.TRANSACTIONAL_ID, transactionalId);
    }

    private static boolean clusterAction(Authorizer authorizer, RequestContext context) {
        return authorizer.authorize(context, AclOperation.CLUSTER_ACTION, ResourceType.CLUSTER, ResourceType.CLUSTER_NAME);
    }

    private static List<String> refusedTopics(Authorizer authorizer, RequestContext context, AclOperation operation, List<String> topics) {
        List<String> refused = new ArrayList<>();
        for (String topic : topics) {
            if (!authorizer.authorize(context, operation, ResourceType.TOPIC, topic)) {
                refused.add(topic);
            }
        }
        return refused;
    }

    private static List<Struct> orEmpty(List<Struct> entries) {
        return entries == null ? List.of() : entries;
    }

    /** A v0-3 AddPartitionsToTxn answer naming every partition of {@code topics} with the error {@code errorOf} gives its topic. */
    private static Struct addPartitionsRefusal(List<Struct> topics, Function<String, ErrorCode> errorOf) {
        Struct response = AddPartitionsToTxnResponse.SCHEMA.newStruct().set(AddPartitionsToTxnResponse.THROTTLE_TIME_MS, 0);
        for (Struct topic : topics) {
            String name = topic.get(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.NAME);
            Struct out = response.add(AddPartitionsToTxnResponse.RESULTS_BY_TOPIC_V3_AND_BELOW)
                .set(AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult.NAME, name);
            for (int partition : topic.get(AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.PARTITIONS)) {
                out.add(AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult.RESULTS_BY_PARTITION)
                    .set(AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult.PARTITION_INDEX, partition)
                    .set(AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult.PARTITION_ERROR_CODE, errorOf.apply(name).code());
            }
        }
        return response;
    }

    /** A WriteTxnMarkers answer with {@code error} for every partition of every marker, as Kafka's getErrorResponse. */
    private static Struct writeMarkersRefusal(Struct request, ErrorCode error) {
        Struct response = WriteTxnMarkersResponse.SCHEMA.newStruct();
        for (Struct marker : orEmpty(request.get(WriteTxnMarkersRequest.MARKERS))) {
            Struct out = response.add(WriteTxnMarkersResponse.MARKERS).set(WriteTxnMarkersResponse.WritableTxnMarkerResult.PRODUCER_ID,
                marker.get(WriteTxnMarkersRequest.WritableTxnMarker.PRODUCER_ID));
            for (Struct topic : marker.get(WriteTxnMarkersRequest.WritableTxnMarker.TOPICS)) {
                Struct t = out.add(WriteTxnMarkersResponse.WritableTxnMarkerResult.TOPICS)
                    .set(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.NAME, topic.get(WriteTxnMarkersRequest.WritableTxnMarkerTopic.NAME));
                for (int partition : topic.get(WriteTxnMarkersRequest.WritableTxnMarkerTopic.PARTITION_INDEXES)) {
                    t.add(WriteTxnMarkersResponse.WritableTxnMarkerTopicResult.PARTITIONS)
                        .set(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.PARTITION_INDEX, partition)
                        .set(WriteTxnMarkersResponse.WritableTxnMarkerPartitionResult.ERROR_CODE, error.code());
                }
            }
        }
        return response;
    }

    /** A TxnOffsetCommit answer with {@code error} for every partition of {@code topics}. */
    private static Struct txnOffsetCommitRefusal(List<Struct> topics, ErrorCode error) {
        Struct response = TxnOffsetCommitResponse.SCHEMA.newStruct().set(TxnOffsetCommitResponse.THROTTLE_TIME_MS, 0);
        for (Struct topic : topics) {
            Struct out = response.add(TxnOffsetCommitResponse.TOPICS).set(TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.NAME,
                topic.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.NAME));
            for (Struct partition : topic.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.PARTITIONS)) {
                out.add(TxnOffsetCommitResponse.TxnOffsetCommitResponseTopic.PARTITIONS)
                    .set(TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition.PARTITION_INDEX,
                        partition.get(TxnOffsetCommitRequest.TxnOffsetCommitRequestPartition.PARTITION_INDEX))
                    .set(TxnOffsetCommitResponse.TxnOffsetCommitResponsePartition.ERROR_CODE, error.code());
            }
        }
        return response;
    }

    private static List<String> names(List<Struct> entries, io.tributary.protocol.message.schema.StringField name) {
        return entries == null ? List.of() : AuthorizationGate.mapped(entries, e -> e.get(name));
    }
}
