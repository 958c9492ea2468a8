package io.tributary.server.txn;

import io.tributary.protocol.TopicPartition;

import java.util.Set;

/**
 * The value of one {@code __transaction_state} record (Kafka's {@code TransactionLogValue}): a transactional id's
 * whole state after a change. {@code partitions} is sorted; {@code previousProducerId}, {@code nextProducerId},
 * {@code nextProducerEpoch} are -1 and {@code clientTransactionVersion} 0 when unknown (version 0 of the value).
 */
public record TransactionLogValue(long producerId, long previousProducerId, long nextProducerId, short producerEpoch,
                                  short nextProducerEpoch, int timeoutMs, TransactionState state, Set<TopicPartition> partitions,
                                  long lastUpdateMs, long startMs, short clientTransactionVersion) {
    public TransactionLogValue {
        partitions = Set.copyOf(partitions);
    }
}
