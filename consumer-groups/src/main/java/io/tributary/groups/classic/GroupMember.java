package io.tributary.groups.classic;

import io.tributary.groups.JoinOutcome;
import io.tributary.groups.Protocol;
import io.tributary.groups.SyncOutcome;
import io.tributary.groups.timer.Scheduler;

import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a classic group: its identity, timeouts, protocols, current assignment, and the JoinGroup or
 * SyncGroup it is parked on during a rebalance.
 *
 * <p>Invariants: {@code protocols} is non-empty, in the member's order of preference; a member is awaiting
 * join exactly when {@code awaitingJoin} is set and awaiting sync exactly when {@code awaitingSync} is set,
 * and each is answered exactly once (answering clears it). The session deadline moves forward on every
 * heartbeat, join, sync and commit; one timer per member checks it (see {@link GroupMembership}).
 *
 * <p>Touched only by the thread of the group's partition.
 */
public final class GroupMember {
    static final byte[] NO_ASSIGNMENT = new byte[0];

    private String memberId;
    private final String groupInstanceId;
    private final String clientId;
    private final String clientHost;
    int rebalanceTimeoutMs;
    int sessionTimeoutMs;
    List<Protocol> protocols;
    byte[] assignment = NO_ASSIGNMENT;
    /** A new member may still expire while awaiting its first join response; a known one may not. */
    boolean isNew;
    long sessionDeadlineMs;
    Scheduler.Cancellable sessionTimer;
    /** When the armed session timer fires; a deadline earlier than this needs a new timer. */
    long sessionTimerAtMs;
    Consumer<JoinOutcome> awaitingJoin;
    Consumer<SyncOutcome> awaitingSync;

    GroupMember(String memberId, String groupInstanceId, String clientId, String clientHost, int rebalanceTimeoutMs,
                int sessionTimeoutMs, List<Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.clientHost = clientHost;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    public String memberId() {
        return memberId;
    }

    void memberId(String id) {
        this.memberId = id;
    }

    public String groupInstanceId() {
        return groupInstanceId;
    }

    public boolean isStatic() {
        return groupInstanceId != null;
    }

    public String clientId() {
        return clientId;
    }

    public String clientHost() {
        return clientHost;
    }

    public int sessionTimeoutMs() {
        return sessionTimeoutMs;
    }

    public int rebalanceTimeoutMs() {
        return rebalanceTimeoutMs;
    }

    public List<Protocol> protocols() {
        return protocols;
    }

    public byte[] assignment() {
        return assignment;
    }

    public boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    public boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** The member's metadata for {@code protocol}, or null if it does not support it. */
    public byte[] metadata(String protocol) {
        for (Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        return null;
    }

    /** Whether {@code other} lists the same protocols with the same metadata, in the same order. */
    boolean sameProtocols(List<Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            if (!protocols.get(i).sameAs(other.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Answers the parked JoinGroup, if any. */
    void completeJoin(JoinOutcome outcome) {
        Consumer<JoinOutcome> waiter = awaitingJoin;
        if (waiter != null) {
            awaitingJoin = null;
            waiter.accept(outcome);
        }
    }

    /** Answers the parked SyncGroup, if any. */
    void completeSync(SyncOutcome outcome) {
        Consumer<SyncOutcome> waiter = awaitingSync;
        if (waiter != null) {
            awaitingSync = null;
            waiter.accept(outcome);
        }
    }

    @Override
    public String toString() {
        return "GroupMember{" + memberId + (groupInstanceId == null ? "" : ", instance=" + groupInstanceId) + "}";
    }
}
