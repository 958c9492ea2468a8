package io.tributary.server.txn;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * How the coordinator gets COMMIT or ABORT markers written to the leaders of a transaction's partitions (Kafka's
 * TransactionMarkerChannelManager): one WriteTxnMarkers entry per call. On one broker every partition is local and
 * the broker passes {@link TxnMarkerWriter#write}, the method its WriteTxnMarkers handler calls; in a cluster an
 * implementation sends WriteTxnMarkers to each partition's leader.
 */
public interface TransactionMarkerChannel {
    /**
     * Writes the marker to each partition; completes with each partition's outcome (NONE once written). Never
     * completes exceptionally: a failure is a partition's error code. The coordinator retries retriable codes.
     */
    CompletableFuture<Map<TopicPartition, ErrorCode>> writeMarkers(long producerId, short producerEpoch, boolean commit,
                                                                   int coordinatorEpoch, Set<TopicPartition> partitions);
}
