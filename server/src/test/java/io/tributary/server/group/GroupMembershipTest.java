package io.tributary.server.group;

import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.JoinGroupResponse;
import io.tributary.protocol.message.group.LeaveGroupResponse;
import io.tributary.protocol.message.group.SyncGroupResponse;
import io.tributary.protocol.message.schema.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.group.TestMember.error;
import static org.assertj.core.api.Assertions.assertThat;

/** The join / sync / heartbeat / leave state machine, driven by request structs and a manual clock. */
class GroupMembershipTest {
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
    void firstJoinNeedsAMemberIdThenTheFirstMemberLeadsAndTheLeadersAssignmentReachesEveryone() {
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        Struct required = a.join().join();
        assertThat(error(required)).isEqualTo(ErrorCode.MEMBER_ID_REQUIRED);
        assertThat(a.memberId).startsWith("client-");
        assertThat(snapshot("g").pendingMembers()).isEqualTo(1);

        CompletableFuture<Struct> joinA = a.join();
        CompletableFuture<Struct> joinB = b.joinWithRetry();
        assertThat(joinA).isNotDone();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        f.time.runDue(); // group.initial.rebalance.delay.ms=0
        assertThat(joinA).isDone();
        assertThat(joinB).isDone();
        assertThat(a.generation).isEqualTo(1).isEqualTo(b.generation);
        assertThat(a.isLeader()).isTrue();
        assertThat(b.leader).isEqualTo(a.memberId);
        assertThat(a.members).containsExactly(a.memberId, b.memberId);
        assertThat(b.members).isEmpty();
        assertThat(joinA.join().get(JoinGroupResponse.PROTOCOL_NAME)).isEqualTo("range");
        assertThat(snapshot("g").state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

        CompletableFuture<Struct> syncB = b.sync(Map.of());
        assertThat(syncB).as("a follower waits for the leader's assignment").isNotDone();
        a.sync(Map.of(a.memberId, bytes("for-a"), b.memberId, bytes("for-b"))).join();
        assertThat(syncB).isDone();
        assertThat(new String(b.assignment, StandardCharsets.UTF_8)).isEqualTo("for-b");
        assertThat(new String(a.assignment, StandardCharsets.UTF_8)).isEqualTo("for-a");
        assertThat(syncB.join().get(SyncGroupResponse.PROTOCOL_NAME)).isEqualTo("range");
        assertThat(snapshot("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(a.heartbeat()).isEqualTo(ErrorCode.NONE);
        assertThat(b.heartbeat()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void theInitialRebalanceDelayIsExtendedByEachNewMemberUpToTheRebalanceTimeout() {
        f.close();
        f = CoordinatorFixture.started(Map.of(GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "3000"));
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        CompletableFuture<Struct> joinA = a.joinWithRetry();
        f.time.advance(2000);
        CompletableFuture<Struct> joinB = b.joinWithRetry();
        f.time.advance(1000); // first delay over, but b joined meanwhile: 3000 more
        assertThat(joinA).isNotDone();
        f.time.advance(2999);
        assertThat(joinA).isNotDone();
        f.time.advance(1);
        assertThat(joinA).isDone();
        assertThat(joinB).isDone();
        assertThat(a.generation).isEqualTo(1);
    }

    @Test
    void aMemberThatStopsHeartbeatingIsRemovedAfterItsSessionTimeoutAndTheOthersRebalance() {
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        formGroup(a, b);
        for (int i = 0; i < 3; i++) {
            f.time.advance(3000);
            assertThat(a.heartbeat()).isEqualTo(ErrorCode.NONE);
        }
        f.time.advance(999); // 9999 ms since b's sync
        assertThat(snapshot("g").members()).hasSize(2);
        f.time.advance(1);
        assertThat(snapshot("g").members()).extracting(GroupSnapshot.Member::memberId).containsExactly(a.memberId);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(a.heartbeat()).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        assertThat(b.heartbeat()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        CompletableFuture<Struct> rejoin = a.join();
        assertThat(rejoin).as("the only member left has rejoined: the join phase completes at once").isDone();
        assertThat(a.generation).isEqualTo(2);
        assertThat(a.members).containsExactly(a.memberId);
    }

    @Test
    void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved() {
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        formGroup(a, b);
        CompletableFuture<Struct> rejoin = a.join(); // the leader asks for a rebalance
        assertThat(rejoin).isNotDone();
        // b keeps heartbeating (so its session never expires) but never rejoins
        for (int i = 0; i < 9; i++) {
            f.time.advance(3000);
            assertThat(b.heartbeat()).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        }
        assertThat(rejoin).isNotDone();
        f.time.advance(3000); // 30000 ms: a's rebalance timeout
        assertThat(rejoin).isDone();
        assertThat(a.generation).isEqualTo(2);
        assertThat(a.members).containsExactly(a.memberId);
        assertThat(b.heartbeat()).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatGetsItsJoinResponseButNeverSyncsIsRemovedAfterTheRebalanceTimeout() {
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        CompletableFuture<Struct> ja = a.joinWithRetry();
        CompletableFuture<Struct> jb = b.joinWithRetry();
        f.time.runDue();
        assertThat(ja).isDone();
        assertThat(jb).isDone();
        a.syncWithIdAssignments().join();
        assertThat(snapshot("g").pendingSyncMembers()).containsExactly(b.memberId);
        for (int i = 0; i < 10; i++) {
            f.time.advance(3000);
            a.heartbeat();
        }
        GroupSnapshot after = snapshot("g");
        assertThat(after.members()).extracting(GroupSnapshot.Member::memberId).containsExactly(a.memberId);
        assertThat(after.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    }

    @Test
    void aStaticMemberRejoiningWithTheSameMetadataKeepsItsSlotAndAssignmentWithoutARebalance() {
        Map<String, byte[]> subscription = Requests.protocols("range", Requests.subscription("t"));
        TestMember a = new TestMember(f, "g", "instance-a", subscription);
        TestMember b = new TestMember(f, "g", "instance-b", subscription);
        formGroup(a, b);
        String oldB = b.memberId;
        byte[] assignedB = b.assignment;

        // b restarts: same instance id, no member id, same subscription
        TestMember b2 = new TestMember(f, "g", "instance-b", subscription);
        CompletableFuture<Struct> rejoin = b2.join();
        assertThat(rejoin).as("no rebalance: answered at once").isDone();
        assertThat(error(rejoin.join())).isEqualTo(ErrorCode.NONE);
        assertThat(b2.memberId).startsWith("instance-b-").isNotEqualTo(oldB);
        assertThat(b2.generation).isEqualTo(1);
        assertThat(rejoin.join().get(JoinGroupResponse.SKIP_ASSIGNMENT)).isFalse();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(snapshot("g").generationId()).isEqualTo(1);
        assertThat(a.heartbeat()).isEqualTo(ErrorCode.NONE);

        b2.sync(Map.of()).join();
        assertThat(b2.assignment).isEqualTo(assignedB);
        // the old incarnation is fenced
        assertThat(b.heartbeat()).isEqualTo(ErrorCode.FENCED_INSTANCE_ID);
        assertThat(b.commit("t", 0, 5)).isEqualTo(ErrorCode.FENCED_INSTANCE_ID);
        assertThat(error(b.join().join())).isEqualTo(ErrorCode.FENCED_INSTANCE_ID);
        assertThat(snapshot("g").generationId()).as("fencing does not rebalance").isEqualTo(1);
        assertThat(b2.heartbeat()).isEqualTo(ErrorCode.NONE);
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
    void aStaticMemberRejoiningWithAProtocolChangeTriggersARebalance() {
        Map<String, byte[]> both = Requests.protocols("range", Requests.subscription("t"), "roundrobin", Requests.subscription("t"));
        TestMember a = new TestMember(f, "g", "instance-a", both);
        TestMember b = new TestMember(f, "g", "instance-b", both);
        formGroup(a, b);
        TestMember b2 = new TestMember(f, "g", "instance-b", Requests.protocols("roundrobin", Requests.subscription("t")));
        CompletableFuture<Struct> rejoin = b2.join();
        assertThat(rejoin).isNotDone();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        CompletableFuture<Struct> ra = a.join();
        assertThat(ra).isDone();
        assertThat(rejoin).isDone();
        assertThat(ra.join().get(JoinGroupResponse.PROTOCOL_NAME)).isEqualTo("roundrobin");
        assertThat(b2.generation).isEqualTo(2);
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
    void membersMustShareTheProtocolTypeAndAProtocol() {
        TestMember a = new TestMember(f, "g");
        a.joinWithRetry();
        TestMember connect = new TestMember(f, "g");
        connect.protocolType = "connect";
        assertThat(error(connect.join().join())).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        TestMember other = new TestMember(f, "g", null, Requests.protocols("roundrobin", Requests.subscription("t")));
        assertThat(error(other.join().join())).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        TestMember noType = new TestMember(f, "fresh");
        noType.protocolType = "";
        assertThat(error(noType.join().join())).isEqualTo(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(snapshot("fresh")).as("a refused first join leaves no group behind").isNull();
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
    void theGroupMaxSizeRefusesNewMembersOnly() {
        f.close();
        f = CoordinatorFixture.started(Map.of(GroupCoordinatorConfig.MAX_SIZE, "2"));
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        TestMember c = new TestMember(f, "g");
        formGroup(a, b);
        CompletableFuture<Struct> third = c.joinWithRetry();
        assertThat(error(third.join())).isEqualTo(ErrorCode.GROUP_MAX_SIZE_REACHED);
        assertThat(snapshot("g").members()).hasSize(2);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(a.heartbeat()).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void aPendingMemberThatNeverRejoinsIsForgottenAfterItsSessionTimeout() {
        TestMember a = new TestMember(f, "g");
        assertThat(error(a.join().join())).isEqualTo(ErrorCode.MEMBER_ID_REQUIRED);
        assertThat(snapshot("g").pendingMembers()).isEqualTo(1);
        f.time.advance(10_000);
        assertThat(snapshot("g")).as("nothing else kept the group").isNull();
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

    @Test
    void aLostJoinResponseIsAnsweredAgainButNewMetadataDuringCompletingRebalanceRestartsItAndParkedSyncsAreToldSo() {
        TestMember a = new TestMember(f, "g");
        TestMember b = new TestMember(f, "g");
        TestMember c = new TestMember(f, "g");
        List<CompletableFuture<Struct>> joins = List.of(a.joinWithRetry(), b.joinWithRetry(), c.joinWithRetry());
        f.time.runDue();
        joins.forEach(j -> assertThat(j).isDone());
        // c lost its join response and joins again with the same metadata: the same generation again
        CompletableFuture<Struct> again = c.join();
        assertThat(again).isDone();
        assertThat(c.generation).isEqualTo(1);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        // b waits for the leader's assignment; c changes its subscription instead
        CompletableFuture<Struct> syncB = b.sync(Map.of());
        assertThat(syncB).isNotDone();
        c.protocols = Requests.protocols("range", Requests.subscription("t", "u"));
        CompletableFuture<Struct> changed = c.join();
        assertThat(changed).isNotDone();
        assertThat(syncB).isDone();
        assertThat(error(syncB.join())).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        CompletableFuture<Struct> ra = a.join();
        CompletableFuture<Struct> rb = b.join();
        assertThat(ra).isDone();
        assertThat(rb).isDone();
        assertThat(changed).isDone();
        assertThat(a.generation).isEqualTo(2).isEqualTo(b.generation).isEqualTo(c.generation);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
