package io.tributary.server.security.authz;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddOffsetsToTxnRequest;
import io.tributary.protocol.message.txn.AddOffsetsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.DescribeProducersRequest;
import io.tributary.protocol.message.txn.DescribeTransactionsResponse;
import io.tributary.protocol.message.txn.EndTxnRequest;
import io.tributary.protocol.message.txn.EndTxnResponse;
import io.tributary.protocol.message.txn.ListTransactionsResponse;
import io.tributary.protocol.message.txn.TxnOffsetCommitRequest;
import io.tributary.server.api.ApiDispatcher;
import io.tributary.server.api.RequestContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.security.authz.AuthorizationGate.answer;
import static io.tributary.server.security.authz.AuthorizationGate.gate;
import static io.tributary.server.security.authz.AuthorizationGate.thenAmend;

/**
 * The transaction APIs' checks, as Kafka's KafkaApis makes them: EndTxn and AddOffsetsToTxn need WRITE on the
 * transactional id (AddOffsetsToTxn also READ on the group); the client form of AddPartitionsToTxn (v0-3) WRITE on the
 * transactional id and on every topic it adds, the broker form (v4+) and WriteTxnMarkers CLUSTER_ACTION; TxnOffsetCommit
 * WRITE on the transactional id, READ on the group and on every topic; DescribeTransactions and ListTransactions show
 * only transactional ids the principal may DESCRIBE; DescribeProducers needs READ on every topic named.
 *
 * <p>EndTxn and AddOffsetsToTxn answer their single error code. The requests with per-partition answers are refused
 * whole when one check fails: the connection is closed (logged with the error), since no answer may claim partitions
 * were handled. Kafka's clients never get there: a producer without WRITE on its transactional id is refused at
 * InitProducerId already, and the broker APIs are sent only by brokers.
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
            ErrorCode refusal;
            if (context.apiVersion() >= 4) {
                refusal = clusterAction(authorizer, context) ? null : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
            } else if (!writeOnId(authorizer, context, request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_TRANSACTIONAL_ID))) {
                refusal = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            } else {
                refusal = everyTopic(authorizer, context, AclOperation.WRITE,
                    names(request.get(AddPartitionsToTxnRequest.V3_AND_BELOW_TOPICS), AddPartitionsToTxnRequest.AddPartitionsToTxnTopic.NAME))
                    ? null : ErrorCode.TOPIC_AUTHORIZATION_FAILED;
            }
            return refusal == null ? inner.handle(context, request) : refuse(refusal, "AddPartitionsToTxn");
        });
        gate(dispatcher, ApiKey.WRITE_TXN_MARKERS, (inner, context, request) ->
            clusterAction(authorizer, context) ? inner.handle(context, request)
                : refuse(ErrorCode.CLUSTER_AUTHORIZATION_FAILED, "WriteTxnMarkers"));
        gate(dispatcher, ApiKey.TXN_OFFSET_COMMIT, (inner, context, request) -> {
            ErrorCode refusal = null;
            if (!writeOnId(authorizer, context, request.get(TxnOffsetCommitRequest.TRANSACTIONAL_ID))) {
                refusal = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;
            } else if (!authorizer.authorize(context, AclOperation.READ, ResourceType.GROUP, request.get(TxnOffsetCommitRequest.GROUP_ID))) {
                refusal = ErrorCode.GROUP_AUTHORIZATION_FAILED;
            } else if (!everyTopic(authorizer, context, AclOperation.READ,
                names(request.get(TxnOffsetCommitRequest.TOPICS), TxnOffsetCommitRequest.TxnOffsetCommitRequestTopic.NAME))) {
                refusal = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
            }
            return refusal == null ? inner.handle(context, request) : refuse(refusal, "TxnOffsetCommit");
        });
        gate(dispatcher, ApiKey.DESCRIBE_PRODUCERS, (inner, context, request) ->
            everyTopic(authorizer, context, AclOperation.READ,
                names(request.get(DescribeProducersRequest.TOPICS), DescribeProducersRequest.TopicRequest.NAME))
                ? inner.handle(context, request) : refuse(ErrorCode.TOPIC_AUTHORIZATION_FAILED, "DescribeProducers"));
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

    private static boolean everyTopic(Authorizer authorizer, RequestContext context, AclOperation operation, List<String> topics) {
        for (String topic : topics) {
            if (!authorizer.authorize(context, operation, ResourceType.TOPIC, topic)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> names(List<Struct> entries, io.tributary.protocol.message.schema.StringField name) {
        return entries == null ? List.of() : AuthorizationGate.mapped(entries, e -> e.get(name));
    }

    private static CompletableFuture<io.tributary.server.api.ApiResponse> refuse(ErrorCode error, String api) {
        return CompletableFuture.failedFuture(new AuthorizationGate.RefusedWithoutAnswer(error, api));
    }
}
