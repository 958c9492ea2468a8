package io.tributary.server.group;

import io.tributary.groups.GroupCoordinator;
import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.group.OffsetFetchResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.Record;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.RecordBatchReader;
import io.tributary.protocol.record.Records;
import io.tributary.protocol.record.compression.Compression;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.tributary.server.group.TestMember.error;
import static org.assertj.core.api.Assertions.assertThat;

/** Commits and group metadata survive a restart, clean or not; the log holds what Kafka would write. */
class DurabilityTest {
    private CoordinatorFixture f = CoordinatorFixture.started(Map.of());
    private final List<CoordinatorFixture> others = new ArrayList<>();

    @AfterEach
    void close() {
        others.forEach(CoordinatorFixture::close);
        f.close();
    }

    private TestMember[] stableGroup(String group, String... instanceIds) {
        TestMember[] members = new TestMember[instanceIds.length];
        List<CompletableFuture<Struct>> joins = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            members[i] = new TestMember(f, group, instanceIds[i], Requests.protocols("range", Requests.subscription("t")));
            joins.add(members[i].joinWithRetry());
        }
        f.time.runDue();
        joins.forEach(j -> assertThat(error(j.join())).isEqualTo(ErrorCode.NONE));
        for (TestMember m : members) {
            m.syncWithIdAssignments();
        }
        for (TestMember m : members) {
            assertThat(m.assignment).isNotNull();
        }
        return members;
    }

    private static long committed(CoordinatorFixture fx, String group, String topic, int partition) {
        Struct r = fx.call(ApiKey.OFFSET_FETCH, 7, Requests.fetch(group, topic, partition));
        return r.get(OffsetFetchResponse.TOPICS).get(0).get(OffsetFetchResponse.OffsetFetchResponseTopic.PARTITIONS).get(0)
            .get(OffsetFetchResponse.OffsetFetchResponsePartition.COMMITTED_OFFSET);
    }

    private void checkSurvivors(CoordinatorFixture fx, TestMember[] members) {
        assertThat(committed(fx, "g", "t", 0)).isEqualTo(100);
        assertThat(committed(fx, "g", "t", 1)).isEqualTo(201);
        assertThat(committed(fx, "simple", "u", 3)).isEqualTo(7);
        GroupSnapshot g = fx.coordinator.snapshot("g").join();
        assertThat(g.state()).isEqualTo(GroupState.STABLE);
        assertThat(g.generationId()).isEqualTo(1);
        assertThat(g.protocolName()).isEqualTo("range");
        assertThat(g.leaderId()).isEqualTo(members[0].memberId);
        for (TestMember m : members) {
            assertThat(g.member(m.memberId).assignment()).isEqualTo(m.memberId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(g.member(m.memberId).groupInstanceId()).isEqualTo(m.instanceId);
        }
        assertThat(fx.coordinator.snapshot("emptied").join().state()).isEqualTo(GroupState.EMPTY);
        assertThat(fx.coordinator.snapshot("emptied").join().generationId()).isEqualTo(2);
    }

    private TestMember[] writeState() {
        TestMember[] members = stableGroup("g", "instance-a", null);
        assertThat(members[0].commit("t", 0, 100)).isEqualTo(ErrorCode.NONE);
        assertThat(members[1].commit("t", 1, 200)).isEqualTo(ErrorCode.NONE);
        assertThat(members[1].commit("t", 1, 201)).isEqualTo(ErrorCode.NONE);
        f.call(ApiKey.OFFSET_COMMIT, 3, Requests.commit("simple", -1, "", "u", 3, 7));
        TestMember gone = stableGroup("emptied", (String) null)[0];
        assertThat(gone.leave()).isEqualTo(ErrorCode.NONE);
        return members;
    }

    @Test
    void stateSurvivesACleanRestart() {
        TestMember[] members = writeState();
        f.restartCleanly();
        checkSurvivors(f, members);
        // the members carry on: heartbeats in the restored generation work, and commits too
        f.time.advance(1000);
        assertThat(members[0].heartbeat()).isEqualTo(ErrorCode.NONE);
        assertThat(members[1].commit("t", 1, 300)).isEqualTo(ErrorCode.NONE);
    }

    @Test
    void stateSurvivesACrashOfTheWholeBroker() {
        TestMember[] members = writeState();
        CoordinatorFixture recovered = f.crashCopy();
        others.add(recovered);
        checkSurvivors(recovered, members);
    }

    @Test
    void stateSurvivesACoordinatorRestartOnTheSameLogs() {
        TestMember[] members = writeState();
        f.restartCoordinator();
        checkSurvivors(f, members);
    }

    @Test
    void restoredMembersThatNeverComeBackExpireAndTheGroupRebalances() {
        TestMember[] members = writeState();
        f.restartCleanly();
        for (int i = 0; i < 3; i++) {
            f.time.advance(3000);
            assertThat(members[0].heartbeat()).isEqualTo(ErrorCode.NONE);
        }
        f.time.advance(3000); // 12 s after the load: the silent member's 10 s session is over
        assertThat(members[0].heartbeat()).isEqualTo(ErrorCode.REBALANCE_IN_PROGRESS);
        GroupSnapshot g = f.coordinator.snapshot("g").join();
        assertThat(g.members()).extracting(GroupSnapshot.Member::memberId).containsExactly(members[0].memberId);
        assertThat(g.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    }

    @Test
    void garbageInTheOffsetsTopicIsSkipped() {
        f.call(ApiKey.OFFSET_COMMIT, 3, Requests.commit("simple", -1, "", "u", 3, 7));
        PartitionLog log = f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, f.coordinator.partitionFor("simple")));
        RecordBatchBuilder garbage = new RecordBatchBuilder(Compression.NONE);
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 1, 0, 9, 'x'}), ByteBuffer.wrap(new byte[] {1})); // truncated key
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 1, 0, 1, 's', 0, 1, 'u', 0, 0, 0, 3}),
            ByteBuffer.wrap(new byte[] {0, 3, 1}));                                                      // truncated value
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 2, 0, 1, 'z'}), ByteBuffer.wrap(new byte[] {(byte) 0x80, 0})); // bad version
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 9, 0, 1, 'z'}), ByteBuffer.wrap(new byte[] {0}));  // another coordinator's type
        log.append(garbage.build(), 0);
        f.call(ApiKey.OFFSET_COMMIT, 3, Requests.commit("simple", -1, "", "u", 4, 8));

        OffsetsPartition.LoadStats stats = new OffsetsPartition(log, 1 << 20).load((record, offset) -> { });
        assertThat(stats.records()).isEqualTo(2);
        assertThat(stats.skipped()).isEqualTo(4); // (a keyless record cannot even be appended: the topic is compacted)
        f.restartCleanly();
        assertThat(committed(f, "simple", "u", 3)).isEqualTo(7);
        assertThat(committed(f, "simple", "u", 4)).isEqualTo(8);
        assertThat(f.coordinator.snapshot("z").join()).isNull();
    }

    @Test
    void theLogHoldsRecordsKafkasOwnClassesRead() throws Exception {
        TestMember[] members = writeState();
        PartitionLog log = f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, f.coordinator.partitionFor("g")));
        int offsets = 0;
        int groups = 0;
        try (LogSlice slice = log.read(0, Integer.MAX_VALUE, true)) {
            for (RecordBatch batch : Records.wrap(slice.readIntoHeap())) {
                for (Record r : RecordBatchReader.DEFAULT.read(batch)) {
                    ByteBuffer key = r.key();
                    short type = key.getShort();
                    ByteBuffer value = r.value();
                    short version = value.getShort();
                    if (type == 1) {
                        var k = new org.apache.kafka.coordinator.group.generated.OffsetCommitKey(new ByteBufferAccessor(key), (short) 0);
                        var v = new org.apache.kafka.coordinator.group.generated.OffsetCommitValue(new ByteBufferAccessor(value), version);
                        if (k.group().equals("g")) {
                            assertThat(version).isEqualTo((short) 4);
                            assertThat(k.topic()).isEqualTo("t");
                            assertThat(v.offset()).isIn(100L, 200L, 201L);
                            assertThat(v.metadata()).isEqualTo("m" + v.offset());
                            assertThat(v.commitTimestamp()).isEqualTo(CoordinatorFixture.START_MS);
                            assertThat(v.topicId().toString()).isEqualTo(org.apache.kafka.common.Uuid.fromString(
                                new org.apache.kafka.common.Uuid(f.topics.topicId("t").getMostSignificantBits(),
                                    f.topics.topicId("t").getLeastSignificantBits()).toString()).toString());
                            offsets++;
                        }
                    } else {
                        assertThat(type).isEqualTo((short) 2);
                        var k = new org.apache.kafka.coordinator.group.generated.GroupMetadataKey(new ByteBufferAccessor(key), (short) 0);
                        var v = new org.apache.kafka.coordinator.group.generated.GroupMetadataValue(new ByteBufferAccessor(value), version);
                        if (k.group().equals("g")) {
                            assertThat(version).isEqualTo((short) 3);
                            assertThat(v.protocolType()).isEqualTo("consumer");
                            assertThat(v.protocol()).isEqualTo("range");
                            assertThat(v.generation()).isEqualTo(1);
                            assertThat(v.leader()).isEqualTo(members[0].memberId);
                            assertThat(v.members()).extracting(m -> m.groupInstanceId()).containsExactly("instance-a", null);
                            assertThat(v.members().get(0).assignment()).isEqualTo(members[0].memberId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                            assertThat(v.members().get(0).subscription()).isEqualTo(Requests.subscription("t"));
                            groups++;
                        }
                    }
                }
            }
        }
        assertThat(offsets).isEqualTo(3);
        assertThat(groups).isEqualTo(1);
    }
}
