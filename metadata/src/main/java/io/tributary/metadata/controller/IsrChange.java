package io.tributary.metadata.controller;

import io.tributary.metadata.image.BrokerRegistration;
import io.tributary.metadata.image.MetadataImage;
import io.tributary.metadata.image.PartitionState;
import io.tributary.metadata.record.MetadataRecord;
import io.tributary.metadata.record.MetadataRecord.PartitionChange;
import io.tributary.protocol.ErrorCode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * AlterPartition: a partition leader asks to shrink or expand its ISR. The request names the state it saw (leader
 * epoch, partition epoch); the controller accepts it only against exactly that state, so two changes based on the
 * same state cannot both win. Checks, in Kafka's order:
 * <ol>
 *   <li>the broker's incarnation: BROKER_ID_NOT_REGISTERED, STALE_BROKER_EPOCH;</li>
 *   <li>the partition exists: UNKNOWN_TOPIC_OR_PARTITION;</li>
 *   <li>the requester leads it: NOT_LEADER_OR_FOLLOWER;</li>
 *   <li>its leader epoch is the current one: FENCED_LEADER_EPOCH;</li>
 *   <li>its partition epoch is the current one: INVALID_UPDATE_VERSION;</li>
 *   <li>the new ISR holds the leader, only replicas, no repeats: INVALID_REQUEST;</li>
 *   <li>members it adds are unfenced: INELIGIBLE_REPLICA.</li>
 * </ol>
 * An accepted change keeps the leader and its epoch and raises the partition epoch; asking for the current ISR writes
 * nothing and answers the current state. An expansion that puts every target replica of a running reassignment in
 * the ISR also completes the reassignment ({@link Reassignment}), which may move leadership to a target replica.
 */
public final class IsrChange {
    private IsrChange() {
    }

    /** One partition's AlterPartition entry. */
    public record Request(int brokerId, long brokerEpoch, UUID topicId, int partition, int leaderEpoch,
                          int partitionEpoch, List<Integer> newIsr) {
        public Request {
            newIsr = List.copyOf(newIsr);
        }
    }

    /** @return the partition's state after the change */
    public static ControllerResult<PartitionState> alterPartition(MetadataImage image, Request request) {
        BrokerRegistration broker = image.broker(request.brokerId());
        if (broker == null) {
            return ControllerResult.refused(ErrorCode.BROKER_ID_NOT_REGISTERED);
        }
        if (broker.brokerEpoch() != request.brokerEpoch()) {
            return ControllerResult.refused(ErrorCode.STALE_BROKER_EPOCH);
        }
        PartitionState s = image.partition(request.topicId(), request.partition());
        if (s == null) {
            return ControllerResult.refused(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
        }
        if (s.leader() != request.brokerId()) {
            return ControllerResult.refused(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        }
        if (request.leaderEpoch() != s.leaderEpoch()) {
            return ControllerResult.refused(ErrorCode.FENCED_LEADER_EPOCH);
        }
        if (request.partitionEpoch() != s.partitionEpoch()) {
            return ControllerResult.refused(ErrorCode.INVALID_UPDATE_VERSION);
        }
        List<Integer> newIsr = request.newIsr();
        Set<Integer> distinct = new HashSet<>(newIsr);
        if (distinct.size() != newIsr.size() || !newIsr.contains(s.leader()) || !s.replicas().containsAll(newIsr)) {
            return ControllerResult.refused(ErrorCode.INVALID_REQUEST);
        }
        for (int member : newIsr) {
            if (!s.isr().contains(member) && !image.isUnfenced(member)) {
                return ControllerResult.refused(ErrorCode.INELIGIBLE_REPLICA);
            }
        }
        // an expansion that brings the last target replica of a reassignment into the ISR completes it here
        PartitionChange change = Reassignment.settle(image, request.topicId(), request.partition(), s, s.replicas(),
            newIsr, s.addingReplicas(), s.removingReplicas());
        if (change == null) {
            return ControllerResult.of(List.of(), s);
        }
        PartitionState after = new PartitionState(change.replicas(), change.isr(), change.leader(),
            change.leaderEpoch(), change.partitionEpoch(), change.addingReplicas(), change.removingReplicas());
        return ControllerResult.of(List.<MetadataRecord>of(change), after);
    }
}
