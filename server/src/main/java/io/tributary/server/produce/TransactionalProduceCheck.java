package io.tributary.server.produce;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Whether a producer's transaction may write to partitions (Kafka's produce-side verification, KIP-890): with
 * {@code addImplicitly} (Produce v12+, transaction protocol 2) the partitions join the transaction, starting it if
 * none is open; otherwise (protocol 1) they must have been added with AddPartitionsToTxn. Completes with NONE, or the
 * coordinator's refusal (INVALID_TXN_STATE, INVALID_PRODUCER_EPOCH / PRODUCER_FENCED, INVALID_PRODUCER_ID_MAPPING,
 * CONCURRENT_TRANSACTIONS, NOT_COORDINATOR, COORDINATOR_LOAD_IN_PROGRESS).
 */
@FunctionalInterface
public interface TransactionalProduceCheck {
    CompletableFuture<ErrorCode> check(String transactionalId, long producerId, short producerEpoch, Set<TopicPartition> partitions,
                                       boolean addImplicitly);
}
