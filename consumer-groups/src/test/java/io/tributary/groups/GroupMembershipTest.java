package io.tributary.groups;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The join / sync / heartbeat / leave state machine, driven by the coordinator's own request types and a manual clock. */
class GroupMembershipTest {
    private GroupsFixture f = GroupsFixture.started(Map.of());

    @AfterEach
    void close() {
        f.close();
    }

    private GroupSnapshot snapshot(String group) {
        return f.coordinator.snapshot(group).join();
    }

    /** Joins all members (v4+ style), completes the join phase, and syncs with each member's id as its assignment. */
    private void formGroup(GroupClient... members) {
        List<CompletableFuture<JoinOutcome>> joins = new ArrayList<>();
        for (GroupClient m : members) {
            joins.add(m.joinWithRetry());
        }
        f.time.runDue();
        for (CompletableFuture<JoinOutcome> j : joins) {
            assertThat(j).isDone();
            assertThat(j.join().error()).isEqualTo(GroupError.NONE);
        }
        List<CompletableFuture<SyncOutcome>> syncs = new ArrayList<>();
        for (GroupClient m : members) {
            syncs.add(m.syncWithIdAssignments());
        }
        for (CompletableFuture<SyncOutcome> s : syncs) {
            assertThat(s).isDone();
            assertThat(s.join().error()).isEqualTo(GroupError.NONE);
        }
    }

    @Test
    void firstJoinNeedsAMemberIdThenTheFirstMemberLeadsAndTheLeadersAssignmentReachesEveryone() {
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        JoinOutcome required = a.join().join();
        assertThat(required.error()).isEqualTo(GroupError.MEMBER_ID_REQUIRED);
        assertThat(a.memberId).startsWith("client-");
        assertThat(snapshot("g").pendingMembers()).isEqualTo(1);

        CompletableFuture<JoinOutcome> joinA = a.join();
        CompletableFuture<JoinOutcome> joinB = b.joinWithRetry();
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
        assertThat(joinA.join().protocolName()).isEqualTo("range");
        assertThat(snapshot("g").state()).isEqualTo(GroupState.COMPLETING_REBALANCE);

        CompletableFuture<SyncOutcome> syncB = b.sync(Map.of());
        assertThat(syncB).as("a follower waits for the leader's assignment").isNotDone();
        a.sync(Map.of(a.memberId, bytes("for-a"), b.memberId, bytes("for-b"))).join();
        assertThat(syncB).isDone();
        assertThat(new String(b.assignment, StandardCharsets.UTF_8)).isEqualTo("for-b");
        assertThat(new String(a.assignment, StandardCharsets.UTF_8)).isEqualTo("for-a");
        assertThat(syncB.join().protocolName()).isEqualTo("range");
        assertThat(snapshot("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(a.heartbeat()).isEqualTo(GroupError.NONE);
        assertThat(b.heartbeat()).isEqualTo(GroupError.NONE);
    }

    @Test
    void theInitialRebalanceDelayIsExtendedByEachNewMemberUpToTheRebalanceTimeout() {
        f.close();
        f = GroupsFixture.started(Map.of(GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "3000"));
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        CompletableFuture<JoinOutcome> joinA = a.joinWithRetry();
        f.time.advance(2000);
        CompletableFuture<JoinOutcome> joinB = b.joinWithRetry();
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
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        formGroup(a, b);
        for (int i = 0; i < 3; i++) {
            f.time.advance(3000);
            assertThat(a.heartbeat()).isEqualTo(GroupError.NONE);
        }
        f.time.advance(999); // 9999 ms since b's sync
        assertThat(snapshot("g").members()).hasSize(2);
        f.time.advance(1);
        assertThat(snapshot("g").members()).extracting(GroupSnapshot.Member::memberId).containsExactly(a.memberId);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        assertThat(a.heartbeat()).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        assertThat(b.heartbeat()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        CompletableFuture<JoinOutcome> rejoin = a.join();
        assertThat(rejoin).as("the only member left has rejoined: the join phase completes at once").isDone();
        assertThat(a.generation).isEqualTo(2);
        assertThat(a.members).containsExactly(a.memberId);
    }

    @Test
    void membersThatDoNotRejoinWithinTheRebalanceTimeoutAreRemoved() {
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        formGroup(a, b);
        CompletableFuture<JoinOutcome> rejoin = a.join(); // the leader asks for a rebalance
        assertThat(rejoin).isNotDone();
        // b keeps heartbeating (so its session never expires) but never rejoins
        for (int i = 0; i < 9; i++) {
            f.time.advance(3000);
            assertThat(b.heartbeat()).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        }
        assertThat(rejoin).isNotDone();
        f.time.advance(3000); // 30000 ms: a's rebalance timeout
        assertThat(rejoin).isDone();
        assertThat(a.generation).isEqualTo(2);
        assertThat(a.members).containsExactly(a.memberId);
        assertThat(b.heartbeat()).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
    }

    @Test
    void aMemberThatGetsItsJoinResponseButNeverSyncsIsRemovedAfterTheRebalanceTimeout() {
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        CompletableFuture<JoinOutcome> ja = a.joinWithRetry();
        CompletableFuture<JoinOutcome> jb = b.joinWithRetry();
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
        Map<String, byte[]> subscription = GroupClient.protocols("range", GroupsFixture.subscription("t"));
        GroupClient a = new GroupClient(f, "g", "instance-a", subscription);
        GroupClient b = new GroupClient(f, "g", "instance-b", subscription);
        formGroup(a, b);
        String oldB = b.memberId;
        byte[] assignedB = b.assignment;

        // b restarts: same instance id, no member id, same subscription
        GroupClient b2 = new GroupClient(f, "g", "instance-b", subscription);
        CompletableFuture<JoinOutcome> rejoin = b2.join();
        assertThat(rejoin).as("no rebalance: answered at once").isDone();
        assertThat(rejoin.join().error()).isEqualTo(GroupError.NONE);
        assertThat(b2.memberId).startsWith("instance-b-").isNotEqualTo(oldB);
        assertThat(b2.generation).isEqualTo(1);
        assertThat(rejoin.join().skipAssignment()).isFalse();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(snapshot("g").generationId()).isEqualTo(1);
        assertThat(a.heartbeat()).isEqualTo(GroupError.NONE);

        b2.sync(Map.of()).join();
        assertThat(b2.assignment).isEqualTo(assignedB);
        // the old incarnation is fenced
        assertThat(b.heartbeat()).isEqualTo(GroupError.FENCED_INSTANCE_ID);
        assertThat(b.commit("t", 0, 5)).isEqualTo(GroupError.FENCED_INSTANCE_ID);
        assertThat(b.join().join().error()).isEqualTo(GroupError.FENCED_INSTANCE_ID);
        assertThat(snapshot("g").generationId()).as("fencing does not rebalance").isEqualTo(1);
        assertThat(b2.heartbeat()).isEqualTo(GroupError.NONE);
    }

    @Test
    void aStaticMemberRejoiningWithAProtocolChangeTriggersARebalance() {
        Map<String, byte[]> both = GroupClient.protocols("range", GroupsFixture.subscription("t"), "roundrobin", GroupsFixture.subscription("t"));
        GroupClient a = new GroupClient(f, "g", "instance-a", both);
        GroupClient b = new GroupClient(f, "g", "instance-b", both);
        formGroup(a, b);
        GroupClient b2 = new GroupClient(f, "g", "instance-b", GroupClient.protocols("roundrobin", GroupsFixture.subscription("t")));
        CompletableFuture<JoinOutcome> rejoin = b2.join();
        assertThat(rejoin).isNotDone();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        CompletableFuture<JoinOutcome> ra = a.join();
        assertThat(ra).isDone();
        assertThat(rejoin).isDone();
        assertThat(ra.join().protocolName()).isEqualTo("roundrobin");
        assertThat(b2.generation).isEqualTo(2);
    }

    @Test
    void membersMustShareTheProtocolTypeAndAProtocol() {
        GroupClient a = new GroupClient(f, "g");
        a.joinWithRetry();
        GroupClient connect = new GroupClient(f, "g");
        connect.protocolType = "connect";
        assertThat(connect.join().join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
        GroupClient other = new GroupClient(f, "g", null, GroupClient.protocols("roundrobin", GroupsFixture.subscription("t")));
        assertThat(other.join().join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
        GroupClient noType = new GroupClient(f, "fresh");
        noType.protocolType = "";
        assertThat(noType.join().join().error()).isEqualTo(GroupError.INCONSISTENT_GROUP_PROTOCOL);
        assertThat(snapshot("fresh")).as("a refused first join leaves no group behind").isNull();
    }

    @Test
    void theGroupMaxSizeRefusesNewMembersOnly() {
        f.close();
        f = GroupsFixture.started(Map.of(GroupCoordinatorConfig.MAX_SIZE, "2"));
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        GroupClient c = new GroupClient(f, "g");
        formGroup(a, b);
        CompletableFuture<JoinOutcome> third = c.joinWithRetry();
        assertThat(third.join().error()).isEqualTo(GroupError.GROUP_MAX_SIZE_REACHED);
        assertThat(snapshot("g").members()).hasSize(2);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.STABLE);
        assertThat(a.heartbeat()).isEqualTo(GroupError.NONE);
    }

    @Test
    void aPendingMemberThatNeverRejoinsIsForgottenAfterItsSessionTimeout() {
        GroupClient a = new GroupClient(f, "g");
        assertThat(a.join().join().error()).isEqualTo(GroupError.MEMBER_ID_REQUIRED);
        assertThat(snapshot("g").pendingMembers()).isEqualTo(1);
        f.time.advance(10_000);
        assertThat(snapshot("g")).as("nothing else kept the group").isNull();
    }

    @Test
    void aLostJoinResponseIsAnsweredAgainButNewMetadataDuringCompletingRebalanceRestartsItAndParkedSyncsAreToldSo() {
        GroupClient a = new GroupClient(f, "g");
        GroupClient b = new GroupClient(f, "g");
        GroupClient c = new GroupClient(f, "g");
        List<CompletableFuture<JoinOutcome>> joins = List.of(a.joinWithRetry(), b.joinWithRetry(), c.joinWithRetry());
        f.time.runDue();
        joins.forEach(j -> assertThat(j).isDone());
        // c lost its join response and joins again with the same metadata: the same generation again
        CompletableFuture<JoinOutcome> again = c.join();
        assertThat(again).isDone();
        assertThat(c.generation).isEqualTo(1);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.COMPLETING_REBALANCE);
        // b waits for the leader's assignment; c changes its subscription instead
        CompletableFuture<SyncOutcome> syncB = b.sync(Map.of());
        assertThat(syncB).isNotDone();
        c.protocols = GroupClient.protocols("range", GroupsFixture.subscription("t", "u"));
        CompletableFuture<JoinOutcome> changed = c.join();
        assertThat(changed).isNotDone();
        assertThat(syncB).isDone();
        assertThat(syncB.join().error()).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        assertThat(snapshot("g").state()).isEqualTo(GroupState.PREPARING_REBALANCE);
        CompletableFuture<JoinOutcome> ra = a.join();
        CompletableFuture<JoinOutcome> rb = b.join();
        assertThat(ra).isDone();
        assertThat(rb).isDone();
        assertThat(changed).isDone();
        assertThat(a.generation).isEqualTo(2).isEqualTo(b.generation).isEqualTo(c.generation);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
