package io.tributary.groups;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One client of the classic protocol, driven step by step by a test through the coordinator's own request
 * types: it remembers what the coordinator told it (member id, generation, leader, members, assignment), as a
 * Kafka consumer does. By default it behaves as a current client: a first join is told its member id and
 * comes back with it, and a rejoining static leader may be told to skip the assignment.
 */
public final class GroupClient {
    private final GroupsFixture f;
    public final String group;
    public final String instanceId;
    public Map<String, byte[]> protocols;
    public String protocolType = "consumer";
    public boolean requiresKnownMemberId = true;
    public int sessionTimeoutMs = 10_000;
    public int rebalanceTimeoutMs = 30_000;
    public String memberId = "";
    public int generation = -1;
    public String leader;
    public List<String> members = List.of();
    public byte[] assignment;

    public GroupClient(GroupsFixture f, String group, String instanceId, Map<String, byte[]> protocols) {
        this.f = f;
        this.group = group;
        this.instanceId = instanceId;
        this.protocols = protocols;
    }

    public GroupClient(GroupsFixture f, String group) {
        this(f, group, null, protocols("range", GroupsFixture.subscription("t")));
    }

    /** Protocols in order of preference: name, metadata, name, metadata, ... */
    public static Map<String, byte[]> protocols(Object... nameThenMetadata) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < nameThenMetadata.length; i += 2) {
            m.put((String) nameThenMetadata[i], (byte[]) nameThenMetadata[i + 1]);
        }
        return m;
    }

    /** Joins with what it knows; the outcome (when it comes) updates member id and generation. */
    public CompletableFuture<JoinOutcome> join() {
        List<Protocol> list = new ArrayList<>();
        protocols.forEach((name, metadata) -> list.add(new Protocol(name, metadata)));
        return f.coordinator.joinGroup(new JoinGroup(group, memberId, instanceId, "client", "/127.0.0.1", sessionTimeoutMs,
            rebalanceTimeoutMs, protocolType, list, requiresKnownMemberId, true)).thenApply(this::onJoin);
    }

    /** Joins as a new dynamic member does: the first join is answered MEMBER_ID_REQUIRED at once, then it rejoins. */
    public CompletableFuture<JoinOutcome> joinWithRetry() {
        CompletableFuture<JoinOutcome> first = join();
        if (first.isDone() && first.join().error() == GroupError.MEMBER_ID_REQUIRED) {
            return join();
        }
        return first;
    }

    private JoinOutcome onJoin(JoinOutcome r) {
        GroupError e = r.error();
        if (e == GroupError.NONE || e == GroupError.MEMBER_ID_REQUIRED) {
            memberId = r.memberId();
        }
        if (e == GroupError.NONE) {
            generation = r.generationId();
            leader = r.leaderId();
            List<String> ids = new ArrayList<>();
            r.members().forEach(m -> ids.add(m.memberId()));
            members = ids;
        }
        if (e == GroupError.UNKNOWN_MEMBER_ID) {
            memberId = "";
            generation = -1;
        }
        return r;
    }

    public boolean isLeader() {
        return memberId.equals(leader);
    }

    /** SyncGroup; a leader sends {@code assignments}, a follower nothing. */
    public CompletableFuture<SyncOutcome> sync(Map<String, byte[]> assignments) {
        return f.coordinator.syncGroup(new SyncGroup(group, memberId, instanceId, generation, null, null,
            isLeader() ? assignments : Map.of())).thenApply(r -> {
                if (r.error() == GroupError.NONE) {
                    assignment = r.assignment();
                }
                return r;
            });
    }

    /** A leader's assignment giving each member its own id as bytes. */
    public CompletableFuture<SyncOutcome> syncWithIdAssignments() {
        Map<String, byte[]> assignments = new HashMap<>();
        for (String m : members) {
            assignments.put(m, m.getBytes(StandardCharsets.UTF_8));
        }
        return sync(assignments);
    }

    public GroupError heartbeat() {
        return answeredAtOnce(f.coordinator.heartbeat(new Heartbeat(group, memberId, instanceId, generation)));
    }

    public GroupError commit(String topic, int partition, long offset) {
        CommitOutcome outcome = answeredAtOnce(f.coordinator.offsetCommit(new OffsetCommit(group, generation, memberId, instanceId, -1,
            List.of(new OffsetCommit.Topic(topic, null, List.of(new OffsetCommit.Partition(partition, offset, -1, "m" + offset)))))));
        return outcome.partitionErrors().get(0).get(0);
    }

    public GroupError leave() {
        LeaveOutcome outcome = answeredAtOnce(f.coordinator.leaveGroup(new LeaveGroup(group,
            List.of(new LeaveGroup.Leaving(memberId, instanceId)))));
        return outcome.memberErrors().get(0);
    }

    private static <T> T answeredAtOnce(CompletableFuture<T> answer) {
        if (!answer.isDone()) {
            throw new AssertionError("Not answered at once: " + answer);
        }
        return answer.join();
    }

    @Override
    public String toString() {
        return "GroupClient{" + memberId + ", gen " + generation + "}";
    }
}
