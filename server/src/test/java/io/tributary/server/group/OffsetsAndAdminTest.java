package io.tributary.server.group;

import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.GroupCoordinatorConfig;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.DeleteGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsResponse;
import io.tributary.protocol.message.group.DescribeGroupsResponse.DescribedGroup;
import io.tributary.protocol.message.group.FindCoordinatorResponse;
import io.tributary.protocol.message.group.ListGroupsResponse;
import io.tributary.protocol.message.group.OffsetCommitRequest;
import io.tributary.protocol.message.group.OffsetCommitResponse;
import io.tributary.protocol.message.group.OffsetDeleteResponse;
import io.tributary.protocol.message.group.OffsetFetchRequest;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.schema.Struct;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import static io.tributary.server.group.TestMember.error;
import static org.assertj.core.api.Assertions.assertThat;

/** Committed offsets, ownership of the offsets partitions, and the group administration APIs. */
class OffsetsAndAdminTest {
    private CoordinatorFixture f = CoordinatorFixture.started(Map.of());

    @AfterEach
    void close() {
        f.close();
    }

    private TestMember stableMember(String group) {
        return stableMember(group, 10_000);
    }

    private TestMember stableMember(String group, int sessionTimeoutMs) {
        TestMember m = new TestMember(f, group);
        m.sessionTimeoutMs = sessionTimeoutMs;
        CompletableFuture<Struct> join = m.joinWithRetry();
        f.time.runDue();
        assertThat(error(join.join())).isEqualTo(ErrorCode.NONE);
        assertThat(error(m.syncWithIdAssignments().join())).isEqualTo(ErrorCode.NONE);
        return m;
    }

    private long offsetsLogEnd(String group) {
        return f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, f.coordinator.partitionFor(group))).logEndOffset();
    }

    private static List<ErrorCode> commitErrors(Struct response) {
        List<ErrorCode> errors = new ArrayList<>();
        for (Struct t : response.get(OffsetCommitResponse.TOPICS)) {
            for (Struct p : t.get(OffsetCommitResponse.OffsetCommitResponseTopic.PARTITIONS)) {
                errors.add(ErrorCode.forCode(p.get(OffsetCommitResponse.OffsetCommitResponsePartition.ERROR_CODE)));
            }
        }
        return errors;
    }

    private Long committed(String group, String topic, int partition) {
        Struct r = f.call(ApiKey.OFFSET_FETCH, 7, Requests.fetch(group, topic, partition));
        long offset = r.get(OffsetFetchResponse.TOPICS).get(0).get(OffsetFetchResponse.OffsetFetchResponseTopic.PARTITIONS).get(0)
            .get(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_OFFSET);
        return offset < 0 ? null : offset;
    }

    @Test
    void commitsFromStrangersOrOldGenerationsAreRefusedAndChangeNothing() {
        TestMember a = stableMember("g");
        assertThat(a.commit("t", 0, 10)).isEqualTo(ErrorCode.NONE);
        long end = offsetsLogEnd("g");

        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("g", 1, "stranger", "t", 0, 99))))
            .containsExactly(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("g", 0, a.memberId, "t", 0, 99))))
            .containsExactly(ErrorCode.ILLEGAL_GENERATION);
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("g", -1, "", "t", 0, 99))))
            .as("a simple commit while the group has members").containsExactly(ErrorCode.UNKNOWN_MEMBER_ID);
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("gone", 3, "x", "t", 0, 99))))
            .as("a member of a group that does not exist").containsExactly(ErrorCode.ILLEGAL_GENERATION);
        assertThat(offsetsLogEnd("g")).as("nothing was appended").isEqualTo(end);
        assertThat(committed("g", "t", 0)).isEqualTo(10L);
        assertThat(f.coordinator.snapshot("gone").join()).isNull();
    }

    @Test
    void partitionErrorsAreReportedEachAndTheRestIsCommitted() {
        TestMember a = stableMember("g");
        Struct request = Requests.commit("g", a.generation, a.memberId, "t", Map.of(0, 5L, 99, 6L));
        request.add(OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.OffsetCommitRequestTopic.NAME, "missing")
            .add(OffsetCommitRequest.OffsetCommitRequestTopic.PARTITIONS)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.PARTITION_INDEX, 0)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_OFFSET, 1L);
        request.add(OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.OffsetCommitRequestTopic.NAME, "u")
            .add(OffsetCommitRequest.OffsetCommitRequestTopic.PARTITIONS)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.PARTITION_INDEX, 1)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_OFFSET, 7L)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_METADATA, "x".repeat(4097));
        List<ErrorCode> errors = commitErrors(f.call(ApiKey.OFFSET_COMMIT, 9, request));
        assertThat(errors).containsExactlyInAnyOrder(ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
            ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, ErrorCode.OFFSET_METADATA_TOO_LARGE);
        assertThat(committed("g", "t", 0)).isEqualTo(5L);
        assertThat(committed("g", "u", 1)).isNull();
    }

    @Test
    void simpleConsumersCommitWithoutAGenerationAndMembersCannotCommitBeforeTheirAssignment() {
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 2, Requests.commit("simple", -1, "", "t", 3, 42)))).containsExactly(ErrorCode.NONE);
        assertThat(committed("simple", "t", 3)).isEqualTo(42L);
        assertThat(f.coordinator.snapshot("simple").join().state()).isEqualTo(GroupState.EMPTY);

        TestMember a = new TestMember(f, "g");
        CompletableFuture<Struct> join = a.joinWithRetry();
        f.time.runDue();
        join.join();
        assertThat(a.commit("t", 0, 1)).as("CompletingRebalance").isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        a.syncWithIdAssignments().join();
        assertThat(a.commit("t", 0, 1)).isEqualTo(ErrorCode.NONE);
        // during the next rebalance the member may still commit for its current generation (revocation)
        a.join();
        assertThat(f.coordinator.snapshot("g").join().state()).isIn(GroupState.PREPARING_REBALANCE, GroupState.COMPLETING_REBALANCE);
    }

    @Test
    void offsetFetchAnswersEveryVersionShape() {
        TestMember a = stableMember("g");
        a.commit("t", 0, 100);
        a.commit("t", 2, 200);
        a.commit("u", 1, 300);
        f.call(ApiKey.OFFSET_COMMIT, 2, Requests.commit("other", -1, "", "t", 5, 7));

        // v1: asked partitions only; one without a commit is -1 with metadata ""
        Struct v1 = f.call(ApiKey.OFFSET_FETCH, 1, Requests.fetch("g", "t", 0, 1));
        List<Struct> parts = v1.get(OffsetFetchResponse.TOPICS).get(0).get(OffsetFetchResponse.OffsetFetchResponseTopic.PARTITIONS);
        assertThat(parts).extracting(p -> p.get(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_OFFSET)).containsExactly(100L, -1L);
        assertThat(parts.get(1).get(OffsetFetchResponse.OffsetFetchResponsePartition.METADATA)).isEmpty();
        assertThat(parts.get(0).get(OffsetFetchResponse.OffsetFetchResponsePartition.METADATA)).isEqualTo("m100");

        // v7: topics null = everything committed
        Struct all = f.call(ApiKey.OFFSET_FETCH, 7, Requests.fetch("g", null).set(OffsetFetchRequest.REQUIRE_STABLE, true));
        assertThat(all.get(OffsetFetchResponse.TOPICS)).extracting(t -> t.get(OffsetFetchResponse.OffsetFetchResponseTopic.NAME))
            .containsExactly("t", "u");

        // v8: several groups at once, an unknown one empty
        Struct multi = f.call(ApiKey.OFFSET_FETCH, 8, Requests.fetchGroups(List.of("g", "other", "nobody")));
        List<Struct> groups = multi.get(OffsetFetchResponse.GROUPS);
        assertThat(groups).extracting(g -> g.get(OffsetFetchResponse.OffsetFetchResponseGroup.GROUP_ID)).containsExactly("g", "other", "nobody");
        assertThat(groups.get(1).get(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS).get(0)
            .get(OffsetFetchResponse.OffsetFetchResponseTopics.PARTITIONS).get(0)
            .get(OffsetFetchResponse.OffsetFetchResponsePartitions.COMMITTED_OFFSET)).isEqualTo(7L);
        assertThat(groups.get(2).get(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS)).isEmpty();

        // v10: topics by id, both ways
        UUID t = f.topics.topicId("t");
        Struct byId = OffsetFetchRequest.SCHEMA.newStruct();
        byId.add(OffsetFetchRequest.GROUPS).set(OffsetFetchRequest.OffsetFetchRequestGroup.GROUP_ID, "g")
            .add(OffsetFetchRequest.OffsetFetchRequestGroup.TOPICS).set(OffsetFetchRequest.OffsetFetchRequestTopics.TOPIC_ID, t)
            .set(OffsetFetchRequest.OffsetFetchRequestTopics.PARTITION_INDEXES, 2);
        Struct v10 = f.call(ApiKey.OFFSET_FETCH, 10, byId);
        Struct topic = v10.get(OffsetFetchResponse.GROUPS).get(0).get(OffsetFetchResponse.OffsetFetchResponseGroup.TOPICS).get(0);
        assertThat(topic.get(OffsetFetchResponse.OffsetFetchResponseTopics.TOPIC_ID)).isEqualTo(t);
        assertThat(topic.get(OffsetFetchResponse.OffsetFetchResponseTopics.PARTITIONS).get(0)
            .get(OffsetFetchResponse.OffsetFetchResponsePartitions.COMMITTED_OFFSET)).isEqualTo(200L);

        Struct commitById = OffsetCommitRequest.SCHEMA.newStruct().set(OffsetCommitRequest.GROUP_ID, "ids");
        commitById.add(OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.OffsetCommitRequestTopic.TOPIC_ID, t)
            .add(OffsetCommitRequest.OffsetCommitRequestTopic.PARTITIONS)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.PARTITION_INDEX, 4)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_OFFSET, 44L);
        commitById.add(OffsetCommitRequest.TOPICS).set(OffsetCommitRequest.OffsetCommitRequestTopic.TOPIC_ID, UUID.randomUUID())
            .add(OffsetCommitRequest.OffsetCommitRequestTopic.PARTITIONS)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.PARTITION_INDEX, 0)
            .set(OffsetCommitRequest.OffsetCommitRequestPartition.COMMITTED_OFFSET, 1L);
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 10, commitById))).containsExactly(ErrorCode.NONE, ErrorCode.UNKNOWN_TOPIC_ID);
        assertThat(committed("ids", "t", 4)).isEqualTo(44L);
    }

    @Test
    void groupsOfPartitionsThisBrokerDoesNotOwnGetNotCoordinator() {
        f.close();
        f = CoordinatorFixture.create(Map.of());
        f.coordinator.start(List.of(0, 1)).join();
        String owned = groupIn(0);
        String foreign = groupIn(2);
        assertThat(f.coordinator.owns(2)).isFalse();

        TestMember stranger = new TestMember(f, foreign);
        assertThat(error(stranger.join().join())).isEqualTo(ErrorCode.NOT_COORDINATOR);
        assertThat(error(f.call(ApiKey.HEARTBEAT, 4, Requests.heartbeat(foreign, 1, "m", null)))).isEqualTo(ErrorCode.NOT_COORDINATOR);
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit(foreign, -1, "", "t", 0, 1))))
            .containsExactly(ErrorCode.NOT_COORDINATOR);
        assertThat(f.call(ApiKey.OFFSET_FETCH, 7, Requests.fetch(foreign, null)).get(OffsetFetchResponse.ERROR_CODE))
            .isEqualTo(ErrorCode.NOT_COORDINATOR.code());
        assertThat(commitErrors(f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit(owned, -1, "", "t", 0, 1))))
            .containsExactly(ErrorCode.NONE);

        Struct found = f.call(ApiKey.FIND_COORDINATOR, 6, Requests.findCoordinators(0, owned, foreign));
        List<Struct> coordinators = found.get(FindCoordinatorResponse.COORDINATORS);
        assertThat(coordinators.get(0).get(FindCoordinatorResponse.Coordinator.ERROR_CODE)).isZero();
        assertThat(coordinators.get(0).get(FindCoordinatorResponse.Coordinator.HOST)).isEqualTo("broker-1");
        assertThat(coordinators.get(1).get(FindCoordinatorResponse.Coordinator.ERROR_CODE)).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE.code());

        // taking the partition over serves the group; giving one up answers parked joins NOT_COORDINATOR
        f.coordinator.elect(2).join();
        assertThat(error(stranger.join().join())).isEqualTo(ErrorCode.MEMBER_ID_REQUIRED);
        TestMember parked = new TestMember(f, owned);
        CompletableFuture<Struct> join = parked.joinWithRetry();
        assertThat(join).isNotDone();
        f.coordinator.resign(0).join();
        assertThat(error(join.join())).isEqualTo(ErrorCode.NOT_COORDINATOR);
        assertThat(error(f.call(ApiKey.HEARTBEAT, 4, Requests.heartbeat(owned, 1, "m", null)))).isEqualTo(ErrorCode.NOT_COORDINATOR);
    }

    private String groupIn(int partition) {
        for (int i = 0; i < 1000; i++) {
            if (GroupCoordinator.partitionFor("group-" + i, 4) == partition) {
                return "group-" + i;
            }
        }
        throw new AssertionError("No group name maps to partition " + partition + " among 1000");
    }

    @Test
    void requestsDuringTheLoadGetCoordinatorLoadInProgress() {
        f.close();
        f = CoordinatorFixture.create(Map.of());
        Queue<Runnable> queue = new ArrayDeque<>();
        boolean[] direct = {false};
        Executor queued = task -> {
            if (direct[0]) {
                task.run();
            } else {
                queue.add(task);
            }
        };
        f.coordinator.close();
        f.coordinator = new GroupCoordinator(f.config, f.logs, f.topics, f.time, queued);
        CompletableFuture<Void> started = f.coordinator.start();
        CompletableFuture<Struct> early = f.send(ApiKey.HEARTBEAT, 4, Requests.heartbeat("g", 1, "m", null));
        for (int i = 0; i < 1000 && !queue.isEmpty(); i++) {
            queue.poll().run();
        }
        assertThat(started).isDone();
        assertThat(error(early.join())).isEqualTo(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
        CompletableFuture<Struct> later = f.send(ApiKey.HEARTBEAT, 4, Requests.heartbeat("g", 1, "m", null));
        queue.poll().run();
        assertThat(error(later.join())).isEqualTo(ErrorCode.UNKNOWN_MEMBER_ID);
        direct[0] = true;
    }

    @Test
    void findCoordinatorAnswersEveryVersionAndRefusesTransactions() {
        for (int v = 0; v <= 3; v++) {
            Struct r = f.call(ApiKey.FIND_COORDINATOR, v, Requests.findCoordinator("g", 0));
            assertThat(r.get(FindCoordinatorResponse.ERROR_CODE)).isZero();
            assertThat(r.get(FindCoordinatorResponse.NODE_ID)).isEqualTo(1);
            assertThat(r.get(FindCoordinatorResponse.PORT)).isEqualTo(9092);
        }
        Struct txn = f.call(ApiKey.FIND_COORDINATOR, 3, Requests.findCoordinator("txn", 1));
        assertThat(txn.get(FindCoordinatorResponse.ERROR_CODE)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION.code());
        assertThat(txn.get(FindCoordinatorResponse.ERROR_MESSAGE)).contains("Transaction coordinators are not supported");
        Struct batch = f.call(ApiKey.FIND_COORDINATOR, 4, Requests.findCoordinators(1, "a", "b"));
        assertThat(batch.get(FindCoordinatorResponse.COORDINATORS)).extracting(c -> c.get(FindCoordinatorResponse.Coordinator.ERROR_CODE))
            .containsOnly(ErrorCode.UNSUPPORTED_VERSION.code());
    }

    @Test
    void describeListDeleteAndOffsetDeleteFollowKafka() {
        TestMember a = stableMember("live");
        a.commit("t", 0, 1);
        a.commit("u", 0, 2);
        f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("idle", -1, "", "t", 0, 3));

        Struct described = f.call(ApiKey.DESCRIBE_GROUPS, 5, Requests.describe("live", "nobody"));
        Struct live = described.get(DescribeGroupsResponse.GROUPS).get(0);
        assertThat(live.get(DescribedGroup.GROUP_STATE)).isEqualTo("Stable");
        assertThat(live.get(DescribedGroup.PROTOCOL_TYPE)).isEqualTo("consumer");
        assertThat(live.get(DescribedGroup.PROTOCOL_DATA)).isEqualTo("range");
        assertThat(live.get(DescribedGroup.AUTHORIZED_OPERATIONS)).isEqualTo(328);
        Struct member = live.get(DescribedGroup.MEMBERS).get(0);
        assertThat(member.get(DescribeGroupsResponse.DescribedGroupMember.MEMBER_ID)).isEqualTo(a.memberId);
        assertThat(member.get(DescribeGroupsResponse.DescribedGroupMember.CLIENT_HOST)).isEqualTo("/127.0.0.1");
        assertThat(member.get(DescribeGroupsResponse.DescribedGroupMember.MEMBER_ASSIGNMENT).remaining()).isEqualTo(a.memberId.length());
        Struct nobody = described.get(DescribeGroupsResponse.GROUPS).get(1);
        assertThat(nobody.get(DescribedGroup.GROUP_STATE)).isEqualTo("Dead");
        assertThat(nobody.get(DescribedGroup.ERROR_CODE)).isZero();
        Struct v6 = f.call(ApiKey.DESCRIBE_GROUPS, 6, Requests.describe("nobody")).get(DescribeGroupsResponse.GROUPS).get(0);
        assertThat(v6.get(DescribedGroup.ERROR_CODE)).isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND.code());

        assertThat(listed(f.call(ApiKey.LIST_GROUPS, 5, Requests.list(List.of(), List.of())))).containsExactlyInAnyOrder("live", "idle");
        assertThat(listed(f.call(ApiKey.LIST_GROUPS, 4, Requests.list(List.of("stable"), List.of())))).containsExactly("live");
        assertThat(listed(f.call(ApiKey.LIST_GROUPS, 5, Requests.list(List.of(), List.of("consumer"))))).isEmpty();
        assertThat(listed(f.call(ApiKey.LIST_GROUPS, 5, Requests.list(List.of("Empty"), List.of("Classic"))))).containsExactly("idle");
        assertThat(f.call(ApiKey.LIST_GROUPS, 5, Requests.list(List.of(), List.of())).get(ListGroupsResponse.GROUPS).get(0)
            .get(ListGroupsResponse.ListedGroup.GROUP_TYPE)).isEqualTo("classic");

        // a consumer group cannot lose the offsets of a topic it subscribes to ("t"), but can of others ("u")
        Struct subscribed = f.call(ApiKey.OFFSET_DELETE, 0, Requests.deleteOffsets("live", "t", 0));
        assertThat(partitionError(subscribed)).isEqualTo(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);
        Struct other = f.call(ApiKey.OFFSET_DELETE, 0, Requests.deleteOffsets("live", "u", 0));
        assertThat(partitionError(other)).isEqualTo(ErrorCode.NONE);
        assertThat(committed("live", "u", 0)).isNull();
        assertThat(committed("live", "t", 0)).isEqualTo(1L);
        assertThat(f.call(ApiKey.OFFSET_DELETE, 0, Requests.deleteOffsets("nobody", "t", 0)).get(OffsetDeleteResponse.ERROR_CODE))
            .isEqualTo(ErrorCode.GROUP_ID_NOT_FOUND.code());

        Struct deleted = f.call(ApiKey.DELETE_GROUPS, 2, Requests.deleteGroups("live", "idle", "nobody"));
        assertThat(deleted.get(DeleteGroupsResponse.RESULTS)).extracting(r -> ErrorCode.forCode(r.get(DeleteGroupsResponse.DeletableGroupResult.ERROR_CODE)))
            .containsExactly(ErrorCode.NON_EMPTY_GROUP, ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND);
        assertThat(committed("idle", "t", 0)).isNull();
        assertThat(listed(f.call(ApiKey.LIST_GROUPS, 0, Requests.list(List.of(), List.of())))).containsExactly("live");
        f.restartCoordinator();
        assertThat(committed("idle", "t", 0)).as("the deletion is durable").isNull();
        assertThat(f.coordinator.snapshot("idle").join()).isNull();
    }

    private static List<String> listed(Struct response) {
        assertThat(response.get(ListGroupsResponse.ERROR_CODE)).isZero();
        return response.get(ListGroupsResponse.GROUPS).stream().map(g -> g.get(ListGroupsResponse.ListedGroup.GROUP_ID)).toList();
    }

    private static ErrorCode partitionError(Struct offsetDelete) {
        assertThat(offsetDelete.get(OffsetDeleteResponse.ERROR_CODE)).isZero();
        return ErrorCode.forCode(offsetDelete.get(OffsetDeleteResponse.TOPICS).get(0)
            .get(OffsetDeleteResponse.OffsetDeleteResponseTopic.PARTITIONS).get(0)
            .get(OffsetDeleteResponse.OffsetDeleteResponsePartition.ERROR_CODE));
    }

    @Test
    void offsetsOfEmptyGroupsExpireAfterTheRetentionWithTombstonesAndTheGroupGoes() {
        f.close();
        f = CoordinatorFixture.started(Map.of(GroupCoordinatorConfig.OFFSETS_RETENTION_MINUTES, "60",
            GroupCoordinatorConfig.OFFSETS_RETENTION_CHECK_INTERVAL_MS, "60000"));
        TestMember a = stableMember("g", 120_000);
        a.commit("t", 0, 10);
        f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("simple", -1, "", "t", 0, 3));
        advanceMinutes(30, a);
        f.call(ApiKey.OFFSET_COMMIT, 8, Requests.commit("simple", -1, "", "t", 1, 4));
        // a stable group keeps the offsets of topics it consumes however old
        advanceMinutes(59, a);
        assertThat(committed("g", "t", 0)).isEqualTo(10L);
        assertThat(committed("simple", "t", 0)).as("a simple group's commit expires by its own age").isNull();
        assertThat(committed("simple", "t", 1)).isEqualTo(4L);

        assertThat(a.leave()).isEqualTo(ErrorCode.NONE);
        assertThat(f.coordinator.snapshot("g").join().state()).isEqualTo(GroupState.EMPTY);
        f.time.advance(59 * 60_000);
        assertThat(committed("g", "t", 0)).isEqualTo(10L);
        f.time.advance(2 * 60_000);
        assertThat(committed("g", "t", 0)).isNull();
        assertThat(f.coordinator.snapshot("g").join()).as("an empty group without offsets is deleted").isNull();
        f.restartCoordinator();
        assertThat(committed("g", "t", 0)).isNull();
        assertThat(f.coordinator.snapshot("g").join()).isNull();
        GroupSnapshot simple = f.coordinator.snapshot("simple").join();
        assertThat(simple == null ? null : simple.offset("t", 1)).as("expired by now too (90 min old)").isNull();
    }

    /** Moves time a minute at a time, the member heartbeating after each. */
    private void advanceMinutes(int minutes, TestMember member) {
        for (int i = 0; i < minutes; i++) {
            f.time.advance(60_000);
            assertThat(member.heartbeat()).isEqualTo(ErrorCode.NONE);
        }
    }

    @Test
    void aV2CommitWithItsOwnRetentionExpiresThen() {
        Struct request = Requests.commit("simple", -1, "", "t", 0, 3).set(OffsetCommitRequest.RETENTION_TIME_MS, 5000L);
        f.call(ApiKey.OFFSET_COMMIT, 2, request);
        f.time.advance(5000);
        assertThat(f.coordinator.expireOffsetsNow().join()).isEqualTo(1);
        assertThat(committed("simple", "t", 0)).isNull();
    }

    @Test
    void theOffsetsTopicIsCreatedWithKafkasSettings() {
        PartitionLog p0 = f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, 0));
        assertThat(f.logs.topic(GroupCoordinator.OFFSETS_TOPIC).partitionCount()).isEqualTo(4);
        assertThat(p0.config().segmentBytes).isEqualTo(104857600);
        assertThat(p0.config().compact).as("cleanup.policy=compact").isTrue();
        assertThat(p0.config().delete).as("no deletion by age").isFalse();
    }
}
