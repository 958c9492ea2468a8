package io.tributary.metadata.controller;

import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.protocol.ErrorCode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * Partition reassignment (AlterPartitionReassignments, KIP-455), decided from the image alone. Starting one writes the
 * target into the partition's state: replicas become the target followed by the old replicas it drops, the new ones
 * are {@code adding}, the dropped ones {@code removing}. The added replicas start following the leader and catch up;
 * once every target replica is in the ISR the reassignment completes in one change: replicas become the target, the
 * ISR keeps only target members, and a leader being removed hands leadership to the first in-sync target replica
 * (a new leader epoch). Until then the old replicas keep serving, so nothing acknowledged depends on a replica that
 * has not caught up: the leader counts an expanding ISR member before the expansion is committed (maximal ISR).
 *
 * <p>Cancelling (null target) returns to the original replicas: adding replicas leave the replicas and the ISR; a
 * leader among them hands leadership to the first in-sync original replica.
 *
 * <p>Refusals, Kafka's codes: an unknown partition UNKNOWN_TOPIC_OR_PARTITION; an empty target, a repeated broker or
 * a broker that is not registered and unfenced INVALID_REPLICA_ASSIGNMENT; a changed replica count when the request
 * does not allow it INVALID_REPLICATION_FACTOR; cancelling where nothing runs NO_REASSIGNMENT_IN_PROGRESS.
 */
public final class Reassignment {
    private Reassignment() {
    }

    /** One partition's reassignment as AlterPartitionReassignments asks it; {@code target} null cancels. */
    public record Request(UUID topicId, int partition, List<Integer> target, boolean allowReplicationFactorChange) {
        public Request {
            target = target == null ? null : List.copyOf(target);
        }
    }

    /** The refusal's words, for the error message Kafka clients show. */
    public static String refusalText(ErrorCode error, String topic, Request request) {
        return switch (error) {
            case UNKNOWN_TOPIC_OR_PARTITION -> "Unable to find partition " + topic + "-" + request.partition();
            case INVALID_REPLICA_ASSIGNMENT -> "The target replicas " + request.target() + " of " + topic + "-"
                + request.partition() + " name no broker, a broker twice, or a broker that is not registered and"
                + " unfenced";
            case INVALID_REPLICATION_FACTOR -> "The replication factor of " + topic + "-" + request.partition()
                + " would change to " + request.target().size() + ", which this request does not allow";
            case NO_REASSIGNMENT_IN_PROGRESS -> "No ongoing reassignment for partition " + topic + "-"
                + request.partition();
            default -> "Reassignment of " + topic + "-" + request.partition() + " refused: " + error;
        };
    }

    /** Starts, replaces or cancels one partition's reassignment. */
    public static ControllerResult<Void> alter(MetadataImage image, Request request) {
        PartitionState s = image.partition(request.topicId(), request.partition());
        if (s == null) {
            return ControllerResult.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (request.target() == null) {
            return cancel(image, request.topicId(), request.partition(), s);
        }
        List<Integer> target = request.target();
        if (target.isEmpty() || new HashSet<>(target).size() != target.size()) {
            return ControllerResult.refused(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
        }
        for (int broker : target) {
            if (!image.isUnfenced(broker)) {
                return ControllerResult.refused(ErrorCode.INVALID_REPLICA_ASSIGNMENT);
            }
        }
        if (!request.allowReplicationFactorChange() && target.size() != s.originalReplicas().size()) {
            return ControllerResult.refused(ErrorCode.INVALID_REPLICATION_FACTOR);
        }
        // from the current replicas, which during a running reassignment include its adding ones: a replica that was
        // being added and is not in the new target is removed like any other
        List<Integer> adding = new ArrayList<>(target);
        adding.removeAll(s.replicas());
        List<Integer> removing = new ArrayList<>(s.replicas());
        removing.removeAll(target);
        List<Integer> replicas = new ArrayList<>(target);
        replicas.addAll(removing);
        PartitionChange change = settle(image, request.topicId(), request.partition(), s, replicas, s.isr(), adding,
            removing);
        return ControllerResult.of(change == null ? List.of() : List.<MetadataRecord>of(change), null);
    }

    private static ControllerResult<Void> cancel(MetadataImage image, UUID topicId, int partition, PartitionState s) {
        if (!s.isReassigning()) {
            return ControllerResult.refused(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
        }
        List<Integer> original = s.originalReplicas();
        List<Integer> isr = new ArrayList<>(s.isr());
        isr.retainAll(original);
        if (isr.isEmpty()) {
            // every in-sync replica was a new one: the original replicas hold only what they had copied before, as
            // after an unclean election; the first of them is all Kafka keeps in the ISR too
            isr.add(original.get(0));
        }
        int leader = isr.contains(s.leader()) ? s.leader()
            : LeaderElection.firstEligible(image, original, isr, MetadataRecord.NO_LEADER);
        PartitionChange change = LeaderElection.change(topicId, partition, s, original, isr, leader, List.of(),
            List.of());
        return ControllerResult.of(change == null ? List.of() : List.<MetadataRecord>of(change), null);
    }

    /**
     * The change to the state with {@code replicas}, {@code isr} and the reassignment's sides, completing the
     * reassignment when every target replica is in the ISR and a target replica can lead; null when nothing changes.
     * AlterPartition runs every ISR change through here, so the expansion that brings the last target replica in
     * completes the move in the same record.
     */
    static PartitionChange settle(MetadataImage image, UUID topicId, int partition, PartitionState s,
                                  List<Integer> replicas, List<Integer> isr, List<Integer> adding,
                                  List<Integer> removing) {
        int leader = isr.contains(s.leader()) ? s.leader() : MetadataRecord.NO_LEADER;
        if (!adding.isEmpty() || !removing.isEmpty()) {
            List<Integer> target = new ArrayList<>(replicas);
            target.removeAll(removing);
            if (isr.containsAll(target)) {
                int targetLeader = target.contains(leader) ? leader
                    : LeaderElection.firstEligible(image, target, isr, MetadataRecord.NO_LEADER);
                if (targetLeader != MetadataRecord.NO_LEADER || leader == MetadataRecord.NO_LEADER) {
                    List<Integer> targetIsr = new ArrayList<>(isr);
                    targetIsr.retainAll(target);
                    return LeaderElection.change(topicId, partition, s, target, targetIsr, targetLeader, List.of(),
                        List.of());
                }
                // no target replica can lead yet (fenced): keep the old leader and finish on a later change
            }
        }
        if (leader == MetadataRecord.NO_LEADER && s.hasLeader()) {
            leader = LeaderElection.firstEligible(image, replicas, isr, MetadataRecord.NO_LEADER);
        }
        return LeaderElection.change(topicId, partition, s, replicas, isr, leader, adding, removing);
    }
}
