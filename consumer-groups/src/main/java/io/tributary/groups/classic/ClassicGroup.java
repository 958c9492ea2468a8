package io.tributary.groups.classic;

import io.tributary.protocol.ClientText;
import io.tributary.groups.Protocol;
import io.tributary.groups.timer.Scheduler;
import io.tributary.protocol.MalformedMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One classic group's membership: its state, generation, selected protocol, leader and members. The
 * transitions themselves are driven by {@link GroupMembership}; this class keeps the bookkeeping consistent.
 * Its committed offsets are the {@link OffsetStore}'s.
 *
 * <p>Invariants:
 * <ul>
 *   <li>the leader is a member, and is null only when there are no members;</li>
 *   <li>{@code staticMembers} maps exactly the members' group instance ids to their member ids;</li>
 *   <li>the state changes only along {@link GroupState}'s edges, and the generation only grows, by one per
 *       completed join phase;</li>
 *   <li>in Empty there are no members; in CompletingRebalance and Stable a protocol is selected that every
 *       member supports;</li>
 *   <li>{@code pendingSyncMembers} are members that received this generation's join response but have not
 *       sent SyncGroup yet.</li>
 * </ul>
 * Touched only by the thread of the group's {@code __consumer_offsets} partition.
 */
public final class ClassicGroup {
    private static final Logger log = LoggerFactory.getLogger(ClassicGroup.class);

    private final String groupId;
    private GroupState state = GroupState.EMPTY;
    private GroupState previousState = GroupState.EMPTY;
    private long stateTimestampMs;
    private String protocolType;
    private String protocolName;
    private String leaderId;
    private int generationId;
    private final LinkedHashMap<String, GroupMember> members = new LinkedHashMap<>();
    private final Map<String, String> staticMembers = new HashMap<>();
    /** Dynamic members told MEMBER_ID_REQUIRED, with the timer that forgets them. */
    final Map<String, Scheduler.Cancellable> pendingMembers = new HashMap<>();
    final Set<String> pendingSyncMembers = new HashSet<>();
    boolean newMemberAdded;
    /** Topics the members subscribe to, for consumer groups; null when unknown. */
    private Set<String> subscribedTopics;
    Scheduler.Cancellable joinTimer;
    Scheduler.Cancellable syncTimer;
    /** Bumped whenever a join or sync timer is (re)armed; a firing timer with an older token is stale. */
    long timerEpoch;
    /** Whether a GroupMetadata record of this group is live in the log (so deleting needs a tombstone). */
    boolean hasMetadataRecord;

    ClassicGroup(String groupId, long nowMs) {
        this.groupId = groupId;
        this.stateTimestampMs = nowMs;
    }

    public String groupId() {
        return groupId;
    }

    public GroupState state() {
        return state;
    }

    GroupState previousState() {
        return previousState;
    }

    public boolean is(GroupState s) {
        return state == s;
    }

    public long stateTimestampMs() {
        return stateTimestampMs;
    }

    public String protocolType() {
        return protocolType;
    }

    public String protocolName() {
        return protocolName;
    }

    public String leaderId() {
        return leaderId;
    }

    public int generationId() {
        return generationId;
    }

    public int size() {
        return members.size();
    }

    public boolean hasMember(String memberId) {
        return members.containsKey(memberId);
    }

    public GroupMember member(String memberId) {
        return members.get(memberId);
    }

    public List<GroupMember> members() {
        return List.copyOf(members.values());
    }

    Iterable<GroupMember> memberView() {
        return members.values();
    }

    public String staticMemberId(String groupInstanceId) {
        return staticMembers.get(groupInstanceId);
    }

    boolean isPendingMember(String memberId) {
        return pendingMembers.containsKey(memberId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    void transitionTo(GroupState next, long nowMs) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot go from " + state + " to " + next);
        }
        previousState = state;
        state = next;
        stateTimestampMs = nowMs;
    }

    // ---- membership

    void add(GroupMember member, String memberProtocolType) {
        if (members.isEmpty()) {
            protocolType = memberProtocolType;
        }
        members.put(member.memberId(), member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId(), member.memberId());
        }
        if (leaderId == null) {
            leaderId = member.memberId();
        }
    }

    /** Removes a member; a leader leaving hands over to the longest-standing remaining member. */
    void remove(String memberId) {
        GroupMember member = members.remove(memberId);
        if (member == null) {
            return;
        }
        if (member.isStatic()) {
            staticMembers.remove(member.groupInstanceId(), memberId);
        }
        pendingSyncMembers.remove(memberId);
        if (memberId.equals(leaderId)) {
            leaderId = members.isEmpty() ? null : members.keySet().iterator().next();
        }
    }

    /** Gives a static member a new member id, keeping its slot (leadership, assignment, session). */
    void replaceStaticMemberId(GroupMember member, String newMemberId) {
        String oldMemberId = member.memberId();
        members.remove(oldMemberId);
        member.memberId(newMemberId);
        members.put(newMemberId, member);
        staticMembers.put(member.groupInstanceId(), newMemberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = newMemberId;
        }
        if (pendingSyncMembers.remove(oldMemberId)) {
            pendingSyncMembers.add(newMemberId);
        }
    }

    boolean hasAllMembersJoined() {
        if (!pendingMembers.isEmpty()) {
            return false;
        }
        for (GroupMember m : members.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    /** Makes sure the leader is a member that has rejoined; false if no member has. */
    boolean electJoinedLeader() {
        GroupMember leader = leaderId == null ? null : members.get(leaderId);
        if (leader != null && leader.isAwaitingJoin()) {
            return true;
        }
        for (GroupMember m : members.values()) {
            if (m.isAwaitingJoin()) {
                leaderId = m.memberId();
                return true;
            }
        }
        return false;
    }

    /** Protocols every member supports, in the order the first member prefers them. */
    private List<String> candidateProtocols() {
        List<String> candidates = null;
        for (GroupMember m : members.values()) {
            if (candidates == null) {
                candidates = new ArrayList<>();
                for (Protocol p : m.protocols()) {
                    candidates.add(p.name());
                }
            } else {
                candidates.removeIf(name -> m.metadata(name) == null);
            }
        }
        return candidates == null ? List.of() : candidates;
    }

    /**
     * Whether a member with these protocols may join: into an empty group with any type and at least one
     * protocol; otherwise the same protocol type and at least one protocol every current member supports.
     */
    boolean supportsProtocols(String memberProtocolType, List<Protocol> protocols) {
        if (members.isEmpty()) {
            return memberProtocolType != null && !memberProtocolType.isEmpty() && !protocols.isEmpty();
        }
        if (!memberProtocolType.equals(protocolType)) {
            return false;
        }
        List<String> candidates = candidateProtocols();
        for (Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The protocol for the next generation: every member votes for its most preferred protocol among those all
     * members support; most votes wins, a tie goes to the one the first member prefers.
     */
    String selectProtocol() {
        List<String> candidates = candidateProtocols();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("Group " + groupId + " has no protocol all of its " + members.size() + " members support");
        }
        Map<String, Integer> votes = new HashMap<>();
        for (GroupMember m : members.values()) {
            for (Protocol p : m.protocols()) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (String c : candidates) {
            int v = votes.getOrDefault(c, 0);
            if (v > bestVotes) {
                best = c;
                bestVotes = v;
            }
        }
        return best;
    }

    /** Ends a join phase: the next generation, CompletingRebalance with the selected protocol, or Empty. */
    void initNextGeneration(long nowMs) {
        generationId++;
        if (!members.isEmpty()) {
            protocolName = selectProtocol();
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        } else {
            protocolName = null;
            subscribedTopics = computeSubscribedTopics();
            transitionTo(GroupState.EMPTY, nowMs);
        }
        pendingSyncMembers.clear();
    }

    private Set<String> computeSubscribedTopics() {
        if (!ConsumerProtocolTopics.CONSUMER_PROTOCOL_TYPE.equals(protocolType)) {
            return null;
        }
        if (members.isEmpty()) {
            return Set.of();
        }
        if (protocolName == null) {
            return null;
        }
        Set<String> topics = new LinkedHashSet<>();
        try {
            for (GroupMember m : members.values()) {
                ConsumerProtocolTopics.read(m.metadata(protocolName), topics);
            }
        } catch (MalformedMessageException e) {
            log.warn("Group {}: cannot read the subscribed topics of its members: {}", ClientText.escape(groupId), e.getMessage());
            return null;
        }
        return Collections.unmodifiableSet(topics);
    }

    /** True when the group consumes {@code topic}, or when that is unknown. */
    boolean isSubscribedTo(String topic) {
        return subscribedTopics == null || subscribedTopics.contains(topic);
    }

    boolean knowsSubscriptions() {
        return subscribedTopics != null;
    }

    /** State restored from the log: a completed generation, Stable with members or Empty without. */
    void restore(String protocolType, int generation, String protocol, String leader, long stateTimestamp,
                 List<GroupMember> restoredMembers, long nowMs) {
        members.clear();
        staticMembers.clear();
        this.protocolType = protocolType == null || protocolType.isEmpty() ? null : protocolType;
        this.generationId = generation;
        this.protocolName = protocol;
        this.leaderId = null;
        for (GroupMember m : restoredMembers) {
            add(m, this.protocolType);
        }
        if (leader != null && members.containsKey(leader)) {
            this.leaderId = leader;
        }
        this.previousState = GroupState.EMPTY;
        this.state = members.isEmpty() ? GroupState.EMPTY : GroupState.STABLE;
        if (members.isEmpty()) {
            this.protocolName = null;
        }
        this.stateTimestampMs = stateTimestamp >= 0 ? stateTimestamp : nowMs;
        this.subscribedTopics = computeSubscribedTopics();
        this.hasMetadataRecord = true;
    }

    /** Forgets the membership written by a group metadata tombstone; offsets stay, as in Kafka. */
    void resetMembership(long nowMs) {
        members.clear();
        staticMembers.clear();
        protocolType = null;
        protocolName = null;
        leaderId = null;
        generationId = 0;
        previousState = GroupState.EMPTY;
        state = GroupState.EMPTY;
        stateTimestampMs = nowMs;
        subscribedTopics = null;
        hasMetadataRecord = false;
    }

    void markDead(long nowMs) {
        transitionTo(GroupState.DEAD, nowMs);
    }

    @Override
    public String toString() {
        return "ClassicGroup{" + groupId + ", " + state + ", generation " + generationId + ", " + members.size() + " members}";
    }
}
