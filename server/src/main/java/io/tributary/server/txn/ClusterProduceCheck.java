package io.tributary.server.txn;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest.AddPartitionsToTxnTopic;
import io.tributary.protocol.message.txn.AddPartitionsToTxnRequest.AddPartitionsToTxnTransaction;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnPartitionResult;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnResult;
import io.tributary.protocol.message.txn.AddPartitionsToTxnResponse.AddPartitionsToTxnTopicResult;
import io.tributary.server.produce.TransactionalProduceCheck;
import io.tributary.server.replica.BrokerDirectory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToIntFunction;

/**
 * The produce path's transaction check in a cluster (Kafka's AddPartitionsToTxnManager): a partition leader asks the
 * transactional id's coordinator, wherever it is, whether the batch's partitions are in the transaction (protocol 1:
 * {@code verify_only}) or adds them (protocol 2), with AddPartitionsToTxn v5 over the inter-broker listener; when this
 * broker coordinates the id, its own coordinator answers directly. An unreachable coordinator is NOT_COORDINATOR, which
 * the produce path answers with a retriable code.
 */
public final class ClusterProduceCheck implements TransactionalProduceCheck, AutoCloseable {
    private static final short VERSION = 5;

    private final int brokerId;
    private final TransactionCoordinator local;
    private final ToIntFunction<String> coordinatorOf;
    private final InterBrokerSender sender;

    /** @param coordinatorOf the broker leading the id's partition of the state topic in this broker's image, -1 for none */
    public ClusterProduceCheck(int brokerId, TransactionCoordinator local, ToIntFunction<String> coordinatorOf, BrokerDirectory brokers) {
        this.brokerId = brokerId;
        this.local = local;
        this.coordinatorOf = coordinatorOf;
        this.sender = new InterBrokerSender("txn-verify-" + brokerId, brokers);
    }

    @Override
    public CompletableFuture<ErrorCode> check(String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions,
                                              boolean addImplicitly) {
        TransactionCoordinator.AddMode mode = addImplicitly ? TransactionCoordinator.AddMode.IMPLICIT : TransactionCoordinator.AddMode.VERIFY;
        int coordinator = coordinatorOf.applyAsInt(transactionalId);
        if (coordinator == brokerId || local.lookup(transactionalId) == ErrorCode.NONE) {
            return local.addPartitions(transactionalId, producerId, producerEpoch, partitions, mode);
        }
        if (coordinator < 0) {
            return CompletableFuture.completedFuture(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        }
        Struct request = AddPartitionsToTxnRequest.SCHEMA.newStruct();
        Struct txn = request.add(AddPartitionsToTxnRequest.TRANSACTIONS)
            .set(AddPartitionsToTxnTransaction.TRANSACTIONAL_ID, transactionalId)
            .set(AddPartitionsToTxnTransaction.PRODUCER_ID, producerId)
            .set(AddPartitionsToTxnTransaction.PRODUCER_EPOCH, producerEpoch)
            .set(AddPartitionsToTxnTransaction.VERIFY_ONLY, !addImplicitly);
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
        byTopic.forEach((topic, indexes) -> txn.add(AddPartitionsToTxnTransaction.TOPICS)
            .set(AddPartitionsToTxnTopic.NAME, topic)
            .set(AddPartitionsToTxnTopic.PARTITIONS, indexes.stream().mapToInt(Integer::intValue).toArray()));
        return sender.send(coordinator, ApiKey.ADD_PARTITIONS_TO_TXN, VERSION, request)
            .handle((response, failure) -> failure != null ? ErrorCode.NOT_COORDINATOR : outcome(response));
    }

    /** The first error of any partition (the coordinator answers one code for all), else NONE. */
    private static ErrorCode outcome(Struct response) {
        ErrorCode top = ErrorCode.forCode(response.get(AddPartitionsToTxnResponse.ERROR_CODE));
        if (top != ErrorCode.NONE) {
            return top;
        }
        for (Struct result : response.get(AddPartitionsToTxnResponse.RESULTS_BY_TRANSACTION)) {
            for (Struct topic : result.get(AddPartitionsToTxnResult.TOPIC_RESULTS)) {
                for (Struct p : topic.get(AddPartitionsToTxnTopicResult.RESULTS_BY_PARTITION)) {
                    ErrorCode error = ErrorCode.forCode(p.get(AddPartitionsToTxnPartitionResult.PARTITION_ERROR_CODE));
                    if (error != ErrorCode.NONE) {
                        return error;
                    }
                }
            }
        }
        return ErrorCode.NONE;
    }

    @Override
    public void close() {
        sender.close();
    }
}
