package io.tributary.groups.classic;

import io.tributary.protocol.ClientText;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.TopicResolver;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.storage.GroupMetadataKey;
import io.tributary.groups.storage.GroupMetadataValue;
import io.tributary.groups.storage.MemberMetadata;
import io.tributary.groups.storage.OffsetCommitKey;
import io.tributary.groups.storage.OffsetCommitValue;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.groups.timer.Scheduler;
import io.tributary.log.RecordBatchTooLargeException;
import io.tributary.log.RecordTooLargeException;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.HeartbeatRequest;
import io.tributary.protocol.message.group.JoinGroupRequest;
import io.tributary.protocol.message.group.JoinGroupRequest.JoinGroupRequestProtocol;
import io.tributary.protocol.message.group.LeaveGroupRequest;
import io.tributary.protocol.message.group.LeaveGroupResponse;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestPartition;
import io.tributary.protocol.message.group.OffsetCommitRequest.OffsetCommitRequestTopic;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponsePartition;
import io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponseTopic;
import io.tributary.protocol.message.group.OffsetDeleteRequest;
import io.tributary.protocol.message.group.OffsetDeleteResponse;
import io.tributary.protocol.message.group.SyncGroupRequest;
import io.tributary.protocol.message.group.SyncGroupRequest.SyncGroupRequestAssignment;
import io.tributary.protocol.message.schema.Struct;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The classic groups of one {@code __consumer_offsets} partition and the whole classic group protocol over
 * them: the state machine of join, sync, heartbeat and leave with its timeouts, committed offsets, and the
 * records that make both durable. It follows Apache Kafka's classic group coordinator rule for rule (the
 * comments say where we differ and why).
 *
 * <h2>Threading</h2>
 * Everything here runs on the partition's executor, one task at a time: requests, timer callbacks and log
 * appends. That is why no group has a lock: a group is only ever touched by the thread of its partition.
 * The choice over a lock per group: timers and requests serialize without a second mechanism, the order of
 * records in the partition is the order of the state changes they describe, and requests spanning several
 * groups of a partition need no lock ordering. Partitions spread over a few threads, so one busy group
 * delays only the groups sharing its partition.
 *
 * <h2>Durability</h2>
 * A change that must survive (a commit, a completed assignment, a group becoming empty, a deletion) is
 * appended to the partition first, synchronously on this thread, and applied and answered only after the
 * append returned. Membership during a rebalance is not written, as in Kafka: after a restart the group
 * comes back at its last completed generation, and members that do not heartbeat expire.
 *
 * <h2>Timers</h2>
 * All on the coordinator's {@link Scheduler}; a firing timer is handed to this partition's executor and
 * checks that it is still current. Per member one session timer checks a deadline that heartbeats move
 * forward, so a heartbeat costs no scheduling; per group one join timer (initial delay or rebalance timeout)
 * and one pending-sync timer; per partition one offset-expiry timer.
 */
public final class GroupShard {
    private static final Logger log = LoggerFactory.getLogger(GroupShard.class);
    /** Kafka's limit on how long a new member's first JoinGroup may be parked (its session cannot expire then). */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;
    /** Kafka's authorized-operations bits for a group without an authorizer: READ, DELETE, DESCRIBE. */
    public static final int GROUP_AUTHORIZED_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

    /** Lifecycle of the partition on this broker. */
    public enum Status { LOADING, ACTIVE, UNLOADED }

    private final int partition;
    private final OffsetsPartition storage;
    private final GroupCoordinatorConfig config;
    private final Scheduler scheduler;
    private final Executor executor;
    private final TopicResolver topics;
    private final Map<String, ClassicGroup> groups = new HashMap<>();
    private volatile Status status = Status.LOADING;
    private Scheduler.Cancellable expiryTimer;

    public GroupShard(int partition, OffsetsPartition storage, GroupCoordinatorConfig config, Scheduler scheduler,
                      Executor executor, TopicResolver topics) {
        this.partition = partition;
        this.storage = storage;
        this.config = config;
        this.scheduler = scheduler;
        this.executor = executor;
        this.topics = topics;
    }

    public int partition() {
        return partition;
    }

    public Executor executor() {
        return executor;
    }

    public Status status() {
        return status;
    }

    // =====================================================================================================
    // lifecycle

    /**
     * Rebuilds the groups from the partition. Runs before {@link #activate()}, on any thread, while the
     * partition answers COORDINATOR_LOAD_IN_PROGRESS.
     */
    public OffsetsPartition.LoadStats load() {
        long now = scheduler.nowMs();
        OffsetsPartition.LoadStats stats = storage.load((record, offset) -> replay(record, now));
        groups.values().removeIf(g -> g.size() == 0 && g.offsetCount() == 0 && !g.hasMetadataRecord);
        return stats;
    }

    private void replay(CoordinatorRecord record, long now) {
        String groupId = record.key().group();
        ClassicGroup group = groups.get(groupId);
        if (record.key() instanceof OffsetCommitKey key) {
            if (record.isTombstone()) {
                if (group != null) {
                    group.removeOffset(key.topic(), key.partition());
                }
            } else {
                if (group == null) {
                    group = new ClassicGroup(groupId, now);
                    groups.put(groupId, group);
                }
                group.putOffset(key.topic(), key.partition(), (OffsetCommitValue) record.value());
            }
        } else if (record.isTombstone()) {
            if (group != null) {
                group.resetMembership(now);
            }
        } else {
            if (group == null) {
                group = new ClassicGroup(groupId, now);
                groups.put(groupId, group);
            }
            GroupMetadataValue value = (GroupMetadataValue) record.value();
            List<GroupMember> members = new ArrayList<>(value.members().size());
            for (MemberMetadata m : value.members()) {
                GroupMember member = new GroupMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                    m.rebalanceTimeoutMs() < 0 ? m.sessionTimeoutMs() : m.rebalanceTimeoutMs(), m.sessionTimeoutMs(),
                    List.of(new Protocol(value.protocol() == null ? "" : value.protocol(), m.subscription())));
                member.assignment = m.assignment();
                members.add(member);
            }
            group.restore(value.protocolType(), value.generation(), value.protocol(), value.leader(),
                value.currentStateTimestamp(), members, now);
        }
    }

    /** Starts serving: members of loaded groups get their session timers, oversized groups rebalance. */
    public void activate() {
        if (status != Status.LOADING) {
            return;
        }
        status = Status.ACTIVE;
        long now = scheduler.nowMs();
        for (ClassicGroup group : List.copyOf(groups.values())) {
            for (GroupMember member : group.memberView()) {
                armSession(group, member, member.sessionTimeoutMs, now);
            }
            if (group.size() > config.maxGroupSize()) {
                log.info("Group {} has {} members, more than group.max.size={}; rebalancing", ClientText.escape(group.groupId()), group.size(),
                    config.maxGroupSize());
                prepareRebalance(group, "loaded with more members than group.max.size");
            }
        }
        expiryTimer = schedule(config.offsetsRetentionCheckIntervalMs(), this::expireOffsetsAndReschedule);
    }

    /** Stops serving: every parked request is answered NOT_COORDINATOR, timers are dropped, groups forgotten. */
    public void unload() {
        Status previous = status;
        status = Status.UNLOADED;
        if (previous != Status.ACTIVE) {
            groups.clear();
            return;
        }
        if (expiryTimer != null) {
            expiryTimer.cancel();
        }
        List<Runnable> answers = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            cancel(group.joinTimer);
            cancel(group.syncTimer);
            group.pendingMembers.values().forEach(GroupShard::cancel);
            for (GroupMember member : group.memberView()) {
                cancel(member.sessionTimer);
                answers.add(() -> member.completeJoin(JoinOutcome.error(ErrorCode.NOT_COORDINATOR, member.memberId())));
                answers.add(() -> member.completeSync(SyncOutcome.error(ErrorCode.NOT_COORDINATOR)));
            }
        }
        groups.clear();
        answers.forEach(Runnable::run);
    }

    // =====================================================================================================
    // timers

    /** A timer whose callback runs on this partition's thread, unless cancelled there first. */
    private final class ShardTimer implements Runnable, Scheduler.Cancellable {
        private final Runnable task;
        private Scheduler.Cancellable scheduled;
        private boolean done;

        ShardTimer(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (!done && status == Status.ACTIVE) {
                done = true;
                task.run();
            }
        }

        @Override
        public void cancel() {
            done = true;
            if (scheduled != null) {
                scheduled.cancel();
            }
        }
    }

    private Scheduler.Cancellable schedule(long delayMs, Runnable task) {
        ShardTimer timer = new ShardTimer(task);
        timer.scheduled = scheduler.schedule(delayMs, () -> {
            try {
                executor.execute(timer);
            } catch (RejectedExecutionException e) {
                // the coordinator is closing: the partition no longer runs anything
            }
        });
        return timer;
    }

    private static void cancel(Scheduler.Cancellable timer) {
        if (timer != null) {
            timer.cancel();
        }
    }

    /** Moves the member's session deadline to now + timeout, arming its timer if none would fire by then. */
    private void armSession(ClassicGroup group, GroupMember member, long timeoutMs, long now) {
        long deadline = now + timeoutMs;
        member.sessionDeadlineMs = deadline;
        if (member.sessionTimer == null || deadline < member.sessionTimerAtMs) {
            cancel(member.sessionTimer);
            member.sessionTimerAtMs = deadline;
            member.sessionTimer = schedule(timeoutMs, () -> sessionTimerFired(group, member));
        }
    }

    private void sessionTimerFired(ClassicGroup group, GroupMember member) {
        member.sessionTimer = null;
        if (groups.get(group.groupId()) != group || group.member(member.memberId()) != member) {
            return;
        }
        long now = scheduler.nowMs();
        if (now < member.sessionDeadlineMs) {
            armSession(group, member, member.sessionDeadlineMs - now, now);
        } else if (!member.isNew && (member.isAwaitingJoin() || member.isAwaitingSync())) {
            // members parked in a rebalance satisfy their heartbeats; the rebalance timeout handles them
            armSession(group, member, member.sessionTimeoutMs, now);
        } else {
            log.info("Member {} of group {} failed its session timeout of {} ms; removing it", ClientText.escape(member.memberId()),
                ClientText.escape(group.groupId()), member.sessionTimeoutMs);
            removeMember(group, member, "session timeout");
        }
    }

    private int rebalanceTimeoutMs(ClassicGroup group) {
        int max = 0;
        for (GroupMember m : group.memberView()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    private void armJoinTimer(ClassicGroup group, long delayMs, Runnable task) {
        cancel(group.joinTimer);
        group.joinTimer = schedule(delayMs, () -> {
            group.joinTimer = null;
            if (groups.get(group.groupId()) == group) {
                task.run();
            }
        });
    }

    // =====================================================================================================
    // JoinGroup

    /** A JoinGroup, answered through {@code respond} now or when the rebalance completes. */
    public void joinGroup(Struct request, short version, String clientId, String clientHost, Consumer<JoinOutcome> respond) {
        String groupId = request.get(JoinGroupRequest.GROUP_ID);
        String memberId = request.get(JoinGroupRequest.MEMBER_ID);
        String instanceId = request.get(JoinGroupRequest.GROUP_INSTANCE_ID);
        int sessionTimeoutMs = request.get(JoinGroupRequest.SESSION_TIMEOUT_MS);
        int rebalanceTimeoutMs = request.get(JoinGroupRequest.REBALANCE_TIMEOUT_MS);
        if (rebalanceTimeoutMs < 0) {
            rebalanceTimeoutMs = sessionTimeoutMs; // v0 has no rebalance timeout: the session timeout serves
        }
        String protocolType = request.get(JoinGroupRequest.PROTOCOL_TYPE);
        List<Protocol> protocols = new ArrayList<>();
        for (Struct p : request.get(JoinGroupRequest.PROTOCOLS)) {
            protocols.add(new Protocol(p.get(JoinGroupRequestProtocol.NAME), copy(p.get(JoinGroupRequestProtocol.METADATA))));
        }
        if (memberId == null) {
            memberId = "";
        }
        if (groupId == null || groupId.isEmpty()) {
            respond.accept(JoinOutcome.error(ErrorCode.INVALID_GROUP_ID, memberId));
            return;
        }
        if (sessionTimeoutMs < config.minSessionTimeoutMs() || sessionTimeoutMs > config.maxSessionTimeoutMs()) {
            respond.accept(JoinOutcome.error(ErrorCode.INVALID_SESSION_TIMEOUT, memberId));
            return;
        }
        boolean unknownMember = memberId.isEmpty();
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (!unknownMember) {
                respond.accept(JoinOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
                return;
            }
            group = new ClassicGroup(groupId, scheduler.nowMs());
            groups.put(groupId, group);
        }
        JoinRequest join = new JoinRequest(version, memberId, instanceId, clientId, clientHost, sessionTimeoutMs,
            rebalanceTimeoutMs, protocolType == null ? "" : protocolType, protocols, respond);
        if (group.is(GroupState.DEAD)) {
            respond.accept(JoinOutcome.error(ErrorCode.COORDINATOR_NOT_AVAILABLE, memberId));
        } else if (!group.supportsProtocols(join.protocolType, protocols)) {
            respond.accept(JoinOutcome.error(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, memberId));
        } else if (!acceptsJoiningMember(group, memberId)) {
            Scheduler.Cancellable pending = group.pendingMembers.remove(memberId);
            cancel(pending);
            respond.accept(JoinOutcome.error(ErrorCode.GROUP_MAX_SIZE_REACHED, ""));
        } else if (unknownMember) {
            joinNewMember(group, join);
        } else {
            joinKnownMember(group, join);
        }
        removeIfUnused(group);
    }

    private record JoinRequest(short version, String memberId, String instanceId, String clientId, String clientHost,
                               int sessionTimeoutMs, int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
                               Consumer<JoinOutcome> respond) {
    }

    /** Kafka's group.max.size rule: existing members stay; new ones only while the group is below the limit. */
    private boolean acceptsJoiningMember(ClassicGroup group, String memberId) {
        switch (group.state()) {
            case EMPTY:
            case DEAD:
                return true;
            case PREPARING_REBALANCE: {
                GroupMember m = group.member(memberId);
                if (m != null && m.isAwaitingJoin()) {
                    return true;
                }
                int awaiting = 0;
                for (GroupMember member : group.memberView()) {
                    if (member.isAwaitingJoin()) {
                        awaiting++;
                    }
                }
                return awaiting < config.maxGroupSize();
            }
            default:
                return group.hasMember(memberId) || group.size() < config.maxGroupSize();
        }
    }

    private void joinNewMember(ClassicGroup group, JoinRequest join) {
        if (join.instanceId != null) {
            String existing = group.staticMemberId(join.instanceId);
            String newMemberId = join.instanceId + "-" + UUID.randomUUID();
            if (existing != null) {
                rejoinStaticMember(group, group.member(existing), newMemberId, join);
            } else {
                addMember(group, newMemberId, join);
            }
        } else {
            String newMemberId = join.clientId + "-" + UUID.randomUUID();
            if (join.version >= 4) {
                // KIP-394: the member must come back with this id, so a retried first join cannot leave a
                // defunct member behind; it is forgotten if it does not return within its session timeout
                group.pendingMembers.put(newMemberId, schedule(join.sessionTimeoutMs, () -> pendingMemberExpired(group, newMemberId)));
                join.respond.accept(JoinOutcome.error(ErrorCode.MEMBER_ID_REQUIRED, newMemberId));
            } else {
                addMember(group, newMemberId, join);
            }
        }
    }

    private void pendingMemberExpired(ClassicGroup group, String memberId) {
        if (group.pendingMembers.remove(memberId) == null || groups.get(group.groupId()) != group) {
            return;
        }
        log.info("Pending member {} of group {} did not rejoin within its session timeout; forgotten", ClientText.escape(memberId), ClientText.escape(group.groupId()));
        maybeCompleteJoinPhase(group);
        removeIfUnused(group);
    }

    private void joinKnownMember(ClassicGroup group, JoinRequest join) {
        String memberId = join.memberId;
        if (group.isPendingMember(memberId) && join.instanceId == null) {
            addMember(group, memberId, join);
            return;
        }
        ErrorCode invalid = validateMember(group, memberId, join.instanceId);
        if (invalid != ErrorCode.NONE) {
            join.respond.accept(JoinOutcome.error(invalid, memberId));
            return;
        }
        GroupMember member = group.member(memberId);
        long now = scheduler.nowMs();
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, join);
            case COMPLETING_REBALANCE -> {
                if (member.sameProtocols(join.protocols)) {
                    // the member lost its join response: answer again with this generation
                    armSession(group, member, member.sessionTimeoutMs, now);
                    join.respond.accept(currentGeneration(group, memberId, group.isLeader(memberId), false));
                } else {
                    updateMemberAndRebalance(group, member, join);
                }
            }
            case STABLE -> {
                if (group.isLeader(memberId) || !member.sameProtocols(join.protocols)) {
                    // a leader's join is how a consumer asks for a rebalance (e.g. new partitions)
                    updateMemberAndRebalance(group, member, join);
                } else {
                    armSession(group, member, member.sessionTimeoutMs, now);
                    join.respond.accept(currentGeneration(group, memberId, false, false));
                }
            }
            default -> join.respond.accept(JoinOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID, memberId));
        }
    }

    private void addMember(ClassicGroup group, String memberId, JoinRequest join) {
        cancel(group.pendingMembers.remove(memberId));
        GroupMember member = new GroupMember(memberId, join.instanceId, join.clientId, join.clientHost,
            join.rebalanceTimeoutMs, join.sessionTimeoutMs, join.protocols);
        member.isNew = true;
        member.awaitingJoin = join.respond;
        group.add(member, join.protocolType);
        // a parked first join cannot heartbeat; it is given up after Kafka's new-member timeout instead
        armSession(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS, scheduler.nowMs());
        if (group.is(GroupState.PREPARING_REBALANCE) && group.generationId() == 0) {
            group.newMemberAdded = true;
        }
        maybePrepareRebalanceOrCompleteJoin(group, "new member " + memberId + " joined");
    }

    private void updateMemberAndRebalance(ClassicGroup group, GroupMember member, JoinRequest join) {
        member.protocols = List.copyOf(join.protocols);
        member.rebalanceTimeoutMs = join.rebalanceTimeoutMs;
        member.sessionTimeoutMs = join.sessionTimeoutMs;
        // a second JoinGroup replaces a parked one (its connection is gone); the old one is told to retry
        member.completeJoin(JoinOutcome.error(ErrorCode.REBALANCE_IN_PROGRESS, member.memberId()));
        member.awaitingJoin = join.respond;
        maybePrepareRebalanceOrCompleteJoin(group, "member " + member.memberId() + " rejoined");
    }

    /**
     * A static member (known group instance id) joining without its member id: a restarted consumer. It gets
     * a new member id in its old slot; the old id is fenced. In a Stable group whose selected protocol the
     * member's protocols do not change, there is no rebalance: the slot keeps its assignment, and the member
     * gets it with SyncGroup (Kafka's rule; the same metadata is the usual case and needs nothing more).
     */
    private void rejoinStaticMember(ClassicGroup group, GroupMember member, String newMemberId, JoinRequest join) {
        String oldMemberId = member.memberId();
        List<Protocol> oldProtocols = member.protocols;
        int oldRebalanceTimeout = member.rebalanceTimeoutMs;
        int oldSessionTimeout = member.sessionTimeoutMs;
        member.completeJoin(JoinOutcome.error(ErrorCode.FENCED_INSTANCE_ID, oldMemberId));
        member.completeSync(SyncOutcome.error(ErrorCode.FENCED_INSTANCE_ID));
        group.replaceStaticMemberId(member, newMemberId);
        member.protocols = List.copyOf(join.protocols);
        member.rebalanceTimeoutMs = join.rebalanceTimeoutMs;
        member.sessionTimeoutMs = join.sessionTimeoutMs;
        long now = scheduler.nowMs();
        armSession(group, member, member.sessionTimeoutMs, now);
        switch (group.state()) {
            case STABLE -> {
                if (group.selectProtocol().equals(group.protocolName())) {
                    ErrorCode stored = append(List.of(groupMetadataRecord(group, null)), false);
                    if (stored != ErrorCode.NONE) {
                        group.replaceStaticMemberId(member, oldMemberId);
                        member.protocols = oldProtocols;
                        member.rebalanceTimeoutMs = oldRebalanceTimeout;
                        member.sessionTimeoutMs = oldSessionTimeout;
                        join.respond.accept(JoinOutcome.error(stored, ""));
                        return;
                    }
                    log.info("Static member {} of group {} rejoined as {} without a rebalance", ClientText.escape(join.instanceId),
                        ClientText.escape(group.groupId()), ClientText.escape(newMemberId));
                    boolean leader = group.isLeader(newMemberId);
                    // v9+ tells a rejoining leader to skip the assignment; older leaders get no member list
                    boolean skip = leader && join.version >= 9;
                    join.respond.accept(currentGeneration(group, newMemberId, skip, skip));
                } else {
                    member.awaitingJoin = join.respond;
                    prepareRebalance(group, "static member " + join.instanceId + " rejoined with another protocol");
                }
            }
            case COMPLETING_REBALANCE -> {
                // the leader may have been given the old member id: a new round hands out the new one
                member.awaitingJoin = join.respond;
                prepareRebalance(group, "static member " + join.instanceId + " rejoined during CompletingRebalance");
            }
            case PREPARING_REBALANCE -> {
                member.awaitingJoin = join.respond;
                maybeCompleteJoinPhase(group);
            }
            default -> throw new IllegalStateException("Static member " + join.instanceId + " of group " + group.groupId()
                + " found in state " + group.state());
        }
    }

    /** The answer for a member joining a generation that is already complete. */
    private JoinOutcome currentGeneration(ClassicGroup group, String memberId, boolean withMembers, boolean skipAssignment) {
        return new JoinOutcome(ErrorCode.NONE, memberId, group.generationId(), group.protocolType(), group.protocolName(),
            group.leaderId(), skipAssignment, withMembers ? joinedMembers(group) : List.of());
    }

    private static List<JoinOutcome.JoinedMember> joinedMembers(ClassicGroup group) {
        List<JoinOutcome.JoinedMember> members = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            members.add(new JoinOutcome.JoinedMember(m.memberId(), m.groupInstanceId(), m.metadata(group.protocolName())));
        }
        return members;
    }

    private void maybePrepareRebalanceOrCompleteJoin(ClassicGroup group, String reason) {
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.EMPTY)) {
            prepareRebalance(group, reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    /** Completes the join phase once every member rejoined, except in a new group's initial delay. */
    private void maybeCompleteJoinPhase(ClassicGroup group) {
        if (group.is(GroupState.PREPARING_REBALANCE) && group.hasAllMembersJoined() && group.previousState() != GroupState.EMPTY) {
            completeJoinPhase(group);
        }
    }

    private void prepareRebalance(ClassicGroup group, String reason) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            resetAssignmentsWithError(group, ErrorCode.REBALANCE_IN_PROGRESS);
        }
        cancel(group.syncTimer);
        group.syncTimer = null;
        boolean initial = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, scheduler.nowMs());
        log.info("Preparing to rebalance group {} in generation {} ({} members): {}", ClientText.escape(group.groupId()), group.generationId(),
            group.size(), ClientText.escape(reason));
        if (initial) {
            int delay = config.initialRebalanceDelayMs();
            int remaining = Math.max(rebalanceTimeoutMs(group) - delay, 0);
            armJoinTimer(group, delay, () -> initialDelayExpired(group, delay, remaining));
        } else if (group.hasAllMembersJoined()) {
            completeJoinPhase(group);
        } else {
            armJoinTimer(group, rebalanceTimeoutMs(group), () -> completeJoinPhase(group));
        }
    }

    /** A new group waits group.initial.rebalance.delay.ms more whenever a member joined, up to its rebalance timeout. */
    private void initialDelayExpired(ClassicGroup group, int delayMs, int remainingMs) {
        if (group.newMemberAdded && remainingMs != 0) {
            group.newMemberAdded = false;
            int nextDelay = Math.min(config.initialRebalanceDelayMs(), remainingMs);
            int nextRemaining = Math.max(remainingMs - delayMs, 0);
            armJoinTimer(group, nextDelay, () -> initialDelayExpired(group, nextDelay, nextRemaining));
        } else {
            completeJoinPhase(group);
        }
    }

    /**
     * Ends the join phase: dynamic members that did not rejoin are removed (the rebalance timeout), a leader
     * that rejoined is kept or one is elected among those that did, the next generation begins, and every
     * parked JoinGroup is answered (the leader with the members and their metadata).
     */
    private void completeJoinPhase(ClassicGroup group) {
        cancel(group.joinTimer);
        group.joinTimer = null;
        if (group.is(GroupState.DEAD)) {
            return;
        }
        for (GroupMember m : group.members()) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                log.info("Member {} of group {} did not rejoin within the rebalance timeout; removing it", ClientText.escape(m.memberId()),
                    ClientText.escape(group.groupId()));
                cancel(m.sessionTimer);
                m.completeSync(SyncOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID));
                group.remove(m.memberId());
            }
        }
        if (!group.electJoinedLeader() && group.size() > 0) {
            // only static members that have not rejoined are left: wait for them or their session timeouts
            armJoinTimer(group, rebalanceTimeoutMs(group), () -> completeJoinPhase(group));
            return;
        }
        long now = scheduler.nowMs();
        group.initNextGeneration(now);
        if (group.is(GroupState.EMPTY)) {
            log.info("Group {} is empty in generation {}", ClientText.escape(group.groupId()), group.generationId());
            ErrorCode stored = append(List.of(groupMetadataRecord(group, null)), false);
            if (stored != ErrorCode.NONE) {
                log.warn("Could not store the empty generation {} of group {}: {}", group.generationId(), ClientText.escape(group.groupId()), stored);
            }
            return;
        }
        log.info("Group {} completed its join phase: generation {}, protocol {}, leader {}, {} members", ClientText.escape(group.groupId()),
            group.generationId(), ClientText.escape(group.protocolName()), ClientText.escape(group.leaderId()), group.size());
        List<Runnable> answers = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            boolean leader = group.isLeader(m.memberId());
            JoinOutcome outcome = currentGeneration(group, m.memberId(), leader, false);
            answers.add(() -> m.completeJoin(outcome));
            m.isNew = false;
            armSession(group, m, m.sessionTimeoutMs, now);
            group.pendingSyncMembers.add(m.memberId());
        }
        int generation = group.generationId();
        cancel(group.syncTimer);
        group.syncTimer = schedule(rebalanceTimeoutMs(group), () -> pendingSyncExpired(group, generation));
        answers.forEach(Runnable::run);
    }

    /** Members that got their join response but sent no SyncGroup within the rebalance timeout are removed. */
    private void pendingSyncExpired(ClassicGroup group, int generation) {
        group.syncTimer = null;
        if (groups.get(group.groupId()) != group || group.generationId() != generation
            || !(group.is(GroupState.COMPLETING_REBALANCE) || group.is(GroupState.STABLE))
            || group.pendingSyncMembers.isEmpty()) {
            return;
        }
        List<String> missing = List.copyOf(group.pendingSyncMembers);
        log.info("Members {} of group {} sent no SyncGroup within the rebalance timeout; removing them", ClientText.escape(String.valueOf(missing)), ClientText.escape(group.groupId()));
        for (String memberId : missing) {
            GroupMember m = group.member(memberId);
            if (m != null) {
                cancel(m.sessionTimer);
                m.completeJoin(JoinOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID, ""));
                group.remove(memberId);
            }
        }
        prepareRebalance(group, "members " + missing + " sent no SyncGroup");
    }

    private void resetAssignmentsWithError(ClassicGroup group, ErrorCode error) {
        List<GroupMember> waiting = new ArrayList<>();
        for (GroupMember m : group.memberView()) {
            m.assignment = GroupMember.NO_ASSIGNMENT;
            if (m.isAwaitingSync()) {
                waiting.add(m);
            }
        }
        waiting.forEach(m -> m.completeSync(SyncOutcome.error(error)));
    }

    /** Removes a member that left or expired, and rebalances what remains. */
    private void removeMember(ClassicGroup group, GroupMember member, String reason) {
        cancel(member.sessionTimer);
        member.sessionTimer = null;
        group.remove(member.memberId());
        member.completeJoin(JoinOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID, ""));
        member.completeSync(SyncOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID));
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
            prepareRebalance(group, "member " + member.memberId() + " removed: " + reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    private ErrorCode validateMember(ClassicGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            String existing = group.staticMemberId(instanceId);
            if (existing == null) {
                return ErrorCode.UNKNOWN_MEMBER_ID;
            }
            if (!existing.equals(memberId)) {
                return ErrorCode.FENCED_INSTANCE_ID;
            }
        }
        return group.hasMember(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
    }

    // =====================================================================================================
    // SyncGroup

    /** A SyncGroup, answered through {@code respond} now or when the leader's assignment is stored. */
    public void syncGroup(Struct request, short version, Consumer<SyncOutcome> respond) {
        String groupId = request.get(SyncGroupRequest.GROUP_ID);
        String memberId = request.get(SyncGroupRequest.MEMBER_ID);
        String instanceId = request.get(SyncGroupRequest.GROUP_INSTANCE_ID);
        int generation = request.get(SyncGroupRequest.GENERATION_ID);
        String protocolType = request.get(SyncGroupRequest.PROTOCOL_TYPE);
        String protocolName = request.get(SyncGroupRequest.PROTOCOL_NAME);
        if (groupId == null || groupId.isEmpty()) {
            respond.accept(SyncOutcome.error(ErrorCode.INVALID_GROUP_ID));
            return;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            respond.accept(SyncOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID));
            return;
        }
        if (group.is(GroupState.DEAD)) {
            respond.accept(SyncOutcome.error(ErrorCode.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        ErrorCode invalid = validateMember(group, memberId, instanceId);
        if (invalid == ErrorCode.NONE && generation != group.generationId()) {
            invalid = ErrorCode.ILLEGAL_GENERATION;
        }
        if (invalid == ErrorCode.NONE && ((protocolType != null && !protocolType.equals(group.protocolType()))
            || (protocolName != null && !protocolName.equals(group.protocolName())))) {
            invalid = ErrorCode.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (invalid != ErrorCode.NONE) {
            respond.accept(SyncOutcome.error(invalid));
            return;
        }
        GroupMember member = group.member(memberId);
        long now = scheduler.nowMs();
        switch (group.state()) {
            case PREPARING_REBALANCE -> respond.accept(SyncOutcome.error(ErrorCode.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                member.completeSync(SyncOutcome.error(ErrorCode.REBALANCE_IN_PROGRESS));
                member.awaitingSync = respond;
                group.pendingSyncMembers.remove(memberId);
                armSession(group, member, member.sessionTimeoutMs, now);
                if (group.isLeader(memberId)) {
                    Map<String, byte[]> assignments = new HashMap<>();
                    for (Struct a : request.get(SyncGroupRequest.ASSIGNMENTS)) {
                        assignments.put(a.get(SyncGroupRequestAssignment.MEMBER_ID), copy(a.get(SyncGroupRequestAssignment.ASSIGNMENT)));
                    }
                    completeAssignment(group, assignments);
                }
            }
            case STABLE -> {
                group.pendingSyncMembers.remove(memberId);
                armSession(group, member, member.sessionTimeoutMs, now);
                respond.accept(new SyncOutcome(ErrorCode.NONE, group.protocolType(), group.protocolName(), member.assignment));
            }
            default -> respond.accept(SyncOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID));
        }
    }

    /** Stores the leader's assignment, then hands every member its part and makes the group Stable. */
    private void completeAssignment(ClassicGroup group, Map<String, byte[]> assignments) {
        ErrorCode stored = append(List.of(groupMetadataRecord(group, assignments)), false);
        if (stored != ErrorCode.NONE) {
            log.warn("Could not store the assignment of group {} generation {}: {}", ClientText.escape(group.groupId()), group.generationId(), stored);
            resetAssignmentsWithError(group, stored);
            maybePrepareRebalanceOrCompleteJoin(group, "storing the assignment failed with " + stored);
            return;
        }
        for (GroupMember m : group.memberView()) {
            byte[] assignment = assignments.get(m.memberId());
            m.assignment = assignment == null ? GroupMember.NO_ASSIGNMENT : assignment;
        }
        group.transitionTo(GroupState.STABLE, scheduler.nowMs());
        log.info("Group {} is stable in generation {} with {} members", ClientText.escape(group.groupId()), group.generationId(), group.size());
        List<GroupMember> waiting = new ArrayList<>();
        for (GroupMember m : group.memberView()) {
            if (m.isAwaitingSync()) {
                waiting.add(m);
            }
        }
        for (GroupMember m : waiting) {
            m.completeSync(new SyncOutcome(ErrorCode.NONE, group.protocolType(), group.protocolName(), m.assignment));
        }
    }

    // =====================================================================================================
    // Heartbeat

    public ErrorCode heartbeat(Struct request, short version) {
        String groupId = request.get(HeartbeatRequest.GROUP_ID);
        String memberId = request.get(HeartbeatRequest.MEMBER_ID);
        String instanceId = request.get(HeartbeatRequest.GROUP_INSTANCE_ID);
        int generation = request.get(HeartbeatRequest.GENERATION_ID);
        if (groupId == null || groupId.isEmpty()) {
            return ErrorCode.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.DEAD)) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        ErrorCode invalid = validateMember(group, memberId, instanceId);
        if (invalid != ErrorCode.NONE) {
            return invalid;
        }
        if (generation != group.generationId()) {
            return ErrorCode.ILLEGAL_GENERATION;
        }
        GroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE:
                armSession(group, member, member.sessionTimeoutMs, scheduler.nowMs());
                return ErrorCode.REBALANCE_IN_PROGRESS;
            case COMPLETING_REBALANCE:
            case STABLE:
                armSession(group, member, member.sessionTimeoutMs, scheduler.nowMs());
                return ErrorCode.NONE;
            default:
                return ErrorCode.UNKNOWN_MEMBER_ID;
        }
    }

    // =====================================================================================================
    // LeaveGroup

    /** A LeaveGroup (one member before v3, a batch from v3); returns the response body. */
    public Struct leaveGroup(Struct request, short version) {
        Struct response = LeaveGroupResponse.SCHEMA.newStruct();
        String groupId = request.get(LeaveGroupRequest.GROUP_ID);
        List<String[]> leaving = new ArrayList<>(); // {memberId, instanceId}
        if (version >= 3) {
            for (Struct m : request.get(LeaveGroupRequest.MEMBERS)) {
                leaving.add(new String[] {m.get(LeaveGroupRequest.MemberIdentity.MEMBER_ID),
                    m.get(LeaveGroupRequest.MemberIdentity.GROUP_INSTANCE_ID)});
            }
        } else {
            leaving.add(new String[] {request.get(LeaveGroupRequest.MEMBER_ID), null});
        }
        ClassicGroup group = groupId == null ? null : groups.get(groupId);
        if (groupId == null || groupId.isEmpty()) {
            return response.set(LeaveGroupResponse.ERROR_CODE, ErrorCode.INVALID_GROUP_ID.code());
        }
        if (group != null && group.is(GroupState.DEAD)) {
            return response.set(LeaveGroupResponse.ERROR_CODE, ErrorCode.COORDINATOR_NOT_AVAILABLE.code());
        }
        List<ErrorCode> results = new ArrayList<>(leaving.size());
        boolean anyLeft = false;
        for (String[] identity : leaving) {
            String memberId = identity[0] == null ? "" : identity[0];
            String instanceId = identity[1];
            ErrorCode result;
            if (group == null) {
                result = ErrorCode.UNKNOWN_MEMBER_ID;
            } else if (memberId.isEmpty()) {
                // administrative removal by group instance id (kafka-consumer-groups --delete-members)
                String staticId = instanceId == null ? null : group.staticMemberId(instanceId);
                if (staticId != null) {
                    removeOnLeave(group, group.member(staticId));
                    result = ErrorCode.NONE;
                    anyLeft = true;
                } else {
                    result = ErrorCode.UNKNOWN_MEMBER_ID;
                }
            } else if (group.isPendingMember(memberId)) {
                cancel(group.pendingMembers.remove(memberId));
                result = ErrorCode.NONE;
                anyLeft = true;
            } else {
                result = validateMember(group, memberId, instanceId);
                if (result == ErrorCode.NONE) {
                    removeOnLeave(group, group.member(memberId));
                    anyLeft = true;
                }
            }
            results.add(result);
        }
        if (group != null && anyLeft) {
            if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
                prepareRebalance(group, "members left");
            } else {
                maybeCompleteJoinPhase(group);
            }
            removeIfUnused(group);
        }
        if (version >= 3) {
            for (int i = 0; i < leaving.size(); i++) {
                response.add(LeaveGroupResponse.MEMBERS)
                    .set(LeaveGroupResponse.MemberResponse.MEMBER_ID, leaving.get(i)[0] == null ? "" : leaving.get(i)[0])
                    .set(LeaveGroupResponse.MemberResponse.GROUP_INSTANCE_ID, leaving.get(i)[1])
                    .set(LeaveGroupResponse.MemberResponse.ERROR_CODE, results.get(i).code());
            }
        } else {
            response.set(LeaveGroupResponse.ERROR_CODE, results.get(0).code());
        }
        return response;
    }

    private void removeOnLeave(ClassicGroup group, GroupMember member) {
        log.info("Member {} left group {}", ClientText.escape(member.memberId()), ClientText.escape(group.groupId()));
        cancel(member.sessionTimer);
        member.sessionTimer = null;
        group.remove(member.memberId());
        member.completeJoin(JoinOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID, ""));
        member.completeSync(SyncOutcome.error(ErrorCode.UNKNOWN_MEMBER_ID));
    }

    // =====================================================================================================
    // OffsetCommit

    /** An OffsetCommit; returns the response body once accepted commits are appended (or failed). */
    public Struct commitOffsets(Struct request, short version) {
        String groupId = request.get(OffsetCommitRequest.GROUP_ID);
        int generation = request.get(OffsetCommitRequest.GENERATION_ID_OR_MEMBER_EPOCH);
        String memberId = request.get(OffsetCommitRequest.MEMBER_ID);
        String instanceId = request.get(OffsetCommitRequest.GROUP_INSTANCE_ID);
        long retentionMs = request.get(OffsetCommitRequest.RETENTION_TIME_MS);
        if (memberId == null) {
            memberId = "";
        }
        ErrorCode groupError;
        ClassicGroup group = groupId == null ? null : groups.get(groupId);
        if (groupId == null || groupId.isEmpty()) {
            groupError = ErrorCode.INVALID_GROUP_ID;
        } else if (group == null) {
            // with a generation the commit comes from a member of a group that no longer exists
            groupError = generation < 0 ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
        } else {
            groupError = validateOffsetCommit(group, memberId, instanceId, generation);
        }
        long now = scheduler.nowMs();
        Struct response = OffsetCommitResponse.SCHEMA.newStruct();
        List<Struct> accepted = new ArrayList<>();
        List<CoordinatorRecord> records = new ArrayList<>();
        for (Struct topic : request.get(OffsetCommitRequest.TOPICS)) {
            String name = version >= 10 ? topics.topicName(topic.get(OffsetCommitRequestTopic.TOPIC_ID))
                : topic.get(OffsetCommitRequestTopic.NAME);
            UUID topicId = version >= 10 ? topic.get(OffsetCommitRequestTopic.TOPIC_ID) : (name == null ? null : topics.topicId(name));
            Struct out = response.add(OffsetCommitResponse.TOPICS)
                .set(OffsetCommitResponseTopic.NAME, topic.get(OffsetCommitRequestTopic.NAME))
                .set(OffsetCommitResponseTopic.TOPIC_ID, topic.get(OffsetCommitRequestTopic.TOPIC_ID));
            for (Struct p : topic.get(OffsetCommitRequestTopic.PARTITIONS)) {
                int partitionIndex = p.get(OffsetCommitRequestPartition.PARTITION_INDEX);
                Struct result = out.add(OffsetCommitResponseTopic.PARTITIONS)
                    .set(OffsetCommitResponsePartition.PARTITION_INDEX, partitionIndex);
                String metadata = p.get(OffsetCommitRequestPartition.COMMITTED_METADATA);
                ErrorCode error = groupError;
                if (error == ErrorCode.NONE) {
                    if (name == null && version >= 10) {
                        error = ErrorCode.UNKNOWN_TOPIC_ID;
                    } else if (name == null || !topics.exists(name, partitionIndex)) {
                        error = ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
                    } else if (metadata != null && metadata.length() > config.offsetMetadataMaxBytes()) {
                        error = ErrorCode.OFFSET_METADATA_TOO_LARGE;
                    }
                }
                result.set(OffsetCommitResponsePartition.ERROR_CODE, error.code());
                if (error == ErrorCode.NONE) {
                    OffsetCommitValue value = new OffsetCommitValue(p.get(OffsetCommitRequestPartition.COMMITTED_OFFSET),
                        p.get(OffsetCommitRequestPartition.COMMITTED_LEADER_EPOCH), metadata == null ? "" : metadata, now,
                        retentionMs >= 0 ? now + retentionMs : -1, topicId);
                    records.add(CoordinatorRecord.offsetCommit(new OffsetCommitKey(groupId, name, partitionIndex), value));
                    accepted.add(result);
                }
            }
        }
        if (!records.isEmpty()) {
            ErrorCode stored = append(records, true);
            if (stored == ErrorCode.NONE) {
                if (group == null) {
                    group = new ClassicGroup(groupId, now);
                    groups.put(groupId, group);
                }
                for (CoordinatorRecord r : records) {
                    OffsetCommitKey key = (OffsetCommitKey) r.key();
                    group.putOffset(key.topic(), key.partition(), (OffsetCommitValue) r.value());
                }
            } else {
                accepted.forEach(r -> r.set(OffsetCommitResponsePartition.ERROR_CODE, stored.code()));
            }
        }
        if (group != null && groupError == ErrorCode.NONE && group.hasMember(memberId)) {
            // a member's commit shows it is alive, as a heartbeat does
            GroupMember member = group.member(memberId);
            armSession(group, member, member.sessionTimeoutMs, now);
        }
        return response;
    }

    /** Kafka's rules for who may commit to a classic group. */
    private ErrorCode validateOffsetCommit(ClassicGroup group, String memberId, String instanceId, int generation) {
        if (group.is(GroupState.DEAD)) {
            return ErrorCode.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return ErrorCode.NONE; // a consumer managing its own partitions, or an admin tool
        }
        if (generation >= 0 || !memberId.isEmpty() || instanceId != null) {
            ErrorCode invalid = validateMember(group, memberId, instanceId);
            if (invalid != ErrorCode.NONE) {
                return invalid;
            }
            if (generation != group.generationId()) {
                return ErrorCode.ILLEGAL_GENERATION;
            }
        } else if (!group.is(GroupState.EMPTY)) {
            return ErrorCode.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            // the member has not received its assignment of this generation yet
            return ErrorCode.REBALANCE_IN_PROGRESS;
        }
        return ErrorCode.NONE;
    }

    // =====================================================================================================
    // OffsetFetch

    /** A topic asked for: by name, or by id (v10), with the partitions. */
    public record RequestedTopic(String name, UUID topicId, int[] partitions) {
    }

    /** One partition's committed offset, or -1 with metadata "" when there is none. */
    public record FetchedPartition(int partition, long offset, int leaderEpoch, String metadata, ErrorCode error) {
    }

    public record FetchedTopic(String name, UUID topicId, List<FetchedPartition> partitions) {
    }

    /**
     * The committed offsets of a group: of the requested topics, or all when {@code requested} is null. A
     * group without commits answers -1 for every partition asked for, as Kafka does. There are never pending
     * transactional commits here, so {@code require_stable} has nothing to wait for.
     */
    public List<FetchedTopic> fetchOffsets(String groupId, List<RequestedTopic> requested) {
        ClassicGroup group = groups.get(groupId);
        List<FetchedTopic> result = new ArrayList<>();
        if (requested == null) {
            if (group == null) {
                return result;
            }
            for (Map.Entry<String, Map<Integer, OffsetCommitValue>> t : group.offsets().entrySet()) {
                List<FetchedPartition> partitions = new ArrayList<>(t.getValue().size());
                for (Map.Entry<Integer, OffsetCommitValue> p : t.getValue().entrySet()) {
                    partitions.add(fetched(p.getKey(), p.getValue()));
                }
                partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
                result.add(new FetchedTopic(t.getKey(), topics.topicId(t.getKey()), partitions));
            }
            result.sort((a, b) -> a.name().compareTo(b.name()));
            return result;
        }
        for (RequestedTopic topic : requested) {
            List<FetchedPartition> partitions = new ArrayList<>(topic.partitions().length);
            for (int p : topic.partitions()) {
                if (topic.name() == null) {
                    partitions.add(new FetchedPartition(p, -1, -1, "", ErrorCode.UNKNOWN_TOPIC_ID));
                } else {
                    partitions.add(fetched(p, group == null ? null : group.offset(topic.name(), p)));
                }
            }
            result.add(new FetchedTopic(topic.name(), topic.topicId(), partitions));
        }
        return result;
    }

    private static FetchedPartition fetched(int partition, OffsetCommitValue value) {
        return value == null ? new FetchedPartition(partition, -1, -1, "", ErrorCode.NONE)
            : new FetchedPartition(partition, value.offset(), value.leaderEpoch(), value.metadata(), ErrorCode.NONE);
    }

    // =====================================================================================================
    // DescribeGroups, ListGroups, DeleteGroups

    /** A member as DescribeGroups shows it; metadata and assignment only while the group is Stable. */
    public record DescribedMember(String memberId, String groupInstanceId, String clientId, String clientHost,
                                  byte[] metadata, byte[] assignment) {
    }

    /** A group as DescribeGroups shows it; null fields of an unknown group are reported as Kafka does. */
    public record GroupDescription(String groupId, boolean exists, String state, String protocolType, String protocolData,
                                   List<DescribedMember> members) {
    }

    public GroupDescription describeGroup(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return new GroupDescription(groupId, false, GroupState.DEAD.wireName(), "", "", List.of());
        }
        boolean stable = group.is(GroupState.STABLE);
        List<DescribedMember> members = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            members.add(new DescribedMember(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                stable ? m.metadata(group.protocolName()) : GroupMember.NO_ASSIGNMENT,
                stable ? m.assignment : GroupMember.NO_ASSIGNMENT));
        }
        return new GroupDescription(groupId, true, group.state().wireName(),
            group.protocolType() == null ? "" : group.protocolType(),
            stable && group.protocolName() != null ? group.protocolName() : "", members);
    }

    /** A group as ListGroups shows it. */
    public record ListedGroup(String groupId, String protocolType, String state) {
    }

    /** The groups in the given states (all when {@code states} is empty), never Dead ones. */
    public List<ListedGroup> listGroups(Set<GroupState> states) {
        List<ListedGroup> result = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            if (group.is(GroupState.DEAD) || (!states.isEmpty() && !states.contains(group.state()))) {
                continue;
            }
            result.add(new ListedGroup(group.groupId(), group.protocolType() == null ? "" : group.protocolType(),
                group.state().wireName()));
        }
        return result;
    }

    /** Deletes an Empty group and its offsets: tombstones first, then the group is Dead and forgotten. */
    public ErrorCode deleteGroup(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return ErrorCode.GROUP_ID_NOT_FOUND;
        }
        if (!group.is(GroupState.EMPTY)) {
            return ErrorCode.NON_EMPTY_GROUP;
        }
        List<CoordinatorRecord> tombstones = new ArrayList<>(group.offsetCount() + 1);
        group.offsets().forEach((topic, partitions) -> partitions.keySet().forEach(
            p -> tombstones.add(CoordinatorRecord.tombstone(new OffsetCommitKey(groupId, topic, p)))));
        tombstones.add(CoordinatorRecord.tombstone(new GroupMetadataKey(groupId)));
        ErrorCode stored = append(tombstones, false);
        if (stored != ErrorCode.NONE) {
            return stored;
        }
        forgetGroup(group);
        log.info("Group {} deleted with its {} offsets", ClientText.escape(groupId), tombstones.size() - 1);
        return ErrorCode.NONE;
    }

    private void forgetGroup(ClassicGroup group) {
        cancel(group.joinTimer);
        cancel(group.syncTimer);
        group.pendingMembers.values().forEach(GroupShard::cancel);
        group.pendingMembers.clear();
        group.markDead(scheduler.nowMs());
        groups.remove(group.groupId());
    }

    /** Drops a group that holds nothing: no members, pending members, offsets or stored metadata. */
    private void removeIfUnused(ClassicGroup group) {
        if (group.is(GroupState.EMPTY) && group.size() == 0 && group.pendingMembers.isEmpty() && group.offsetCount() == 0
            && !group.hasMetadataRecord && group.generationId() == 0) {
            groups.remove(group.groupId(), group);
        }
    }

    // =====================================================================================================
    // OffsetDelete

    /** An OffsetDelete; returns the response body. */
    public Struct deleteOffsets(Struct request, short version) {
        Struct response = OffsetDeleteResponse.SCHEMA.newStruct();
        String groupId = request.get(OffsetDeleteRequest.GROUP_ID);
        ClassicGroup group = groupId == null ? null : groups.get(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return response.set(OffsetDeleteResponse.ERROR_CODE, ErrorCode.GROUP_ID_NOT_FOUND.code());
        }
        boolean empty = group.is(GroupState.EMPTY);
        if (!empty && !ConsumerProtocolTopics.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            return response.set(OffsetDeleteResponse.ERROR_CODE, ErrorCode.NON_EMPTY_GROUP.code());
        }
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        List<Struct> deleted = new ArrayList<>();
        for (Struct topic : request.get(OffsetDeleteRequest.TOPICS)) {
            String name = topic.get(OffsetDeleteRequest.OffsetDeleteRequestTopic.NAME);
            Struct out = response.add(OffsetDeleteResponse.TOPICS).set(OffsetDeleteResponse.OffsetDeleteResponseTopic.NAME, name);
            boolean subscribed = !empty && group.isSubscribedTo(name);
            for (Struct p : topic.get(OffsetDeleteRequest.OffsetDeleteRequestTopic.PARTITIONS)) {
                int index = p.get(OffsetDeleteRequest.OffsetDeleteRequestPartition.PARTITION_INDEX);
                Struct result = out.add(OffsetDeleteResponse.OffsetDeleteResponseTopic.PARTITIONS)
                    .set(OffsetDeleteResponse.OffsetDeleteResponsePartition.PARTITION_INDEX, index);
                if (subscribed) {
                    result.set(OffsetDeleteResponse.OffsetDeleteResponsePartition.ERROR_CODE, ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC.code());
                } else {
                    result.set(OffsetDeleteResponse.OffsetDeleteResponsePartition.ERROR_CODE, ErrorCode.NONE.code());
                    if (group.offset(name, index) != null) {
                        tombstones.add(CoordinatorRecord.tombstone(new OffsetCommitKey(groupId, name, index)));
                        deleted.add(result);
                    }
                }
            }
        }
        if (!tombstones.isEmpty()) {
            ErrorCode stored = append(tombstones, false);
            if (stored != ErrorCode.NONE) {
                return OffsetDeleteResponse.SCHEMA.newStruct().set(OffsetDeleteResponse.ERROR_CODE, stored.code());
            }
            for (CoordinatorRecord r : tombstones) {
                OffsetCommitKey key = (OffsetCommitKey) r.key();
                group.removeOffset(key.topic(), key.partition());
            }
        }
        return response;
    }

    // =====================================================================================================
    // offset expiry

    private void expireOffsetsAndReschedule() {
        try {
            expireOffsets();
        } finally {
            if (status == Status.ACTIVE) {
                expiryTimer = schedule(config.offsetsRetentionCheckIntervalMs(), this::expireOffsetsAndReschedule);
            }
        }
    }

    /**
     * Writes tombstones for expired offsets, Kafka's rules: a commit with its own expiry (v1 value) expires
     * then; otherwise an Empty group's offsets expire offsets.retention.minutes after it became empty (after
     * the commit for a group without a protocol), and a Stable consumer group's offsets of topics it no
     * longer subscribes to expire that long after their commit. An Empty group left without offsets is
     * deleted. Returns the number of offsets expired.
     */
    public int expireOffsets() {
        long now = scheduler.nowMs();
        long retention = config.offsetsRetentionMs();
        int expired = 0;
        for (ClassicGroup group : List.copyOf(groups.values())) {
            boolean empty = group.is(GroupState.EMPTY);
            boolean simple = group.protocolType() == null;
            boolean stableConsumer = group.is(GroupState.STABLE) && group.knowsSubscriptions();
            if (!empty && !stableConsumer && !simple) {
                continue;
            }
            List<CoordinatorRecord> tombstones = new ArrayList<>();
            for (Map.Entry<String, Map<Integer, OffsetCommitValue>> t : group.offsets().entrySet()) {
                if (stableConsumer && !empty && group.isSubscribedTo(t.getKey())) {
                    continue;
                }
                for (Map.Entry<Integer, OffsetCommitValue> p : t.getValue().entrySet()) {
                    OffsetCommitValue v = p.getValue();
                    long base = empty && !simple ? group.stateTimestampMs() : v.commitTimestamp();
                    long expiresAt = v.expireTimestamp() >= 0 ? v.expireTimestamp() : base + retention;
                    if (expiresAt <= now) {
                        tombstones.add(CoordinatorRecord.tombstone(new OffsetCommitKey(group.groupId(), t.getKey(), p.getKey())));
                    }
                }
            }
            boolean deleteGroup = empty && group.size() == 0 && group.pendingMembers.isEmpty()
                && tombstones.size() == group.offsetCount();
            if (deleteGroup) {
                tombstones.add(CoordinatorRecord.tombstone(new GroupMetadataKey(group.groupId())));
            }
            if (tombstones.isEmpty()) {
                continue;
            }
            ErrorCode stored = append(tombstones, false);
            if (stored != ErrorCode.NONE) {
                log.warn("Could not expire the offsets of group {}: {}", ClientText.escape(group.groupId()), stored);
                continue;
            }
            for (CoordinatorRecord r : tombstones) {
                if (r.key() instanceof OffsetCommitKey key) {
                    group.removeOffset(key.topic(), key.partition());
                    expired++;
                }
            }
            if (deleteGroup) {
                log.info("Group {} expired: empty for offsets.retention.minutes with no offsets left", ClientText.escape(group.groupId()));
                forgetGroup(group);
            }
        }
        return expired;
    }

    // =====================================================================================================
    // snapshots and persistence

    /** The group as it is now, for tests and tools; null if there is no such group. */
    public GroupSnapshot snapshot(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return null;
        }
        List<GroupSnapshot.Member> members = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            members.add(new GroupSnapshot.Member(m.memberId(), m.groupInstanceId(), m.sessionTimeoutMs, m.rebalanceTimeoutMs,
                m.assignment, m.isAwaitingJoin(), m.isAwaitingSync()));
        }
        Map<String, Map<Integer, Long>> offsets = new HashMap<>();
        group.offsets().forEach((t, ps) -> ps.forEach((p, v) -> offsets.computeIfAbsent(t, x -> new HashMap<>()).put(p, v.offset())));
        return new GroupSnapshot(group.groupId(), group.state(), group.generationId(), group.protocolType(),
            group.protocolName(), group.leaderId(), members, Set.copyOf(group.pendingSyncMembers),
            group.pendingMembers.size(), offsets);
    }

    /** Group ids of this partition, for tests and tools. */
    public Set<String> groupIds() {
        return Set.copyOf(groups.keySet());
    }

    /** The group's record: its members with their metadata for the selected protocol and their assignments. */
    private GroupMetadataValue groupMetadataValue(ClassicGroup group, Map<String, byte[]> assignments) {
        List<MemberMetadata> members = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            byte[] assignment = assignments == null ? m.assignment : assignments.getOrDefault(m.memberId(), GroupMember.NO_ASSIGNMENT);
            byte[] subscription = m.metadata(group.protocolName());
            members.add(new MemberMetadata(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(), m.rebalanceTimeoutMs,
                m.sessionTimeoutMs, subscription == null ? GroupMember.NO_ASSIGNMENT : subscription, assignment));
        }
        return new GroupMetadataValue(group.protocolType() == null ? "" : group.protocolType(), group.generationId(),
            group.protocolName(), group.leaderId(), group.stateTimestampMs(), members);
    }

    private CoordinatorRecord groupMetadataRecord(ClassicGroup group, Map<String, byte[]> assignments) {
        group.hasMetadataRecord = true;
        return CoordinatorRecord.groupMetadata(group.groupId(), groupMetadataValue(group, assignments));
    }

    /**
     * Appends records to the partition; NONE once they are in the log, else the error to answer with
     * (Kafka's mapping: too large is INVALID_COMMIT_OFFSET_SIZE for commits and UNKNOWN_SERVER_ERROR
     * otherwise; a storage failure is NOT_COORDINATOR, so clients look for the coordinator again).
     */
    private ErrorCode append(List<CoordinatorRecord> records, boolean isCommit) {
        try {
            storage.append(records, scheduler.nowMs());
            return ErrorCode.NONE;
        } catch (RecordTooLargeException | RecordBatchTooLargeException e) {
            log.warn("Records for {} are too large for {}: {}", ClientText.escape(records.get(0).key().group()), storage.log().topicPartition(),
                e.getMessage());
            return isCommit ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : ErrorCode.UNKNOWN_SERVER_ERROR;
        } catch (RuntimeException e) {
            log.error("Cannot append to {}", storage.log().topicPartition(), e);
            return ErrorCode.NOT_COORDINATOR;
        }
    }

    private static byte[] copy(ByteBuffer b) {
        if (b == null) {
            return GroupMember.NO_ASSIGNMENT;
        }
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
