package io.tributary.server.fetch;

import io.tributary.log.LogManager;
import io.tributary.log.LogStorageException;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicMetadata;
import io.tributary.protocol.TopicPartition;
import io.tributary.log.index.TimestampOffset;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsPartition;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsTopic;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsPartitionResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsTopicResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.ApiHandler;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import io.tributary.server.replica.ReplicaView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * ListOffsets (API key 2, versions 1-11): the offset for a timestamp, or for one of Kafka's sentinel
 * timestamps, per partition.
 *
 * <pre>
 * -2 EARLIEST            log start offset                      (v1+)
 * -1 LATEST              high watermark (the log end offset of a partition led alone) for read_uncommitted,
 *                        the last stable offset (never above it) for read_committed (isolation_level 1, v2+)  (v1+)
 * -3 MAX_TIMESTAMP       first record with the largest timestamp, KIP-734; -1/-1 on an empty log (v7+)
 * -4 EARLIEST_LOCAL      as EARLIEST: there is no tiered storage (v8+)
 * -5 LATEST_TIERED       offset -1: nothing is tiered, as Kafka answers without remote storage (v9+)
 * -6 EARLIEST_PENDING_UPLOAD  offset -1, likewise                     (v11+)
 * T >= 0                 first record with timestamp >= T; none: offset -1, timestamp -1. As Kafka, a record
 *                        at or past the high watermark (read_committed: the last stable offset) does not count
 * </pre>
 * Sentinels answer timestamp -1. A sentinel the request's version does not know, or any other negative
 * timestamp, is UNSUPPORTED_VERSION; a partition named twice is INVALID_REQUEST; an unknown topic or
 * partition is UNKNOWN_TOPIC_OR_PARTITION; a partition this broker does not lead is NOT_LEADER_OR_FOLLOWER, and
 * current_leader_epoch is checked against the partition's ({@link ReplicaView#leaderCheck}). Found offsets carry the
 * partition's leader epoch (v4+), offsets not found -1.
 *
 * <p>Sentinels are answered on the event loop from in-memory offsets; requests with a timestamp search
 * (which reads, and may decompress, batches) are answered from the I/O executor.
 */
public final class ListOffsetsHandler implements ApiHandler {
    private static final Logger log = LoggerFactory.getLogger(ListOffsetsHandler.class);

    static final long LATEST = -1;
    static final long EARLIEST = -2;
    static final long MAX_TIMESTAMP = -3;
    static final long EARLIEST_LOCAL = -4;
    static final long LATEST_TIERED = -5;
    static final long EARLIEST_PENDING_UPLOAD = -6;

    private final LogManager logs;
    private final ReplicaView replicas;

    public ListOffsetsHandler(LogManager logs) {
        this(logs, ReplicaView.SOLE);
    }

    /** @param replicas which partitions this broker leads, at which epoch, and their high watermarks */
    public ListOffsetsHandler(LogManager logs, ReplicaView replicas) {
        this.logs = logs;
        this.replicas = replicas;
    }

    @Override
    public CompletableFuture<ApiResponse> handle(RequestContext context, Struct request) {
        boolean searches = request.get(ListOffsetsRequest.TOPICS).stream()
            .flatMap(topic -> topic.get(ListOffsetsTopic.PARTITIONS).stream())
            .anyMatch(partition -> partition.get(ListOffsetsPartition.TIMESTAMP) >= 0
                || partition.get(ListOffsetsPartition.TIMESTAMP) == MAX_TIMESTAMP);
        if (searches) {
            return CompletableFuture.supplyAsync(() -> ApiResponse.of(answer(context.apiVersion(), request)), context.ioExecutor());
        }
        return CompletableFuture.completedFuture(ApiResponse.of(answer(context.apiVersion(), request)));
    }

    private Struct answer(short version, Struct request) {
        Map<PartitionName, Integer> named = new HashMap<>();
        for (Struct topic : request.get(ListOffsetsRequest.TOPICS)) {
            for (Struct partition : topic.get(ListOffsetsTopic.PARTITIONS)) {
                named.merge(key(topic, partition), 1, Integer::sum);
            }
        }
        Struct response = ListOffsetsResponse.SCHEMA.newStruct().set(ListOffsetsResponse.THROTTLE_TIME_MS, 0);
        boolean readCommitted = version >= 2 && request.get(ListOffsetsRequest.ISOLATION_LEVEL) == 1;
        for (Struct topic : request.get(ListOffsetsRequest.TOPICS)) {
            String name = topic.get(ListOffsetsTopic.NAME);
            Struct topicOut = response.add(ListOffsetsResponse.TOPICS).set(ListOffsetsTopicResponse.NAME, name);
            TopicMetadata metadata = name == null ? null : logs.topic(name);
            for (Struct partition : topic.get(ListOffsetsTopic.PARTITIONS)) {
                Struct out = topicOut.add(ListOffsetsTopicResponse.PARTITIONS)
                    .set(ListOffsetsPartitionResponse.PARTITION_INDEX, partition.get(ListOffsetsPartition.PARTITION_INDEX));
                ErrorCode error = named.get(key(topic, partition)) > 1 ? ErrorCode.INVALID_REQUEST
                    : checkTimestamp(partition.get(ListOffsetsPartition.TIMESTAMP), version);
                if (error == ErrorCode.NONE) {
                    error = lookUp(version, metadata, partition, out, readCommitted);
                }
                if (error != ErrorCode.NONE) {
                    out.set(ListOffsetsPartitionResponse.ERROR_CODE, error.code())
                        .set(ListOffsetsPartitionResponse.TIMESTAMP, -1L)
                        .set(ListOffsetsPartitionResponse.OFFSET, -1L);
                }
            }
        }
        return response;
    }

    /** A partition as the request names it, to find duplicates; unlike TopicPartition it takes any index. */
    private record PartitionName(String topic, int partition) {
    }

    private static PartitionName key(Struct topic, Struct partition) {
        return new PartitionName(topic.get(ListOffsetsTopic.NAME), partition.get(ListOffsetsPartition.PARTITION_INDEX));
    }

    /** Kafka's rule: a negative timestamp must be a sentinel that the request's version knows. */
    private static ErrorCode checkTimestamp(long timestamp, short version) {
        if (timestamp >= 0) {
            return ErrorCode.NONE;
        }
        int since;
        if (timestamp == LATEST || timestamp == EARLIEST) {
            since = 1;
        } else if (timestamp == MAX_TIMESTAMP) {
            since = 7;
        } else if (timestamp == EARLIEST_LOCAL) {
            since = 8;
        } else if (timestamp == LATEST_TIERED) {
            since = 9;
        } else if (timestamp == EARLIEST_PENDING_UPLOAD) {
            since = 11;
        } else {
            return ErrorCode.UNSUPPORTED_VERSION;
        }
        return version >= since ? ErrorCode.NONE : ErrorCode.UNSUPPORTED_VERSION;
    }

    /** Fills {@code out} with the answer for one partition, or returns the error that prevents one. */
    private ErrorCode lookUp(short version, TopicMetadata topic, Struct partition, Struct out, boolean readCommitted) {
        int index = partition.get(ListOffsetsPartition.PARTITION_INDEX);
        if (topic == null || index < 0 || index >= topic.partitionCount()) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        TopicPartition tp = new TopicPartition(topic.name(), index);
        PartitionLog partitionLog = logs.log(tp);
        if (partitionLog == null) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        ErrorCode epochError = replicas.leaderCheck(tp, partition.get(ListOffsetsPartition.CURRENT_LEADER_EPOCH));
        if (epochError != ErrorCode.NONE) {
            return epochError;
        }
        long timestamp = partition.get(ListOffsetsPartition.TIMESTAMP);
        TimestampOffset found;
        try {
            found = offsetFor(partitionLog, replicas.highWatermark(partitionLog), timestamp, readCommitted);
        } catch (LogStorageException e) {
            log.warn("ListOffsets of {} for timestamp {} failed", tp, timestamp, e);
            return ErrorCode.KAFKA_STORAGE_ERROR;
        }
        out.set(ListOffsetsPartitionResponse.ERROR_CODE, ErrorCode.NONE.code())
            .set(ListOffsetsPartitionResponse.TIMESTAMP, found == null ? -1L : found.timestamp())
            .set(ListOffsetsPartitionResponse.OFFSET, found == null ? -1L : found.offset());
        if (found != null && found.offset() >= 0 && version >= 4) {
            out.set(ListOffsetsPartitionResponse.LEADER_EPOCH, replicas.leaderEpoch(tp)); // the field exists from v4
        }
        return ErrorCode.NONE;
    }

    /** (timestamp, offset) for a timestamp or sentinel; null when no record qualifies. */
    private static TimestampOffset offsetFor(PartitionLog partitionLog, long highWatermark, long timestamp, boolean readCommitted) {
        // read first: an offset found is compared with an end that is never ahead of what the search saw
        long lastFetchable = readCommitted ? Math.min(partitionLog.lastStableOffset(), highWatermark) : highWatermark;
        if (timestamp == EARLIEST || timestamp == EARLIEST_LOCAL) {
            return new TimestampOffset(-1, partitionLog.logStartOffset());
        }
        if (timestamp == LATEST) {
            return new TimestampOffset(-1, lastFetchable);
        }
        if (timestamp == LATEST_TIERED || timestamp == EARLIEST_PENDING_UPLOAD) {
            return new TimestampOffset(-1, -1);
        }
        if (timestamp == MAX_TIMESTAMP) {
            return partitionLog.maxTimestampOffset();
        }
        TimestampOffset found = partitionLog.offsetForTimestamp(timestamp);
        return found == null || found.offset() < lastFetchable ? found : null;
    }
}
