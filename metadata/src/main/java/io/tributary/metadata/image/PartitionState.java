package io.tributary.metadata.image;

import io.tributary.metadata.record.MetadataRecord;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One partition's replication state. Invariants ({@link #problem()} names the first one broken): replicas are
 * distinct non-negative broker ids, at least one; the ISR is a duplicate-free subset of the replicas; the leader is
 * {@link MetadataRecord#NO_LEADER} or a member of the ISR; both epochs are non-negative.
 *
 * @param replicas       the assigned replicas, the first one the preferred leader
 * @param leaderEpoch    grows each time the leader changes; clients drop metadata with an older one
 * @param partitionEpoch grows with every change of this state; AlterPartition requests must name the current one
 */
public record PartitionState(List<Integer> replicas, List<Integer> isr, int leader, int leaderEpoch,
                             int partitionEpoch) {
    public PartitionState {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
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
        return null;
    }

    public boolean hasLeader() {
        return leader != MetadataRecord.NO_LEADER;
    }

    /** The preferred leader: the first assigned replica. */
    public int preferredLeader() {
        return replicas.get(0);
    }
}
