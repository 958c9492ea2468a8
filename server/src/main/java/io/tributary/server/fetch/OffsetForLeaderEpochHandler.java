package io.tributary.server.fetch;

import io.tributary.log.LogManager;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest.OffsetForLeaderPartition;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest.OffsetForLeaderTopic;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse.EpochEndOffset;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.replica.ReplicaView;

import java.util.concurrent.CompletableFuture;

/**
 * OffsetForLeaderEpoch (API key 23, versions 2-4): per partition, where the requested leader epoch ended in this
 * broker's log — the largest epoch at or below it that the log holds and the start offset of the next one, or
 * the log end offset for the latest (Kafka's rules, {@link io.tributary.log.epoch.LeaderEpochFileCache#endOffsetFor}).
 * A consumer asks after a leader change to check that its position was not truncated away (KIP-320); a follower
 * asks to find where to truncate (KIP-101/279).
 *
 * <p>Errors, as Kafka: an unknown topic or partition is UNKNOWN_TOPIC_OR_PARTITION; a current_leader_epoch older
 * than the partition's is FENCED_LEADER_EPOCH, a newer one UNKNOWN_LEADER_EPOCH (-1 skips the check). An epoch the
 * log does not know is no error: leader_epoch and end_offset are -1. A partition this broker does not lead is
 * NOT_LEADER_OR_FOLLOWER ({@link ReplicaView#leaderCheck}); a leader answers its followers and consumers alike.
 *
 * <p>Answered on the event loop: the cache and the log end offset are in memory.
 */
public final class OffsetForLeaderEpochHandler implements ApiHandler {
    private final LogManager logs;
    private final ReplicaView replicas;

    public OffsetForLeaderEpochHandler(LogManager logs) {
        this(logs, ReplicaView.SOLE);
    }

    /** @param replicas which partitions this broker leads and at which epoch */
    public OffsetForLeaderEpochHandler(LogManager logs, ReplicaView replicas) {
        this.logs = logs;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        Struct response = OffsetForLeaderEpochResponse.SCHEMA.newStruct().set(OffsetForLeaderEpochResponse.THROTTLE_TIME_MS, 0);
        for (Struct topic : request.get(OffsetForLeaderEpochRequest.TOPICS)) {
            String name = topic.get(OffsetForLeaderTopic.TOPIC);
            Struct topicOut = response.add(OffsetForLeaderEpochResponse.TOPICS).set(OffsetForLeaderTopicResult.TOPIC, name);
            TopicMetadata metadata = name == null ? null : logs.topic(name);
            for (Struct partition : topic.get(OffsetForLeaderTopic.PARTITIONS)) {
                Struct out = topicOut.add(OffsetForLeaderTopicResult.PARTITIONS)
                    .set(EpochEndOffset.PARTITION, partition.get(OffsetForLeaderPartition.PARTITION));
                ErrorCode error = lookUp(metadata, partition, out);
                if (error != ErrorCode.NONE) {
                    out.set(EpochEndOffset.ERROR_CODE, error.code())
                        .set(EpochEndOffset.LEADER_EPOCH, LeaderEpochs.UNDEFINED)
                        .set(EpochEndOffset.END_OFFSET, LeaderEpochs.UNDEFINED_OFFSET);
                }
            }
        }
        return CompletableFuture.completedFuture(ApiResponse.of(response));
    }

    /** Fills {@code out} with the answer for one partition, or returns the error that prevents one. */
    private ErrorCode lookUp(TopicMetadata topic, Struct partition, Struct out) {
        int index = partition.get(OffsetForLeaderPartition.PARTITION);
        if (topic == null || index < 0 || index >= topic.partitionCount()) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        TopicPartition tp = new TopicPartition(topic.name(), index);
        PartitionLog partitionLog = logs.log(tp);
        if (partitionLog == null) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION; // deleted since the lookup
        }
        ErrorCode epochError = replicas.leaderCheck(tp, partition.get(OffsetForLeaderPartition.CURRENT_LEADER_EPOCH));
        if (epochError != ErrorCode.NONE) {
            return epochError;
        }
        var found = partitionLog.endOffsetForEpoch(partition.get(OffsetForLeaderPartition.LEADER_EPOCH));
        out.set(EpochEndOffset.ERROR_CODE, ErrorCode.NONE.code())
            .set(EpochEndOffset.LEADER_EPOCH, found.epoch())
            .set(EpochEndOffset.END_OFFSET, found.endOffset());
        return ErrorCode.NONE;
    }
}
