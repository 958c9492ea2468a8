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
import io.tributary.server.produce.ProducePurgatory;
import io.tributary.server.replica.ReplicaView;
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
 * <p>In a cluster a marker is written only where this broker leads the partition (NOT_LEADER_OR_FOLLOWER otherwise, so
 * the coordinator asks the new leader), stamped with the partition's leader epoch, and its outcome waits, as Kafka's
 * acks=all append of markers does, until the high watermark passes it: a marker acknowledged to the coordinator
 * survives the crash of this broker, or the coordinator writes it again.
 *
 * <p>Outcomes per partition: NONE; UNKNOWN_TOPIC_OR_PARTITION (no such partition here); NOT_LEADER_OR_FOLLOWER;
 * INVALID_PRODUCER_EPOCH or TRANSACTION_COORDINATOR_FENCED (the log's refusals: nothing written); the group
 * coordinator's codes; NOT_ENOUGH_REPLICAS (fewer than min.insync.replicas in sync: nothing written);
 * NOT_ENOUGH_REPLICAS_AFTER_APPEND or REQUEST_TIMED_OUT (written, not yet replicated); the coordinator retries all
 * three, and the log refuses nothing a second marker repeats; KAFKA_STORAGE_ERROR.
 */
public final class TxnMarkerWriter {
    private static final Logger log = LoggerFactory.getLogger(TxnMarkerWriter.class);

    /** How long a marker's outcome waits for the followers before it is answered REQUEST_TIMED_OUT (and retried). */
    private static final long REPLICATION_TIMEOUT_MS = 30_000;

    private final LogManager logs;
    private final GroupCoordinator groups;
    private final ReplicaView replicas;
    private final ProducePurgatory replication;

    /** A writer for a broker alone: every partition is led here at epoch 0, nothing waits for followers. */
    public TxnMarkerWriter(LogManager logs, GroupCoordinator groups) {
        this(logs, groups, null, null);
    }

    /**
     * @param replicas    this broker's roles (leadership and leader epochs), or null when it leads every partition alone
     * @param replication where a written marker waits for the high watermark, or null
     */
    public TxnMarkerWriter(LogManager logs, GroupCoordinator groups, ReplicaView replicas, ProducePurgatory replication) {
        this.logs = logs;
        this.groups = groups;
        this.replicas = replicas;
        this.replication = replication;
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
            CompletableFuture<ErrorCode> written = writeLocal(tp, producerId, producerEpoch, commit, coordinatorEpoch);
            waits.add(written.thenAccept(error -> {
                synchronized (outcome) {
                    outcome.put(tp, error);
                }
            }));
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

    private CompletableFuture<ErrorCode> writeLocal(TopicPartition tp, long producerId, short producerEpoch, boolean commit,
                                                    int coordinatorEpoch) {
        PartitionLog partitionLog = logs.log(tp);
        if (partitionLog == null) {
            return CompletableFuture.completedFuture(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        ErrorCode role = replicas == null ? ErrorCode.NONE : replicas.leaderCheck(tp, -1);
        if (role != ErrorCode.NONE) {
            return CompletableFuture.completedFuture(role);
        }
        int leaderEpoch = replicas == null ? LeaderEpochs.SINGLE_BROKER : replicas.leaderEpoch(tp);
        boolean replicated = replication != null && replicas.isReplicated(tp);
        int minInsync = partitionLog.config().get(io.tributary.log.LogConfig.MIN_INSYNC_REPLICAS);
        if (replicated) {
            // an acks=-1 append: below min.insync.replicas it is refused unwritten, and the coordinator retries it
            ErrorCode admission = replicas.produceCheck(tp, true, minInsync);
            if (admission != ErrorCode.NONE) {
                return CompletableFuture.completedFuture(admission);
            }
        }
        ErrorCode appended = append(partitionLog, tp, producerId, producerEpoch, commit, coordinatorEpoch, leaderEpoch);
        if (appended != ErrorCode.NONE || !replicated) {
            return CompletableFuture.completedFuture(appended);
        }
        return replication.await(tp, leaderEpoch, partitionLog.logEndOffset(), minInsync, REPLICATION_TIMEOUT_MS);
    }

    private ErrorCode append(PartitionLog partitionLog, TopicPartition tp, long producerId, short producerEpoch, boolean commit,
                             int coordinatorEpoch, int leaderEpoch) {
        EndTransactionMarker marker = new EndTransactionMarker(commit ? EndTransactionMarker.ControlType.COMMIT
            : EndTransactionMarker.ControlType.ABORT, coordinatorEpoch);
        try {
            MarkerAppend appended = partitionLog.appendTransactionMarker(producerId, producerEpoch, marker, leaderEpoch);
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
