package io.tributary.server.replica;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One partition this broker holds a replica of under an assignment: its role (leader, follower, or none — no longer a
 * replica), the leader epoch, the high watermark, and as leader the followers' progress and the in-sync set.
 *
 * <p>Invariants, as leader: the high watermark never decreases and never passes the minimum log end offset over the
 * maximal ISR (the committed ISR together with a proposed expansion), this broker's own log end offset included; a
 * follower whose end offset is unknown since this broker became leader holds it where it is. At most one ISR change is
 * in flight ({@link #pendingIsr}); it becomes the ISR only when the controller's answer (or the next assignment)
 * says so. As follower: the high watermark is the leader's, capped by the local log end offset.
 *
 * <p>Concurrency: every change happens under this object's monitor; the high watermark, role and epoch are also
 * published in volatile fields so the fetch and produce paths read them without locking.
 */
final class ReplicatedPartition {
    enum Role { LEADER, FOLLOWER, NONE }

    /** A follower as the leader sees it: Kafka's replica state (log end offset, last caught-up time). */
    static final class FollowerProgress {
        /** Everything below it is in the follower's log; -1 until its first fetch under this leadership. */
        long logEndOffset = -1;
        long lastCaughtUpTimeMs;
        long lastFetchTimeMs;
        long lastFetchLeaderLogEndOffset = -1;
    }

    final TopicPartition topicPartition;
    final PartitionLog log;
    private final int brokerId;
    private PartitionAssignment assignment;
    private volatile Role role = Role.NONE;
    private volatile int leaderEpoch;
    private volatile long highWatermark;
    private final Map<Integer, FollowerProgress> followers = new HashMap<>();
    /** The ISR as committed by the controller (the last assignment or ISR change answer). */
    private volatile List<Integer> isr = List.of();
    /** An ISR change sent to the controller and not yet answered; null when none. */
    private List<Integer> pendingIsr;
    /** Where this broker's current leader epoch starts in its log: a follower must reach it to join the ISR. */
    private long leaderEpochStartOffset;

    ReplicatedPartition(TopicPartition topicPartition, PartitionLog log, int brokerId, long initialHighWatermark) {
        this.topicPartition = topicPartition;
        this.log = log;
        this.brokerId = brokerId;
        this.highWatermark = Math.min(Math.max(initialHighWatermark, log.logStartOffset()), log.logEndOffset());
        log.boundCleaningAt(this.highWatermark);
    }

    Role role() {
        return role;
    }

    int leaderEpoch() {
        return leaderEpoch;
    }

    /** Every change of the high watermark goes through here: the log's cleaner is bounded by it. */
    private void setHighWatermark(long offset) {
        highWatermark = offset;
        log.boundCleaningAt(offset);
    }

    long highWatermark() {
        return highWatermark;
    }

    List<Integer> isr() {
        return isr;
    }

    synchronized PartitionAssignment assignment() {
        return assignment;
    }

    synchronized boolean hasPendingIsrChange() {
        return pendingIsr != null;
    }

    /**
     * Becomes leader at the assignment's epoch: the epoch starts at the log end offset in the leader-epoch cache, the
     * followers' progress is reset (ISR members count as caught up now, as Kafka resets them), the high watermark
     * stays where this replica knew it.
     */
    synchronized void becomeLeader(PartitionAssignment next, long nowMs) {
        log.startLeaderEpoch(next.leaderEpoch());
        assignment = next;
        leaderEpoch = next.leaderEpoch();
        isr = next.isr();
        pendingIsr = null;
        leaderEpochStartOffset = log.logEndOffset();
        followers.clear();
        for (int replica : next.replicas()) {
            if (replica != brokerId) {
                FollowerProgress progress = new FollowerProgress();
                progress.lastCaughtUpTimeMs = next.isr().contains(replica) ? nowMs : 0;
                followers.put(replica, progress);
            }
        }
        setHighWatermark(Math.min(highWatermark, log.logEndOffset()));
        role = Role.LEADER;
    }

    /** Becomes a follower of the assignment's leader (or of nobody yet). */
    synchronized void becomeFollower(PartitionAssignment next) {
        assignment = next;
        leaderEpoch = next.leaderEpoch();
        isr = next.isr();
        pendingIsr = null;
        followers.clear();
        setHighWatermark(Math.min(highWatermark, log.logEndOffset()));
        role = Role.FOLLOWER;
    }

    /** No longer a replica (moved away or deleted): serves nothing. */
    synchronized void stopServing(PartitionAssignment next) {
        assignment = next;
        if (next != null) {
            leaderEpoch = next.leaderEpoch();
        }
        followers.clear();
        pendingIsr = null;
        role = Role.NONE;
    }

    /**
     * The same leadership with a newer partition epoch (an ISR change or a reassignment the controller committed):
     * takes its ISR and replicas, keeps every follower's progress.
     */
    synchronized void update(PartitionAssignment next) {
        assignment = next;
        isr = next.isr();
        pendingIsr = null;
        if (role == Role.LEADER) {
            followers.keySet().retainAll(next.replicas());
            for (int replica : next.replicas()) {
                if (replica != brokerId) {
                    followers.computeIfAbsent(replica, r -> new FollowerProgress());
                }
            }
        }
    }

    // ---- as follower

    /** The leader's high watermark, as its fetch response gave it. Returns whether ours moved. */
    boolean followerHighWatermark(long leaderHighWatermark) {
        long next = Math.min(leaderHighWatermark, log.logEndOffset());
        if (next != highWatermark) {
            setHighWatermark(next);
            return true;
        }
        return false;
    }

    /** After a truncation: never above the log end. */
    synchronized void capHighWatermark() {
        setHighWatermark(Math.min(highWatermark, log.logEndOffset()));
    }

    // ---- as leader

    /**
     * Kafka's {@code updateFollowerFetchState}: the follower holds everything below {@code fetchOffset}; caught up when
     * it fetched from this leader's end (or from the end of its previous fetch). Returns an ISR expansion to propose, or
     * null.
     */
    synchronized List<Integer> followerFetched(int replicaId, long fetchOffset, long leaderLogEnd, long nowMs) {
        FollowerProgress progress = followers.get(replicaId);
        if (role != Role.LEADER || progress == null) {
            return null;
        }
        if (fetchOffset >= leaderLogEnd) {
            progress.lastCaughtUpTimeMs = Math.max(progress.lastCaughtUpTimeMs, nowMs);
        } else if (fetchOffset >= progress.lastFetchLeaderLogEndOffset) {
            progress.lastCaughtUpTimeMs = Math.max(progress.lastCaughtUpTimeMs, progress.lastFetchTimeMs);
        }
        progress.logEndOffset = fetchOffset;
        progress.lastFetchTimeMs = nowMs;
        progress.lastFetchLeaderLogEndOffset = leaderLogEnd;
        if (pendingIsr == null && !isr.contains(replicaId) && fetchOffset >= highWatermark
            && fetchOffset >= leaderEpochStartOffset) {
            List<Integer> expanded = new ArrayList<>(isr);
            expanded.add(replicaId);
            pendingIsr = List.copyOf(expanded);
            return pendingIsr;
        }
        return null;
    }

    /** ISR members (other than this leader) that have not caught up for longer than {@code lagTimeMaxMs}; empty when none. */
    synchronized List<Integer> proposeShrink(long nowMs, long lagTimeMaxMs) {
        if (role != Role.LEADER || pendingIsr != null) {
            return null;
        }
        List<Integer> kept = new ArrayList<>();
        boolean dropped = false;
        for (int member : isr) {
            FollowerProgress progress = followers.get(member);
            if (member != brokerId && (progress == null || nowMs - progress.lastCaughtUpTimeMs > lagTimeMaxMs)) {
                dropped = true;
            } else {
                kept.add(member);
            }
        }
        if (!dropped) {
            return null;
        }
        pendingIsr = List.copyOf(kept);
        return pendingIsr;
    }

    /** The controller refused or failed the change in flight: the next check (or assignment) proposes again. */
    synchronized void isrChangeFailed(List<Integer> proposed) {
        if (pendingIsr == proposed) {
            pendingIsr = null;
        }
    }

    /** Whether some ISR member lags (for the under-replicated gauge): the ISR is smaller than the replica set. */
    synchronized boolean underReplicated() {
        return role == Role.LEADER && assignment != null && isr.size() < assignment.replicas().size();
    }

    /** Each follower's lag behind this leader's log end, in offsets (unknown followers: the whole log). */
    synchronized Map<Integer, Long> followerLag() {
        Map<Integer, Long> lag = new HashMap<>();
        long end = log.logEndOffset();
        followers.forEach((replica, progress) -> lag.put(replica, end - Math.max(progress.logEndOffset, log.logStartOffset())));
        return lag;
    }

    /**
     * Moves the high watermark to the minimum log end offset over the maximal ISR, if that is higher. Returns whether
     * it moved.
     */
    synchronized boolean maybeAdvanceHighWatermark() {
        if (role != Role.LEADER) {
            return false;
        }
        // the maximal ISR is the ISR plus a pending expansion; a member in both counts once either way (a minimum),
        // so no set is built: this runs for every append and every follower fetch
        long candidate = minEndOffset(isr, log.logEndOffset());
        if (pendingIsr != null) {
            candidate = minEndOffset(pendingIsr, candidate);
        }
        if (candidate > highWatermark) {
            setHighWatermark(candidate);
            return true;
        }
        return false;
    }

    /** The lowest of {@code bound} and the log end offsets of {@code members}' followers (-1 for one not heard from). */
    private long minEndOffset(List<Integer> members, long bound) {
        long min = bound;
        for (int i = 0; i < members.size(); i++) {
            int member = members.get(i);
            if (member != brokerId) {
                FollowerProgress progress = followers.get(member);
                min = Math.min(min, progress == null ? -1 : progress.logEndOffset);
            }
        }
        return min;
    }

    @Override
    public String toString() {
        return "ReplicatedPartition(" + topicPartition + ", " + role + " at epoch " + leaderEpoch + ", hw=" + highWatermark
            + ", isr=" + isr + ")";
    }
}
