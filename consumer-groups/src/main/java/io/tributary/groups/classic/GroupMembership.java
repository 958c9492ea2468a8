package io.tributary.groups.classic;

import io.tributary.protocol.ClientText;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.GroupDescription;
import io.tributary.groups.GroupError;
import io.tributary.groups.Heartbeat;
import io.tributary.groups.JoinGroup;
import io.tributary.groups.JoinOutcome;
import io.tributary.groups.LeaveGroup;
import io.tributary.groups.LeaveOutcome;
import io.tributary.groups.ListedGroups;
import io.tributary.groups.Protocol;
import io.tributary.groups.SyncGroup;
import io.tributary.groups.SyncOutcome;
import io.tributary.groups.storage.CoordinatorRecord;
import io.tributary.groups.storage.GroupMetadataKey;
import io.tributary.groups.storage.GroupMetadataValue;
import io.tributary.groups.storage.MemberMetadata;
import io.tributary.groups.timer.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The classic group membership state machine of one {@code __consumer_offsets} partition: join, sync,
 * heartbeat and leave, the rebalance with its timeouts, generations, static membership, and the group
 * records that make a completed generation durable. It follows Apache Kafka's classic group coordinator
 * rule for rule (the comments say where we differ and why). Committed offsets are the {@link OffsetStore}'s.
 *
 * <p>Invariant: every group of the partition that has members, pending members, a stored group record or
 * committed offsets is in {@code groups}, in the state {@link ClassicGroup} allows, and the group's record in
 * the log describes its last completed generation: a change that must survive (a completed assignment, a
 * group becoming empty, a static member's new id) is appended through {@link ShardContext#append} before it is
 * applied and answered. Membership during a rebalance is not written, as in Kafka: after a restart the group
 * comes back at its last completed generation, and members that do not heartbeat expire.
 *
 * <h2>Timers</h2>
 * All through {@link ShardContext#schedule}, so a firing timer runs on the partition's thread and checks
 * that it is still current. Per member one session timer checks a deadline that heartbeats move forward, so a
 * heartbeat costs no scheduling; per group one join timer (initial delay or rebalance timeout) and one
 * pending-sync timer.
 *
 * <p>Touched only by the partition's thread ({@link GroupShard} says why).
 */
final class GroupMembership {
    private static final Logger log = LoggerFactory.getLogger(GroupMembership.class);
    /** Kafka's limit on how long a new member's first JoinGroup may be parked (its session cannot expire then). */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    private final GroupCoordinatorConfig config;
    private final ShardContext shard;
    /** Whether a group has committed offsets: such a group is kept even when nothing else holds it. */
    private final Predicate<String> hasOffsets;
    private final Map<String, ClassicGroup> groups = new HashMap<>();

    GroupMembership(GroupCoordinatorConfig config, ShardContext shard, Predicate<String> hasOffsets) {
        this.config = config;
        this.shard = shard;
        this.hasOffsets = hasOffsets;
    }

    // =====================================================================================================
    // groups

    /** The group, or null. */
    ClassicGroup group(String groupId) {
        return groupId == null ? null : groups.get(groupId);
    }

    /** The group, created Empty if it does not exist (a group that only commits offsets). */
    ClassicGroup getOrCreate(String groupId, long now) {
        return groups.computeIfAbsent(groupId, id -> new ClassicGroup(id, now));
    }

    /** The groups as they are now, in a list of their own (callers may forget groups while iterating). */
    List<ClassicGroup> groups() {
        return List.copyOf(groups.values());
    }

    Set<String> groupIds() {
        return Set.copyOf(groups.keySet());
    }

    // =====================================================================================================
    // load, activate, unload

    /** Applies a group record read at load: a completed generation, or (null value) a tombstone. */
    void replay(String groupId, GroupMetadataValue value, long now) {
        ClassicGroup group = groups.get(groupId);
        if (value == null) {
            if (group != null) {
                group.resetMembership(now);
            }
            return;
        }
        if (group == null) {
            group = new ClassicGroup(groupId, now);
            groups.put(groupId, group);
        }
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

    /** After load: drops groups that hold nothing (no members, no stored record, no offsets). */
    void dropUnusedAfterLoad() {
        groups.values().removeIf(g -> g.size() == 0 && !hasOffsets.test(g.groupId()) && !g.hasMetadataRecord);
    }

    /** Starts serving: members of loaded groups get their session timers, oversized groups rebalance. */
    void activate() {
        long now = shard.nowMs();
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
    }

    /** Stops serving: every parked request is answered NOT_COORDINATOR, timers are dropped, groups forgotten. */
    void unload(boolean wasActive) {
        if (!wasActive) {
            groups.clear();
            return;
        }
        List<Runnable> answers = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            cancel(group.joinTimer);
            cancel(group.syncTimer);
            group.pendingMembers.values().forEach(GroupMembership::cancel);
            for (GroupMember member : group.memberView()) {
                cancel(member.sessionTimer);
                answers.add(() -> member.completeJoin(JoinOutcome.error(GroupError.NOT_COORDINATOR, member.memberId())));
                answers.add(() -> member.completeSync(SyncOutcome.error(GroupError.NOT_COORDINATOR)));
            }
        }
        groups.clear();
        answers.forEach(Runnable::run);
    }

    // =====================================================================================================
    // timers

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
            member.sessionTimer = shard.schedule(timeoutMs, () -> sessionTimerFired(group, member));
        }
    }

    private void sessionTimerFired(ClassicGroup group, GroupMember member) {
        member.sessionTimer = null;
        if (groups.get(group.groupId()) != group || group.member(member.memberId()) != member) {
            return;
        }
        long now = shard.nowMs();
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
        group.joinTimer = shard.schedule(delayMs, () -> {
            group.joinTimer = null;
            if (groups.get(group.groupId()) == group) {
                task.run();
            }
        });
    }

    // =====================================================================================================
    // JoinGroup

    /** A JoinGroup, answered through {@code respond} now or when the rebalance completes. */
    void joinGroup(JoinGroup request, Consumer<JoinOutcome> respond) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        String instanceId = request.groupInstanceId();
        int sessionTimeoutMs = request.sessionTimeoutMs();
        List<Protocol> protocols = request.protocols();
        if (groupId == null || groupId.isEmpty()) {
            respond.accept(JoinOutcome.error(GroupError.INVALID_GROUP_ID, memberId));
            return;
        }
        if (sessionTimeoutMs < config.minSessionTimeoutMs() || sessionTimeoutMs > config.maxSessionTimeoutMs()) {
            respond.accept(JoinOutcome.error(GroupError.INVALID_SESSION_TIMEOUT, memberId));
            return;
        }
        boolean unknownMember = memberId.isEmpty();
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            if (!unknownMember) {
                respond.accept(JoinOutcome.error(GroupError.UNKNOWN_MEMBER_ID, memberId));
                return;
            }
            group = new ClassicGroup(groupId, shard.nowMs());
            groups.put(groupId, group);
        }
        JoinRequest join = new JoinRequest(request.requiresKnownMemberId(), request.leaderMaySkipAssignment(), memberId,
            instanceId, request.clientId(), request.clientHost(), sessionTimeoutMs, request.rebalanceTimeoutMs(),
            request.protocolType(), protocols, respond);
        if (group.is(GroupState.DEAD)) {
            respond.accept(JoinOutcome.error(GroupError.COORDINATOR_NOT_AVAILABLE, memberId));
        } else if (!group.supportsProtocols(join.protocolType, protocols)) {
            respond.accept(JoinOutcome.error(GroupError.INCONSISTENT_GROUP_PROTOCOL, memberId));
        } else if (!acceptsJoiningMember(group, memberId)) {
            Scheduler.Cancellable pending = group.pendingMembers.remove(memberId);
            cancel(pending);
            respond.accept(JoinOutcome.error(GroupError.GROUP_MAX_SIZE_REACHED, ""));
        } else if (unknownMember) {
            joinNewMember(group, join);
        } else {
            joinKnownMember(group, join);
        }
        removeIfUnused(group);
    }

    private record JoinRequest(boolean requiresKnownMemberId, boolean leaderMaySkipAssignment, String memberId,
                               String instanceId, String clientId, String clientHost, int sessionTimeoutMs,
                               int rebalanceTimeoutMs, String protocolType, List<Protocol> protocols,
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
            if (join.requiresKnownMemberId) {
                // KIP-394: the member must come back with this id, so a retried first join cannot leave a
                // defunct member behind; it is forgotten if it does not return within its session timeout
                group.pendingMembers.put(newMemberId, shard.schedule(join.sessionTimeoutMs, () -> pendingMemberExpired(group, newMemberId)));
                join.respond.accept(JoinOutcome.error(GroupError.MEMBER_ID_REQUIRED, newMemberId));
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
        GroupError invalid = validateMember(group, memberId, join.instanceId);
        if (invalid != GroupError.NONE) {
            join.respond.accept(JoinOutcome.error(invalid, memberId));
            return;
        }
        GroupMember member = group.member(memberId);
        long now = shard.nowMs();
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
            default -> join.respond.accept(JoinOutcome.error(GroupError.UNKNOWN_MEMBER_ID, memberId));
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
        armSession(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS, shard.nowMs());
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
        member.completeJoin(JoinOutcome.error(GroupError.REBALANCE_IN_PROGRESS, member.memberId()));
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
        member.completeJoin(JoinOutcome.error(GroupError.FENCED_INSTANCE_ID, oldMemberId));
        member.completeSync(SyncOutcome.error(GroupError.FENCED_INSTANCE_ID));
        group.replaceStaticMemberId(member, newMemberId);
        member.protocols = List.copyOf(join.protocols);
        member.rebalanceTimeoutMs = join.rebalanceTimeoutMs;
        member.sessionTimeoutMs = join.sessionTimeoutMs;
        long now = shard.nowMs();
        armSession(group, member, member.sessionTimeoutMs, now);
        switch (group.state()) {
            case STABLE -> {
                if (group.selectProtocol().equals(group.protocolName())) {
                    int generation = group.generationId();
                    shard.append(List.of(groupMetadataRecord(group, null)), false, stored -> {
                        if (stored != GroupError.NONE) {
                            // Kafka's revert: the old id takes its slot back unless the group moved on meanwhile
                            if (group.member(newMemberId) == member) {
                                group.replaceStaticMemberId(member, oldMemberId);
                                member.protocols = oldProtocols;
                                member.rebalanceTimeoutMs = oldRebalanceTimeout;
                                member.sessionTimeoutMs = oldSessionTimeout;
                            }
                            join.respond.accept(JoinOutcome.error(stored, ""));
                            return;
                        }
                        if (group.member(newMemberId) != member || group.generationId() != generation) {
                            join.respond.accept(JoinOutcome.error(GroupError.REBALANCE_IN_PROGRESS, newMemberId));
                            return;
                        }
                        log.info("Static member {} of group {} rejoined as {} without a rebalance", ClientText.escape(join.instanceId),
                            ClientText.escape(group.groupId()), ClientText.escape(newMemberId));
                        boolean leader = group.isLeader(newMemberId);
                        // a rejoining leader is told to skip the assignment where it can be; others get no member list
                        boolean skip = leader && join.leaderMaySkipAssignment;
                        join.respond.accept(currentGeneration(group, newMemberId, skip, skip));
                    });
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
        return new JoinOutcome(GroupError.NONE, memberId, group.generationId(), group.protocolType(), group.protocolName(),
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
            resetAssignmentsWithError(group, GroupError.REBALANCE_IN_PROGRESS);
        }
        cancel(group.syncTimer);
        group.syncTimer = null;
        boolean initial = group.is(GroupState.EMPTY);
        group.transitionTo(GroupState.PREPARING_REBALANCE, shard.nowMs());
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
                m.completeSync(SyncOutcome.error(GroupError.UNKNOWN_MEMBER_ID));
                group.remove(m.memberId());
            }
        }
        if (!group.electJoinedLeader() && group.size() > 0) {
            // only static members that have not rejoined are left: wait for them or their session timeouts
            armJoinTimer(group, rebalanceTimeoutMs(group), () -> completeJoinPhase(group));
            return;
        }
        long now = shard.nowMs();
        group.initNextGeneration(now);
        if (group.is(GroupState.EMPTY)) {
            log.info("Group {} is empty in generation {}", ClientText.escape(group.groupId()), group.generationId());
            int generation = group.generationId();
            shard.append(List.of(groupMetadataRecord(group, null)), false, stored -> {
                if (stored != GroupError.NONE) {
                    log.warn("Could not store the empty generation {} of group {}: {}", generation, ClientText.escape(group.groupId()), stored);
                }
            });
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
        group.syncTimer = shard.schedule(rebalanceTimeoutMs(group), () -> pendingSyncExpired(group, generation));
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
                m.completeJoin(JoinOutcome.error(GroupError.UNKNOWN_MEMBER_ID, ""));
                group.remove(memberId);
            }
        }
        prepareRebalance(group, "members " + missing + " sent no SyncGroup");
    }

    private void resetAssignmentsWithError(ClassicGroup group, GroupError error) {
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
        member.completeJoin(JoinOutcome.error(GroupError.UNKNOWN_MEMBER_ID, ""));
        member.completeSync(SyncOutcome.error(GroupError.UNKNOWN_MEMBER_ID));
        if (group.is(GroupState.STABLE) || group.is(GroupState.COMPLETING_REBALANCE)) {
            prepareRebalance(group, "member " + member.memberId() + " removed: " + reason);
        } else {
            maybeCompleteJoinPhase(group);
        }
    }

    private GroupError validateMember(ClassicGroup group, String memberId, String instanceId) {
        if (instanceId != null) {
            String existing = group.staticMemberId(instanceId);
            if (existing == null) {
                return GroupError.UNKNOWN_MEMBER_ID;
            }
            if (!existing.equals(memberId)) {
                return GroupError.FENCED_INSTANCE_ID;
            }
        }
        return group.hasMember(memberId) ? GroupError.NONE : GroupError.UNKNOWN_MEMBER_ID;
    }

    // =====================================================================================================
    // SyncGroup

    /** A SyncGroup, answered through {@code respond} now or when the leader's assignment is stored. */
    void syncGroup(SyncGroup request, Consumer<SyncOutcome> respond) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        String instanceId = request.groupInstanceId();
        int generation = request.generationId();
        String protocolType = request.protocolType();
        String protocolName = request.protocolName();
        if (groupId == null || groupId.isEmpty()) {
            respond.accept(SyncOutcome.error(GroupError.INVALID_GROUP_ID));
            return;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            respond.accept(SyncOutcome.error(GroupError.UNKNOWN_MEMBER_ID));
            return;
        }
        if (group.is(GroupState.DEAD)) {
            respond.accept(SyncOutcome.error(GroupError.COORDINATOR_NOT_AVAILABLE));
            return;
        }
        GroupError invalid = validateMember(group, memberId, instanceId);
        if (invalid == GroupError.NONE && generation != group.generationId()) {
            invalid = GroupError.ILLEGAL_GENERATION;
        }
        if (invalid == GroupError.NONE && ((protocolType != null && !protocolType.equals(group.protocolType()))
            || (protocolName != null && !protocolName.equals(group.protocolName())))) {
            invalid = GroupError.INCONSISTENT_GROUP_PROTOCOL;
        }
        if (invalid != GroupError.NONE) {
            respond.accept(SyncOutcome.error(invalid));
            return;
        }
        GroupMember member = group.member(memberId);
        long now = shard.nowMs();
        switch (group.state()) {
            case PREPARING_REBALANCE -> respond.accept(SyncOutcome.error(GroupError.REBALANCE_IN_PROGRESS));
            case COMPLETING_REBALANCE -> {
                member.completeSync(SyncOutcome.error(GroupError.REBALANCE_IN_PROGRESS));
                member.awaitingSync = respond;
                group.pendingSyncMembers.remove(memberId);
                armSession(group, member, member.sessionTimeoutMs, now);
                if (group.isLeader(memberId)) {
                    completeAssignment(group, request.assignments());
                }
            }
            case STABLE -> {
                group.pendingSyncMembers.remove(memberId);
                armSession(group, member, member.sessionTimeoutMs, now);
                respond.accept(new SyncOutcome(GroupError.NONE, group.protocolType(), group.protocolName(), member.assignment));
            }
            default -> respond.accept(SyncOutcome.error(GroupError.UNKNOWN_MEMBER_ID));
        }
    }

    /**
     * Stores the leader's assignment, then, once it is replicated, hands every member its part and makes the group
     * Stable. As Kafka's doSyncGroup: if the group left this generation's CompletingRebalance meanwhile (a member
     * joined or left), the outcome is dropped, the new round answers the members.
     */
    private void completeAssignment(ClassicGroup group, Map<String, byte[]> assignments) {
        int generation = group.generationId();
        shard.append(List.of(groupMetadataRecord(group, assignments)), false, stored -> {
            if (groups.get(group.groupId()) != group || !group.is(GroupState.COMPLETING_REBALANCE) || group.generationId() != generation) {
                return;
            }
            if (stored != GroupError.NONE) {
                log.warn("Could not store the assignment of group {} generation {}: {}", ClientText.escape(group.groupId()), generation, stored);
                resetAssignmentsWithError(group, stored);
                maybePrepareRebalanceOrCompleteJoin(group, "storing the assignment failed with " + stored);
                return;
            }
            applyAssignment(group, assignments);
        });
    }

    private void applyAssignment(ClassicGroup group, Map<String, byte[]> assignments) {
        for (GroupMember m : group.memberView()) {
            byte[] assignment = assignments.get(m.memberId());
            m.assignment = assignment == null ? GroupMember.NO_ASSIGNMENT : assignment;
        }
        group.transitionTo(GroupState.STABLE, shard.nowMs());
        log.info("Group {} is stable in generation {} with {} members", ClientText.escape(group.groupId()), group.generationId(), group.size());
        List<GroupMember> waiting = new ArrayList<>();
        for (GroupMember m : group.memberView()) {
            if (m.isAwaitingSync()) {
                waiting.add(m);
            }
        }
        for (GroupMember m : waiting) {
            m.completeSync(new SyncOutcome(GroupError.NONE, group.protocolType(), group.protocolName(), m.assignment));
        }
    }

    // =====================================================================================================
    // Heartbeat

    GroupError heartbeat(Heartbeat request) {
        String groupId = request.groupId();
        String memberId = request.memberId();
        String instanceId = request.groupInstanceId();
        int generation = request.generationId();
        if (groupId == null || groupId.isEmpty()) {
            return GroupError.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.DEAD)) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        GroupError invalid = validateMember(group, memberId, instanceId);
        if (invalid != GroupError.NONE) {
            return invalid;
        }
        if (generation != group.generationId()) {
            return GroupError.ILLEGAL_GENERATION;
        }
        GroupMember member = group.member(memberId);
        switch (group.state()) {
            case PREPARING_REBALANCE:
                armSession(group, member, member.sessionTimeoutMs, shard.nowMs());
                return GroupError.REBALANCE_IN_PROGRESS;
            case COMPLETING_REBALANCE:
            case STABLE:
                armSession(group, member, member.sessionTimeoutMs, shard.nowMs());
                return GroupError.NONE;
            default:
                return GroupError.UNKNOWN_MEMBER_ID;
        }
    }

    // =====================================================================================================
    // LeaveGroup

    /** A LeaveGroup of one or more members; a result per member unless the group refuses as a whole. */
    LeaveOutcome leaveGroup(LeaveGroup request) {
        String groupId = request.groupId();
        ClassicGroup group = groupId == null ? null : groups.get(groupId);
        if (groupId == null || groupId.isEmpty()) {
            return LeaveOutcome.refused(GroupError.INVALID_GROUP_ID);
        }
        if (group != null && group.is(GroupState.DEAD)) {
            return LeaveOutcome.refused(GroupError.COORDINATOR_NOT_AVAILABLE);
        }
        List<GroupError> results = new ArrayList<>(request.members().size());
        boolean anyLeft = false;
        for (LeaveGroup.Leaving identity : request.members()) {
            String memberId = identity.memberId();
            String instanceId = identity.groupInstanceId();
            GroupError result;
            if (group == null) {
                result = GroupError.UNKNOWN_MEMBER_ID;
            } else if (memberId.isEmpty()) {
                // administrative removal by group instance id (kafka-consumer-groups --delete-members)
                String staticId = instanceId == null ? null : group.staticMemberId(instanceId);
                if (staticId != null) {
                    removeOnLeave(group, group.member(staticId));
                    result = GroupError.NONE;
                    anyLeft = true;
                } else {
                    result = GroupError.UNKNOWN_MEMBER_ID;
                }
            } else if (group.isPendingMember(memberId)) {
                cancel(group.pendingMembers.remove(memberId));
                result = GroupError.NONE;
                anyLeft = true;
            } else {
                result = validateMember(group, memberId, instanceId);
                if (result == GroupError.NONE) {
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
        return new LeaveOutcome(GroupError.NONE, results);
    }

    private void removeOnLeave(ClassicGroup group, GroupMember member) {
        log.info("Member {} left group {}", ClientText.escape(member.memberId()), ClientText.escape(group.groupId()));
        cancel(member.sessionTimer);
        member.sessionTimer = null;
        group.remove(member.memberId());
        member.completeJoin(JoinOutcome.error(GroupError.UNKNOWN_MEMBER_ID, ""));
        member.completeSync(SyncOutcome.error(GroupError.UNKNOWN_MEMBER_ID));
    }

    // =====================================================================================================
    // who may commit offsets

    /** Kafka's rules for who may commit to a classic group: NONE, or the error for every partition of the commit. */
    GroupError validateCommit(String groupId, String memberId, String instanceId, int generation) {
        if (groupId == null || groupId.isEmpty()) {
            return GroupError.INVALID_GROUP_ID;
        }
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            // with a generation the commit comes from a member of a group that no longer exists
            return generation < 0 ? GroupError.NONE : GroupError.ILLEGAL_GENERATION;
        }
        if (group.is(GroupState.DEAD)) {
            return GroupError.COORDINATOR_NOT_AVAILABLE;
        }
        if (generation < 0 && group.is(GroupState.EMPTY)) {
            return GroupError.NONE; // a consumer managing its own partitions, or an admin tool
        }
        if (generation >= 0 || !memberId.isEmpty() || instanceId != null) {
            GroupError invalid = validateMember(group, memberId, instanceId);
            if (invalid != GroupError.NONE) {
                return invalid;
            }
            if (generation != group.generationId()) {
                return GroupError.ILLEGAL_GENERATION;
            }
        } else if (!group.is(GroupState.EMPTY)) {
            return GroupError.UNKNOWN_MEMBER_ID;
        }
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            // the member has not received its assignment of this generation yet
            return GroupError.REBALANCE_IN_PROGRESS;
        }
        return GroupError.NONE;
    }

    /** A member's accepted commit shows it is alive, as a heartbeat does. */
    void memberCommitted(String groupId, String memberId, long now) {
        ClassicGroup group = groups.get(groupId);
        if (group != null && group.hasMember(memberId)) {
            GroupMember member = group.member(memberId);
            armSession(group, member, member.sessionTimeoutMs, now);
        }
    }

    // =====================================================================================================
    // DescribeGroups, ListGroups, DeleteGroups

    /** The group as DescribeGroups shows it; an unknown (or Dead) group is reported as Kafka does, "Dead". */
    GroupDescription describeGroup(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return new GroupDescription(GroupError.NONE, groupId, false, GroupState.DEAD.wireName(), "", "", List.of());
        }
        boolean stable = group.is(GroupState.STABLE);
        List<GroupDescription.Member> members = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            members.add(new GroupDescription.Member(m.memberId(), m.groupInstanceId(), m.clientId(), m.clientHost(),
                stable ? m.metadata(group.protocolName()) : GroupMember.NO_ASSIGNMENT,
                stable ? m.assignment : GroupMember.NO_ASSIGNMENT));
        }
        return new GroupDescription(GroupError.NONE, groupId, true, group.state().wireName(),
            group.protocolType() == null ? "" : group.protocolType(),
            stable && group.protocolName() != null ? group.protocolName() : "", members);
    }

    /** The groups in the given states (all when {@code states} is empty), never Dead ones. */
    List<ListedGroups.Group> listGroups(Set<GroupState> states) {
        List<ListedGroups.Group> result = new ArrayList<>();
        for (ClassicGroup group : groups.values()) {
            if (group.is(GroupState.DEAD) || (!states.isEmpty() && !states.contains(group.state()))) {
                continue;
            }
            result.add(new ListedGroups.Group(group.groupId(), group.protocolType() == null ? "" : group.protocolType(),
                group.state().wireName()));
        }
        return result;
    }

    /**
     * Why an existing group may not be deleted (DeleteGroups): GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP; NONE when
     * it may.
     */
    GroupError checkDeletable(String groupId) {
        ClassicGroup group = groups.get(groupId);
        if (group == null || group.is(GroupState.DEAD)) {
            return GroupError.GROUP_ID_NOT_FOUND;
        }
        return group.is(GroupState.EMPTY) ? GroupError.NONE : GroupError.NON_EMPTY_GROUP;
    }

    /** A tombstone for the group's record. */
    static CoordinatorRecord groupTombstone(String groupId) {
        return CoordinatorRecord.tombstone(new GroupMetadataKey(groupId));
    }

    /** Makes a group Dead and forgets it, once its tombstones are in the log: its timers stop. */
    void forgetGroup(ClassicGroup group) {
        cancel(group.joinTimer);
        cancel(group.syncTimer);
        group.pendingMembers.values().forEach(GroupMembership::cancel);
        group.pendingMembers.clear();
        group.markDead(shard.nowMs());
        groups.remove(group.groupId());
    }

    /** Drops a group that holds nothing: no members, pending members, offsets or stored metadata. */
    private void removeIfUnused(ClassicGroup group) {
        if (group.is(GroupState.EMPTY) && group.size() == 0 && group.pendingMembers.isEmpty() && !hasOffsets.test(group.groupId())
            && !group.hasMetadataRecord && group.generationId() == 0) {
            groups.remove(group.groupId(), group);
        }
    }

    // =====================================================================================================
    // snapshots and persistence

    /** The group's membership as it is now, with the given committed offsets; null if there is no such group. */
    GroupSnapshot snapshot(String groupId, Map<String, Map<Integer, Long>> offsets) {
        ClassicGroup group = groups.get(groupId);
        if (group == null) {
            return null;
        }
        List<GroupSnapshot.Member> members = new ArrayList<>(group.size());
        for (GroupMember m : group.memberView()) {
            members.add(new GroupSnapshot.Member(m.memberId(), m.groupInstanceId(), m.sessionTimeoutMs, m.rebalanceTimeoutMs,
                m.assignment, m.isAwaitingJoin(), m.isAwaitingSync()));
        }
        return new GroupSnapshot(group.groupId(), group.state(), group.generationId(), group.protocolType(),
            group.protocolName(), group.leaderId(), members, Set.copyOf(group.pendingSyncMembers),
            group.pendingMembers.size(), offsets);
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
}
