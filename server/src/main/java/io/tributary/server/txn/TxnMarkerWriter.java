package io.tributary.server.txn;

import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupError;
import io.tributary.log.LogManager;
import io.tributary.log.MarkerAppend;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.EndTransactionMarker;
import io.tributary.server.group.GroupErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Writes transaction markers into the partitions this broker leads: what WriteTxnMarkers does for each partition of
 * the request, and what the coordinator's local channel calls, so markers take one path whoever sends them. A
 * partition of {@code __consumer_offsets} is written by the group coordinator on the partition's thread, which then
 * applies the marker to the pending transactional offsets; any other partition by
 * {@link PartitionLog#appendTransactionMarker} (which moves its last stable offset), fsynced when the topic's flush
 * policy says so.
 *
 * <p>Outcomes per partition: NONE; UNKNOWN_TOPIC_OR_PARTITION (no such partition here); INVALID_PRODUCER_EPOCH or
 * TRANSACTION_COORDINATOR_FENCED (the log's refusals: nothing written); the group coordinator's codes; KAFKA_STORAGE_ERROR.
 */
public final class TxnMarkerWriter {
    private static final Logger log = LoggerFactory.getLogger(TxnMarkerWriter.class);

    private final LogManager logs;
    private final GroupCoordinator groups;

    public TxnMarkerWriter(LogManager logs, GroupCoordinator groups) {
        this.logs = logs;
        this.groups = groups;
    }

    public CompletableFuture<Map<TopicPartition, ErrorCode>> write(long producerId, short producerEpoch, boolean commit,
                                                                   int coordinatorEpoch, Set<TopicPartition> partitions) {
        Map<TopicPartition, ErrorCode> outcome = new HashMap<>();
        List<CompletableFuture<Void>> waits = new ArrayList<>();
        for (TopicPartition tp : partitions) {
            if (GroupCoordinator.OFFSETS_TOPIC.equals(tp.topic())) {
                waits.add(groups.writeTransactionMarker(tp.partition(), producerId, producerEpoch, commit, coordinatorEpoch)
                    .thenAccept(error -> {
                        synchronized (outcome) {
                            outcome.put(tp, error == GroupError.NONE ? ErrorCode.NONE : GroupErrors.code(error));
                        }
                    }));
                continue;
            }
            ErrorCode error = writeLocal(tp, producerId, producerEpoch, commit, coordinatorEpoch);
            synchronized (outcome) {
                outcome.put(tp, error);
            }
        }
        return CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0])).handle((ignored, failure) -> {
            synchronized (outcome) {
                for (TopicPartition tp : partitions) {
                    outcome.putIfAbsent(tp, ErrorCode.UNKNOWN_SERVER_ERROR);
                }
                return Map.copyOf(outcome);
            }
        });
    }

    private ErrorCode writeLocal(TopicPartition tp, long producerId, short producerEpoch, boolean commit, int coordinatorEpoch) {
        PartitionLog partitionLog = logs.log(tp);
        if (partitionLog == null) {
            return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
        }
        EndTransactionMarker marker = new EndTransactionMarker(commit ? EndTransactionMarker.ControlType.COMMIT
            : EndTransactionMarker.ControlType.ABORT, coordinatorEpoch);
        try {
            MarkerAppend appended = partitionLog.appendTransactionMarker(producerId, producerEpoch, marker, LeaderEpochs.SINGLE_BROKER);
            if (appended.refusal() != null) {
                log.info("{} marker of producer {} epoch {} refused by {}: {}", commit ? "COMMIT" : "ABORT", producerId, producerEpoch,
                    tp, appended.refusal().message());
                return switch (appended.refusal().kind()) {
                    case FENCED_COORDINATOR -> ErrorCode.TRANSACTION_COORDINATOR_FENCED;
                    default -> ErrorCode.INVALID_PRODUCER_EPOCH;
                };
            }
            if (appended.appended().flushDue()) {
                partitionLog.flush();
            }
            return ErrorCode.NONE;
        } catch (RuntimeException e) {
            log.error("Cannot write a transaction marker of producer {} to {}", producerId, tp, e);
            return ErrorCode.KAFKA_STORAGE_ERROR;
        }
    }
}
