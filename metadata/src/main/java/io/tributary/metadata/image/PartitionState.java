package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One partition's replication state. Invariants ({@link #problem()} names the first one broken): replicas are
 * distinct non-negative broker ids, at least one; the ISR is a duplicate-free subset of the replicas; the leader is
 * {@link MetadataRecord#NO_LEADER} or a member of the ISR; both epochs are non-negative; the adding and removing
 * replicas of a reassignment are disjoint, duplicate-free subsets of the replicas, and at least one replica is not
 * being removed.
 *
 * <p>A reassignment in progress (Kafka's KIP-455 state) keeps the union of the old and the target replicas in
 * {@code replicas}, the target first: {@code addingReplicas} are target members that were not replicas before,
 * {@code removingReplicas} old members not in the target. It completes when every target replica is in the ISR.
 *
 * @param replicas       the assigned replicas, the first one the preferred leader
 * @param leaderEpoch    grows each time the leader changes; clients drop metadata with an older one
 * @param partitionEpoch grows with every change of this state; AlterPartition requests must name the current one
 */
public record PartitionState(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                             int partitionEpoch, List<Integer> addingReplicas, List<Integer> removingReplicas) {
    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        addingReplicas = List.copyOf(addingReplicas);
        removingReplicas = List.copyOf(removingReplicas);
    }

    /** A partition not under reassignment. */
    public PartitionState(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch, int partitionEpoch) {
        this(replicas, isr, leader, leaderEpoch, partitionEpoch, List.of(), List.of());
    }

    /** The first invariant this state breaks, in words, or null. */
    public String problem() {
        if (replicas.isEmpty()) {
            return "no replicas";
        }
        Set<Integer> seen = new HashSet<>();
        for (int r : replicas) {
            if (r < 0) {
                return "negative replica id " + r;
            }
            if (!seen.add(r)) {
                return "replica " + r + " listed twice in " + replicas;
            }
        }
        Set<Integer> inSync = new HashSet<>();
        for (int r : isr) {
            if (!seen.contains(r)) {
                return "ISR member " + r + " is not a replica (replicas " + replicas + ")";
            }
            if (!inSync.add(r)) {
                return "ISR member " + r + " listed twice in " + isr;
            }
        }
        if (leader != MetadataRecord.NO_LEADER && !inSync.contains(leader)) {
            return "leader " + leader + " is not in the ISR " + isr;
        }
        if (leaderEpoch < 0 || partitionEpoch < 0) {
            return "negative epoch (leader epoch " + leaderEpoch + ", partition epoch " + partitionEpoch + ")";
        }
        Set<Integer> moving = new HashSet<>();
        for (List<Integer> side : List.of(addingReplicas, removingReplicas)) {
            for (int r : side) {
                if (!seen.contains(r)) {
                    return "reassigned replica " + r + " is not a replica (replicas " + replicas + ")";
                }
                if (!moving.add(r)) {
                    return "replica " + r + " listed twice in adding " + addingReplicas + " / removing "
                        + removingReplicas;
                }
            }
        }
        if (removingReplicas.size() >= replicas.size()) {
            return "every replica of " + replicas + " is being removed";
        }
        return null;
    }

    public boolean hasLeader() {
        return leader != MetadataRecord.NO_LEADER;
    }

    /** The preferred leader: the first assigned replica (during a reassignment, the target's first). */
    public int preferredLeader() {
        return replicas.get(0);
    }

    /** Whether a reassignment is in progress. */
    public boolean isReassigning() {
        return !addingReplicas.isEmpty() || !removingReplicas.isEmpty();
    }

    /** The replicas once the reassignment completes (all replicas when none runs). */
    public List<Integer> targetReplicas() {
        List<Integer> target = new ArrayList<>(replicas);
        target.removeAll(removingReplicas);
        return target;
    }

    /**
     * The replicas before the reassignment began (all replicas when none runs): what a cancellation returns to. Their
     * order is the merged list's (target first), as in Kafka's revert: the original order is not kept.
     */
    public List<Integer> originalReplicas() {
        List<Integer> original = new ArrayList<>(replicas);
        original.removeAll(addingReplicas);
        return original;
    }
}
