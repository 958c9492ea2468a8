package io.tributary.groups;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The coordinator in its own request types, at the seams of a partition's two parts: requests that need both
 * the membership state machine and the offset store (a commit, a group deletion, expiry, OffsetDelete), what
 * each part keeps across a reload, and the refusals as {@link GroupError}s.
 */
class ShardPartsTest {
    private static final int SESSION_MS = 10_000;
    private GroupsFixture f = GroupsFixture.started(Map.of(GroupCoordinatorConfig.OFFSETS_RETENTION_MINUTES, "1"));

    @AfterEach
    void close() {
        f.close();
    }

    /** A member of a group formed by one join and the leader's sync: its id and generation. */
    private record Member(String memberId, int generation) {
    }

    private CompletableFuture<JoinOutcome> join(String group, String memberId, String... topics) {
        return f.coordinator.joinGroup(new JoinGroup(group, memberId, null, "client", "/127.0.0.1", SESSION_MS, 30_000,
            "consumer", List.of(new Protocol("range", GroupsFixture.subscription(topics))), false, true));
    }

    /** One member joins (without the member-id round trip), the join phase completes, it syncs as leader. */
    private Member formAlone(String group, String... topics) {
        CompletableFuture<JoinOutcome> joined = join(group, "", topics);
        f.time.runDue();
        JoinOutcome outcome = joined.join();
        assertThat(outcome.error()).isEqualTo(GroupError.NONE);
        assertThat(outcome.leaderId()).isEqualTo(outcome.memberId());
        SyncOutcome synced = f.coordinator.syncGroup(new SyncGroup(group, outcome.memberId(), null, outcome.generationId(),
            "consumer", "range", Map.of(outcome.memberId(), bytes("mine")))).join();
        assertThat(synced.error()).isEqualTo(GroupError.NONE);
        assertThat(new String(synced.assignment(), StandardCharsets.UTF_8)).isEqualTo("mine");
        return new Member(outcome.memberId(), outcome.generationId());
    }

    private GroupError commit(String group, int generation, String memberId, String topic, int partition, long offset) {
        CompletableFuture<CommitOutcome> answer = f.coordinator.offsetCommit(new OffsetCommit(group, generation, memberId, null, -1,
            List.of(new OffsetCommit.Topic(topic, null, List.of(new OffsetCommit.Partition(partition, offset, 3, "m"))))));
        assertThat(answer).as("a commit is answered once appended, at once here").isDone();
        return answer.join().partitionErrors().get(0).get(0);
    }

    private FetchedOffsets.Partition fetched(String group, String topic, int partition) {
        FetchedOffsets fetched = f.coordinator.offsetFetch(new OffsetFetch(group,
            List.of(new OffsetFetch.Topic(topic, null, new int[] {partition})))).join();
        assertThat(fetched.error()).isEqualTo(GroupError.NONE);
        return fetched.topics().get(0).partitions().get(0);
    }

    private GroupSnapshot snapshot(String group) {
        return f.coordinator.snapshot(group).join();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theMembershipDecidesWhoMayCommitAndTheStoreKeepsOnlyAcceptedCommits() {
        Member a = formAlone("g", "t");
        assertThat(commit("g", a.generation(), a.memberId(), "t", 0, 42)).isEqualTo(GroupError.NONE);
        assertThat(fetched("g", "t", 0)).isEqualTo(new FetchedOffsets.Partition(0, 42, 3, "m", GroupError.NONE));

        assertThat(commit("g", a.generation() + 1, a.memberId(), "t", 0, 43)).isEqualTo(GroupError.ILLEGAL_GENERATION);
        assertThat(commit("g", a.generation(), "stranger", "t", 0, 44)).isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(commit("g", -1, "", "t", 0, 45)).as("a Stable group takes no commit from outside")
            .isEqualTo(GroupError.UNKNOWN_MEMBER_ID);
        assertThat(commit("g", a.generation(), a.memberId(), "t", 99, 46)).isEqualTo(GroupError.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(fetched("g", "t", 0).offset()).as("refused commits change nothing").isEqualTo(42);
        assertThat(snapshot("g").offsets()).isEqualTo(Map.of("t", Map.of(0, 42L)));
    }

    @Test
    void anAcceptedCommitKeepsTheMemberAliveAsAHeartbeatDoes() {
        Member a = formAlone("g", "t");
        for (int i = 0; i < 3; i++) {
            f.time.advance(SESSION_MS - 1);
            assertThat(commit("g", a.generation(), a.memberId(), "t", 0, i)).isEqualTo(GroupError.NONE);
        }
        assertThat(snapshot("g").member(a.memberId())).isNotNull();
        f.time.advance(SESSION_MS);
        assertThat(snapshot("g").members()).as("no commit or heartbeat for a session timeout").isEmpty();
        assertThat(snapshot("g").offsets()).as("the offsets stay with the emptied group").isEqualTo(Map.of("t", Map.of(0, 2L)));
    }

    @Test
    void aSimpleCommitCreatesAGroupThatHoldsOnlyOffsetsAndDeletingItRemovesBothForGood() {
        assertThat(commit("simple", -1, "", "t", 1, 7)).isEqualTo(GroupError.NONE);
        assertThat(snapshot("simple").state()).isEqualTo(GroupState.EMPTY);
        assertThat(f.coordinator.describeGroup("simple").join().exists()).isTrue();

        f.restartCoordinator();
        assertThat(snapshot("simple").offsets()).as("reloaded from the log").isEqualTo(Map.of("t", Map.of(1, 7L)));
        assertThat(f.coordinator.deleteGroup("simple").join()).isEqualTo(GroupError.NONE);
        assertThat(snapshot("simple")).isNull();
        assertThat(fetched("simple", "t", 1)).isEqualTo(new FetchedOffsets.Partition(1, -1, -1, "", GroupError.NONE));

        f.restartCoordinator();
        assertThat(snapshot("simple")).as("the tombstones are in the log").isNull();
        assertThat(fetched("simple", "t", 1).offset()).isEqualTo(-1);
        assertThat(f.coordinator.deleteGroup("simple").join()).isEqualTo(GroupError.GROUP_ID_NOT_FOUND);
    }

    @Test
    void onlyAnEmptyGroupMayBeDeleted() {
        Member a = formAlone("g", "t");
        assertThat(f.coordinator.deleteGroup("g").join()).isEqualTo(GroupError.NON_EMPTY_GROUP);
        LeaveOutcome left = f.coordinator.leaveGroup(new LeaveGroup("g", List.of(new LeaveGroup.Leaving(a.memberId(), null)))).join();
        assertThat(left).isEqualTo(new LeaveOutcome(GroupError.NONE, List.of(GroupError.NONE)));
        f.time.runDue();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.EMPTY);
        assertThat(f.coordinator.deleteGroup("g").join()).isEqualTo(GroupError.NONE);
        assertThat(snapshot("g")).isNull();
    }

    @Test
    void anEmptyGroupsOffsetsExpireAfterTheRetentionAndTheGroupGoesWithTheLastOfThem() {
        Member a = formAlone("g", "t");
        assertThat(commit("g", a.generation(), a.memberId(), "t", 0, 5)).isEqualTo(GroupError.NONE);
        f.coordinator.leaveGroup(new LeaveGroup("g", List.of(new LeaveGroup.Leaving(a.memberId(), null)))).join();
        f.time.runDue();
        assertThat(snapshot("g").state()).isEqualTo(GroupState.EMPTY);
        assertThat(f.coordinator.expireOffsetsNow().join()).as("not yet a minute empty").isZero();

        f.time.advance(60_000);
        assertThat(f.coordinator.expireOffsetsNow().join()).isEqualTo(1);
        assertThat(snapshot("g")).isNull();
        f.restartCoordinator();
        assertThat(snapshot("g")).isNull();
        assertThat(fetched("g", "t", 0).offset()).isEqualTo(-1);
    }

    @Test
    void aStableConsumerGroupKeepsTheOffsetsOfTopicsItConsumesAndMayDeleteTheOthers() {
        assertThat(commit("g", -1, "", "u", 0, 9)).as("committed while the group was empty").isEqualTo(GroupError.NONE);
        Member a = formAlone("g", "t");
        assertThat(commit("g", a.generation(), a.memberId(), "t", 0, 1)).isEqualTo(GroupError.NONE);

        OffsetDeleteOutcome deleted = f.coordinator.offsetDelete(new OffsetDelete("g",
            List.of(new OffsetDelete.Topic("t", new int[] {0}), new OffsetDelete.Topic("u", new int[] {0, 1})))).join();
        assertThat(deleted.error()).isEqualTo(GroupError.NONE);
        assertThat(deleted.partitionErrors()).containsExactly(List.of(GroupError.GROUP_SUBSCRIBED_TO_TOPIC),
            List.of(GroupError.NONE, GroupError.NONE));
        assertThat(snapshot("g").offsets()).isEqualTo(Map.of("t", Map.of(0, 1L)));

        assertThat(f.coordinator.offsetDelete(new OffsetDelete("nobody", List.of())).join())
            .isEqualTo(OffsetDeleteOutcome.refused(GroupError.GROUP_ID_NOT_FOUND));
    }

    @Test
    void aTopicNamedByAnUnknownIdIsRefusedForEachOfItsPartitions() {
        UUID unknown = new UUID(1, 2);
        CommitOutcome committed = f.coordinator.offsetCommit(new OffsetCommit("simple", -1, "", null, -1,
            List.of(new OffsetCommit.Topic(null, unknown, List.of(new OffsetCommit.Partition(0, 1, -1, null),
                new OffsetCommit.Partition(1, 1, -1, null))),
                new OffsetCommit.Topic(null, f.topics.topicId("t"), List.of(new OffsetCommit.Partition(2, 8, -1, null)))))).join();
        assertThat(committed.partitionErrors()).containsExactly(List.of(GroupError.UNKNOWN_TOPIC_ID, GroupError.UNKNOWN_TOPIC_ID),
            List.of(GroupError.NONE));

        FetchedOffsets fetched = f.coordinator.offsetFetch(new OffsetFetch("simple",
            List.of(new OffsetFetch.Topic(null, unknown, new int[] {0}), new OffsetFetch.Topic(null, f.topics.topicId("t"), new int[] {2}))))
            .join();
        assertThat(fetched.topics().get(0)).isEqualTo(new FetchedOffsets.Topic(null, unknown,
            List.of(new FetchedOffsets.Partition(0, -1, -1, "", GroupError.UNKNOWN_TOPIC_ID))));
        assertThat(fetched.topics().get(1).name()).isEqualTo("t");
        assertThat(fetched.topics().get(1).partitions()).containsExactly(new FetchedOffsets.Partition(2, 8, -1, "", GroupError.NONE));
    }

    @Test
    void givingUpThePartitionAnswersParkedJoinsNotCoordinatorAndForgetsBothParts() {
        f.close();
        f = GroupsFixture.started(Map.of(GroupCoordinatorConfig.INITIAL_REBALANCE_DELAY_MS, "3000"));
        assertThat(commit("g", -1, "", "t", 0, 3)).isEqualTo(GroupError.NONE);
        CompletableFuture<JoinOutcome> parked = join("g", "", "t");
        assertThat(parked).as("in the initial rebalance delay").isNotDone();

        int partition = f.coordinator.partitionFor("g");
        f.coordinator.resign(partition).join();
        assertThat(parked.join().error()).isEqualTo(GroupError.NOT_COORDINATOR);
        assertThat(snapshot("g")).isNull();
        assertThat(f.coordinator.offsetFetch(new OffsetFetch("g", null)).join()).isEqualTo(FetchedOffsets.refused(GroupError.NOT_COORDINATOR));

        f.coordinator.elect(partition).join();
        assertThat(snapshot("g").offsets()).as("loaded again from the log").isEqualTo(Map.of("t", Map.of(0, 3L)));
        assertThat(snapshot("g").members()).as("a parked join is not written").isEmpty();
    }
}
