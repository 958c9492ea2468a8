package io.tributary.server.group;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.LeaveGroupResponse;
import io.tributary.protocol.message.schema.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.group.TestMember.error;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts of join / sync / heartbeat / leave that depend on the API version (LeaveGroup's one member before v3,
 * SyncGroup's protocol fields from v5, JoinGroup v0's rebalance timeout and v9's skip_assignment), driven by
 * request structs through the broker's adapter and a manual clock. The state machine itself is tested in
 * consumer-groups with the coordinator's own types.
 */
class GroupMembershipWireTest {
    private CoordinatorFixture f = CoordinatorFixture.started(Map.of());

    @AfterEach
    void close() {
        f.close();
    }

    private GroupSnapshot snapshot(String group) {
        return f.coordinator.snapshot(group).join();
    }

    /** Joins all members (v4+ style), completes the join phase, and syncs with each member's id as its assignment. */
    private void formGroup(TestMember... members) {
        List<CompletableFuture<Struct>> joins = new ArrayList<>();
        for (TestMember m : members) {
            joins.add(m.joinWithRetry());
        }
        f.time.runDue();
        for (CompletableFuture<Struct> j : joins) {
            assertThat(j).isDone();
            assertThat(error(j.join())).isEqualTo(ErrorCode.NONE);
        }
        List<CompletableFuture<Struct>> syncs = new ArrayList<>();
        for (TestMember m : members) {
            syncs.add(m.syncWithIdAssignments());
        }
        for (CompletableFuture<Struct> s : syncs) {
            assertThat(s).isDone();
            assertThat(error(s.join())).isEqualTo(ErrorCode.NONE);
        }
    }

    @Test
    void aStaticLeaderRejoiningIsToldToSkipTheAssignmentFromV9() {
        Map<String, byte[]> subscription = Requests.protocols("range", Requests.subscription("t"));
        TestMember a = new TestMember(f, "g", "instance-a", subscription);
        TestMember b = new TestMember(f, "g", "instance-b", subscription);
        formGroup(a, b);
        TestMember a2 = new TestMember(f, "g", "instance-a", subscription);
        Struct response = a2.join().join();
        assertThat(response.get(JoinGroupResponse.SKIP_ASSIGNMENT)).isTrue();
        assertThat(a2.isLeader()).isTrue();
        assertThat(a2.members).containsExactlyInAnyOrder(a2.memberId, b.memberId);
        assertThat(snapshot("g").generationId()).isEqualTo(1);
    }

    @Test
    void leaveGroupRemovesABatchOfMembersWithAnAnswerForEach() {
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        TestMember c = new TestMember(f, "g", "instance-c", Requests.protocols("range", Requests.subscription("t")));
        formGroup(a, b, c);
        Struct response = f.call(ApiKey.LEAVE_GROUP, 5, Requests.leave("g", a.memberId, null, "nobody", null, null, "instance-c"));
        assertThat(response.get(LeaveGroupResponse.ERROR_CODE)).isZero();
        assertThat(response.get(LeaveGroupResponse.MEMBERS)).extracting(m -> ErrorCode.forCode(m.get(LeaveGroupResponse.MemberResponse.ERROR_CODE)))
            .containsExactly(ErrorCode.NONE, ErrorCode.UNKNOWN_MEMBER_ID, ErrorCode.NONE);
        GroupSnapshot after = snapshot("g");
        assertThat(after.members()).extracting(GroupSnapshot.Member::memberId).containsExactly(b.memberId);
        assertThat(after.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(b.join()).isDone();
        assertThat(b.generation).isEqualTo(2);
        assertThat(b.isLeader()).as("the leader left: leadership moved").isTrue();

        // v0-2: one member, the error at the top
        Struct single = f.call(ApiKey.LEAVE_GROUP, 1, Requests.leaveOne("g", "nobody"));
        assertThat(single.get(LeaveGroupResponse.ERROR_CODE)).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID.code());
        Struct last = f.call(ApiKey.LEAVE_GROUP, 0, Requests.leaveOne("g", b.memberId));
        assertThat(last.get(LeaveGroupResponse.ERROR_CODE)).isZero();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.EMPTY);
        assertThat(snapshot("g").generationId()).isEqualTo(3);
    }

    @Test
    void heartbeatsAndSyncsAreCheckedAgainstMemberGenerationAndProtocol() {
        TestMember a = new TestMember(f, "g");
        formGroup(a);
        assertThat(error(f.call(ApiKey.HEARTBEAT, 4, Requests.heartbeat("nope", 1, a.memberId, null)))).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(error(f.call(ApiKey.HEARTBEAT, 4, Requests.heartbeat("g", 1, "stranger", null)))).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(error(f.call(ApiKey.HEARTBEAT, 4, Requests.heartbeat("g", 0, a.memberId, null)))).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        assertThat(error(f.call(ApiKey.SYNC_GROUP, 5, Requests.sync("g", 7, a.memberId, null, Map.of())))).isEqualTo(ErrorCode.ILLEGAL_GENERATION);
        Struct wrongName = Requests.sync("g", 1, a.memberId, null, Map.of())
            .set(io.tributary.protocol.message.group.SyncGroupRequest.PROTOCOL_TYPE, "consumer")
            .set(io.tributary.protocol.message.group.SyncGroupRequest.PROTOCOL_NAME, "roundrobin");
        assertThat(error(f.call(ApiKey.SYNC_GROUP, 5, wrongName))).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        // the same request at v4 carries no protocol fields: accepted
        Struct v4 = Requests.sync("g", 1, a.memberId, null, Map.of());
        assertThat(error(f.call(ApiKey.SYNC_GROUP, 4, v4))).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void oldClientsJoinWithoutAMemberIdRoundTrip() {
        TestMember a = new TestMember(f, "g");
        a.version = 0;
        CompletableFuture<Struct> join = a.join();
        f.time.runDue();
        assertThat(join).isDone();
        assertThat(error(join.join())).isEqualTo(ErrorCode.NONE);
        assertThat(a.generation).isEqualTo(1);
        assertThat(snapshot("g").member(a.memberId).rebalanceTimeoutMs()).as("v0: the session timeout serves").isEqualTo(10_000);
    }
}
