package io.tributary.server.group;

import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One client of the classic protocol, driven step by step by a test: it remembers what the coordinator told
 * it (member id, generation, leader, members, assignment), as a Kafka consumer does.
 */
public final class TestMember {
    private final CoordinatorFixture f;
    public final String group;
    public final String instanceId;
    public Map<String, byte[]> protocols;
    public String protocolType = "consumer";
    public int version = 9;
    public int sessionTimeoutMs = 10_000;
    public int rebalanceTimeoutMs = 30_000;
    public String memberId = "";
    public int generation = -1;
    public String leader;
    public List<String> members = List.of();
    public byte[] assignment;

    public TestMember(CoordinatorFixture f, String group, String instanceId, Map<String, byte[]> protocols) {
        this.f = f;
        this.group = group;
        this.instanceId = instanceId;
        this.protocols = protocols;
    }

    public TestMember(CoordinatorFixture f, String group) {
        this(f, group, null, Requests.protocols("range", Requests.subscription("t")));
    }

    /** Sends a JoinGroup with what it knows; the response (when it comes) updates member id and generation. */
    public CompletableFuture<Struct> join() {
        return f.send(ApiKey.JOIN_GROUP, version, Requests.join(group, memberId, version >= 5 ? instanceId : null,
            sessionTimeoutMs, rebalanceTimeoutMs, protocolType, protocols)).thenApply(this::onJoin);
    }

    /** Joins as a new dynamic member does from v4: the first join is answered MEMBER_ID_REQUIRED at once, then it rejoins. */
    public CompletableFuture<Struct> joinWithRetry() {
        CompletableFuture<Struct> first = join();
        if (first.isDone() && error(first.join()) == ErrorCode.MEMBER_ID_REQUIRED) {
            return join();
        }
        return first;
    }

    private Struct onJoin(Struct r) {
        ErrorCode e = error(r);
        if (e == ErrorCode.NONE || e == ErrorCode.MEMBER_ID_REQUIRED) {
            memberId = r.get(JoinGroupResponse.MEMBER_ID);
        }
        if (e == ErrorCode.NONE) {
            generation = r.get(JoinGroupResponse.GENERATION_ID);
            leader = r.get(JoinGroupResponse.LEADER);
            List<String> ids = new ArrayList<>();
            for (Struct m : r.get(JoinGroupResponse.MEMBERS)) {
                ids.add(m.get(JoinGroupResponse.JoinGroupResponseMember.MEMBER_ID));
            }
            members = ids;
        }
        if (e == ErrorCode.UNKNOWN_MEMBER_ID) {
            memberId = "";
            generation = -1;
        }
        return r;
    }

    public boolean isLeader() {
        return memberId.equals(leader);
    }

    /** SyncGroup; a leader sends {@code assignments}, a follower nothing. */
    public CompletableFuture<Struct> sync(Map<String, byte[]> assignments) {
        return f.send(ApiKey.SYNC_GROUP, 5, Requests.sync(group, generation, memberId, instanceId,
            isLeader() ? assignments : Map.of())).thenApply(r -> {
                if (error(r) == ErrorCode.NONE) {
                    ByteBuffer a = r.get(SyncGroupResponse.ASSIGNMENT);
                    byte[] bytes = new byte[a.remaining()];
                    a.duplicate().get(bytes);
                    assignment = bytes;
                }
                return r;
            });
    }

    /** A leader's assignment giving each member its own id as bytes. */
    public CompletableFuture<Struct> syncWithIdAssignments() {
        Map<String, byte[]> assignments = new java.util.HashMap<>();
        for (String m : members) {
            assignments.put(m, m.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return sync(assignments);
    }

    public ErrorCode heartbeat() {
        return error(f.call(ApiKey.HEARTBEAT, 4, Requests.heartbeat(group, generation, memberId, instanceId)));
    }

    public ErrorCode commit(String topic, int partition, long offset) {
        Struct r = f.call(ApiKey.OFFSET_COMMIT, 9, Requests.commit(group, generation, memberId, instanceId, topic, partition, offset));
        return ErrorCode.forCode(r.get(io.tributary.protocol.message.group.OffsetCommitResponse.TOPICS).get(0)
            .get(io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponseTopic.PARTITIONS).get(0)
            .get(io.tributary.protocol.message.group.OffsetCommitResponse.OffsetCommitResponsePartition.ERROR_CODE));
    }

    public ErrorCode leave() {
        Struct r = f.call(ApiKey.LEAVE_GROUP, 5, Requests.leave(group, memberId, instanceId));
        return ErrorCode.forCode(r.get(io.tributary.protocol.message.group.LeaveGroupResponse.MEMBERS).get(0)
            .get(io.tributary.protocol.message.group.LeaveGroupResponse.MemberResponse.ERROR_CODE));
    }

    /** The error code of a JoinGroup, SyncGroup or Heartbeat response. */
    public static ErrorCode error(Struct response) {
        io.tributary.protocol.message.schema.Field<?> f = response.schema().field("error_code");
        return ErrorCode.forCode(response.get((io.tributary.protocol.message.schema.Int16Field) f));
    }

    @Override
    public String toString() {
        return "TestMember{" + memberId + ", gen " + generation + "}";
    }
}
