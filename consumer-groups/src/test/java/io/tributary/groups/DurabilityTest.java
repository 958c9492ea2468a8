package io.tributary.groups;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.groups.classic.GroupState;
import io.tributary.groups.storage.OffsetsPartition;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
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

import static org.assertj.core.api.Assertions.assertThat;

/** Commits and group metadata survive a restart, clean or not; the log holds what Kafka would write. */
class DurabilityTest {
    private GroupsFixture f = GroupsFixture.started(Map.of());
    private final List<GroupsFixture> others = new ArrayList<>();

    @AfterEach
    void close() {
        others.forEach(GroupsFixture::close);
        f.close();
    }

    private GroupClient[] stableGroup(String group, String... instanceIds) {
        GroupClient[] members = new GroupClient[instanceIds.length];
        List<CompletableFuture<JoinOutcome>> joins = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            members[i] = new GroupClient(f, group, instanceIds[i], GroupClient.protocols("range", GroupsFixture.subscription("t")));
            joins.add(members[i].joinWithRetry());
        }
        f.time.runDue();
        joins.forEach(j -> assertThat(j.join().error()).isEqualTo(GroupError.NONE));
        for (GroupClient m : members) {
            m.syncWithIdAssignments();
        }
        for (GroupClient m : members) {
            assertThat(m.assignment).isNotNull();
        }
        return members;
    }

    private static long committed(GroupsFixture fx, String group, String topic, int partition) {
        FetchedOffsets r = fx.coordinator.offsetFetch(new OffsetFetch(group, List.of(new OffsetFetch.Topic(topic, null,
            new int[] {partition})))).join();
        return r.topics().get(0).partitions().get(0).offset();
    }

    /** A commit from outside the group protocol (no generation, no member), as a simple consumer makes. */
    private void simpleCommit(String group, String topic, int partition, long offset) {
        CompletableFuture<CommitOutcome> answer = f.coordinator.offsetCommit(new OffsetCommit(group, -1, "", null, -1,
            List.of(new OffsetCommit.Topic(topic, null, List.of(new OffsetCommit.Partition(partition, offset, -1, "m" + offset))))));
        if (!answer.isDone()) {
            throw new AssertionError("OffsetCommit was not answered at once: " + group);
        }
    }

    private void checkSurvivors(GroupsFixture fx, GroupClient[] members) {
        assertThat(committed(fx, "g", "t", 0)).isEqualTo(100);
        assertThat(committed(fx, "g", "t", 1)).isEqualTo(201);
        assertThat(committed(fx, "simple", "u", 3)).isEqualTo(7);
        GroupSnapshot g = fx.coordinator.snapshot("g").join();
        assertThat(g.state()).isEqualTo(GroupState.STABLE);
        assertThat(g.generationId()).isEqualTo(1);
        assertThat(g.protocolName()).isEqualTo("range");
        assertThat(g.leaderId()).isEqualTo(members[0].memberId);
        for (GroupClient m : members) {
            assertThat(g.member(m.memberId).assignment()).isEqualTo(m.memberId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertThat(g.member(m.memberId).groupInstanceId()).isEqualTo(m.instanceId);
        }
        assertThat(fx.coordinator.snapshot("emptied").join().state()).isEqualTo(GroupState.EMPTY);
        assertThat(fx.coordinator.snapshot("emptied").join().generationId()).isEqualTo(2);
    }

    private GroupClient[] writeState() {
        GroupClient[] members = stableGroup("g", "instance-a", null);
        assertThat(members[0].commit("t", 0, 100)).isEqualTo(GroupError.NONE);
        assertThat(members[1].commit("t", 1, 200)).isEqualTo(GroupError.NONE);
        assertThat(members[1].commit("t", 1, 201)).isEqualTo(GroupError.NONE);
        simpleCommit("simple", "u", 3, 7);
        GroupClient gone = stableGroup("emptied", (String) null)[0];
        assertThat(gone.leave()).isEqualTo(GroupError.NONE);
        return members;
    }

    @Test
    void stateSurvivesACleanRestart() {
        GroupClient[] members = writeState();
        f.restartCleanly();
        checkSurvivors(f, members);
        // the members carry on: heartbeats in the restored generation work, and commits too
        f.time.advance(1000);
        assertThat(members[0].heartbeat()).isEqualTo(GroupError.NONE);
        assertThat(members[1].commit("t", 1, 300)).isEqualTo(GroupError.NONE);
    }

    @Test
    void stateSurvivesACrashOfTheWholeBroker() {
        GroupClient[] members = writeState();
        GroupsFixture recovered = f.crashCopy();
        others.add(recovered);
        checkSurvivors(recovered, members);
    }

    @Test
    void stateSurvivesACoordinatorRestartOnTheSameLogs() {
        GroupClient[] members = writeState();
        f.restartCoordinator();
        checkSurvivors(f, members);
    }

    @Test
    void restoredMembersThatNeverComeBackExpireAndTheGroupRebalances() {
        GroupClient[] members = writeState();
        f.restartCleanly();
        for (int i = 0; i < 3; i++) {
            f.time.advance(3000);
            assertThat(members[0].heartbeat()).isEqualTo(GroupError.NONE);
        }
        f.time.advance(3000); // 12 s after the load: the silent member's 10 s session is over
        assertThat(members[0].heartbeat()).isEqualTo(GroupError.REBALANCE_IN_PROGRESS);
        GroupSnapshot g = f.coordinator.snapshot("g").join();
        assertThat(g.members()).extracting(GroupSnapshot.Member::memberId).containsExactly(members[0].memberId);
        assertThat(g.state()).isEqualTo(GroupState.PREPARING_REBALANCE);
    }

    @Test
    void garbageInTheOffsetsTopicIsSkipped() {
        simpleCommit("simple", "u", 3, 7);
        PartitionLog log = f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, f.coordinator.partitionFor("simple")));
        RecordBatchBuilder garbage = new RecordBatchBuilder(Compression.NONE);
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 1, 0, 9, 'x'}), ByteBuffer.wrap(new byte[] {1})); // truncated key
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 1, 0, 1, 's', 0, 1, 'u', 0, 0, 0, 3}),
            ByteBuffer.wrap(new byte[] {0, 3, 1}));                                                      // truncated value
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 2, 0, 1, 'z'}), ByteBuffer.wrap(new byte[] {(byte) 0x80, 0})); // bad version
        garbage.append(1, ByteBuffer.wrap(new byte[] {0, 9, 0, 1, 'z'}), ByteBuffer.wrap(new byte[] {0}));  // another coordinator's type
        log.append(garbage.build(), 0);
        simpleCommit("simple", "u", 4, 8);

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
        GroupClient[] members = writeState();
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
                            assertThat(v.commitTimestamp()).isEqualTo(GroupsFixture.START_MS);
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
                            assertThat(v.members().get(0).subscription()).isEqualTo(GroupsFixture.subscription("t"));
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
