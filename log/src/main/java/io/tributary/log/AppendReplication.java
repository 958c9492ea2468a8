package io.tributary.log;

import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;

import java.util.concurrent.CompletableFuture;

/**
 * Where a write this broker made as a partition's leader waits until the partition's followers have it: the acks=all
 * wait of the coordinators' internal topics ({@code __consumer_offsets}, {@code __transaction_state}), which append
 * through the log directly rather than through Produce.
 *
 * <p>{@link #await} completes with NONE once the high watermark of {@code partition} reached {@code requiredOffset}
 * (the offset after the write) while this broker still leads it at {@code leaderEpoch} and at least
 * {@code min.insync.replicas} replicas are in sync; otherwise with the reason, Kafka's produce codes:
 * NOT_LEADER_OR_FOLLOWER (leadership moved), NOT_ENOUGH_REPLICAS_AFTER_APPEND (the ISR shrank below the minimum),
 * REQUEST_TIMED_OUT (the followers did not catch up in time), KAFKA_STORAGE_ERROR. Each coordinator maps these to its
 * own client codes. The future may complete on any thread.
 *
 * <p>{@link #admit} is asked before the append, as Kafka's {@code Partition.appendRecordsToLeader} does for an acks=-1
 * write: NOT_ENOUGH_REPLICAS when fewer than {@code min.insync.replicas} replicas are in sync (the record is then not
 * written at all, rather than written and answered NOT_ENOUGH_REPLICAS_AFTER_APPEND), NOT_LEADER_OR_FOLLOWER when
 * this broker does not lead the partition; NONE otherwise.
 *
 * <p>Design note: one seam, declared here because both coordinators and the broker's produce path see the log module;
 * the broker implements it once, over its acks=all waiters, so a replication factor of one (a broker alone) answers
 * at once: there the high watermark moves on the append itself.
 */
public interface AppendReplication {
    /** A broker alone: every append is admitted and as replicated as it will ever be. */
    AppendReplication NONE = new AppendReplication() {
        @Override
        public ErrorCode admit(TopicPartition partition) {
            return ErrorCode.NONE;
        }

        @Override
        public CompletableFuture<ErrorCode> await(TopicPartition partition, int leaderEpoch, long requiredOffset) {
            return CompletableFuture.completedFuture(ErrorCode.NONE);
        }
    };

    ErrorCode admit(TopicPartition partition);

    CompletableFuture<ErrorCode> await(TopicPartition partition, int leaderEpoch, long requiredOffset);
}
