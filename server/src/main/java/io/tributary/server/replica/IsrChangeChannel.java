package io.tributary.server.replica;

import io.tributary.protocol.TopicPartition;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a partition leader sends ISR changes (Kafka's AlterPartition): to the controller, which accepts the
 * change only when it names the current leader epoch and partition epoch, and answers with the new state (or
 * completes exceptionally with the reason, e.g. a stale partition epoch, after which the leader waits for the
 * metadata to catch up and retries).
 */
public interface IsrChangeChannel {
    CompletionStage<PartitionAssignment> alterIsr(TopicPartition partition, int leaderId, int leaderEpoch,
                                                  int partitionEpoch, List<Integer> proposedIsr);
}
