package io.tributary.groups;

import io.tributary.log.AppendReplication;
import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.record.RecordBatch;
import io.tributary.protocol.record.Records;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The group coordinator's writes wait for the partition's followers (Kafka's acks=-1 coordinator writes): a commit is
 * neither answered nor visible to OffsetFetch until its append is replicated, a failed wait answers Kafka's mapped
 * code and leaves the previous offset, a write refused before the append (too few replicas in sync, leadership gone)
 * writes nothing, callbacks keep append order, and batches carry the partition's leader epoch.
 * The replication waits are held by the test ({@link HeldReplication}); everything else runs on the test thread.
 */
@Timeout(60)
class ReplicatedWritesTest {
    private static final int LEADER_EPOCH = 7;
    private final GroupsFixture f = GroupsFixture.started(Map.of());
    private final HeldReplication replication = new HeldReplication();
    private final String group = "g-replicated";
    private final int partition;

    ReplicatedWritesTest() {
        f.coordinator.close();
        f.coordinator = new GroupCoordinator(f.config, f.logs, f.topics, f.time, Runnable::run, replication);
        f.coordinator.start(List.of()).join();
        partition = f.coordinator.partitionFor(group);
        f.coordinator.elect(partition, LEADER_EPOCH).join();
    }

    @AfterEach
    void close() {
        f.close();
    }

    /** Holds every wait until the test completes it. */
    static final class HeldReplication implements AppendReplication {
        final List<CompletableFuture<ErrorCode>> waits = new ArrayList<>();
        final List<Long> requiredOffsets = new ArrayList<>();
        volatile ErrorCode admission = ErrorCode.NONE;

        @Override
        public ErrorCode admit(TopicPartition partition) {
            return admission;
        }

        @Override
        public synchronized CompletableFuture<ErrorCode> await(TopicPartition partition, int leaderEpoch, long requiredOffset) {
            assertThat(leaderEpoch).isEqualTo(LEADER_EPOCH);
            CompletableFuture<ErrorCode> wait = new CompletableFuture<>();
            waits.add(wait);
            requiredOffsets.add(requiredOffset);
            return wait;
        }
    }

    private CompletableFuture<CommitOutcome> commit(long offset) {
        return f.coordinator.offsetCommit(new OffsetCommit(group, -1, "", null, -1,
            List.of(new OffsetCommit.Topic("t", null, List.of(new OffsetCommit.Partition(0, offset, -1, "m"))))));
    }

    private long fetched() {
        FetchedOffsets fetched = f.coordinator.offsetFetch(new OffsetFetch(group, List.of(new OffsetFetch.Topic("t", null, new int[] {0}))))
            .join();
        return fetched.topics().get(0).partitions().get(0).offset();
    }

    private static GroupError error(CompletableFuture<CommitOutcome> answer) {
        return answer.join().partitionErrors().get(0).get(0);
    }

    @Test
    void aCommitIsAnsweredAndVisibleOnlyOnceReplicated() {
        CompletableFuture<CommitOutcome> answer = commit(42);

        assertThat(replication.waits).hasSize(1);
        assertThat(answer).isNotDone();
        assertThat(fetched()).isEqualTo(-1);

        replication.waits.get(0).complete(ErrorCode.NONE);
        assertThat(error(answer)).isEqualTo(GroupError.NONE);
        assertThat(fetched()).isEqualTo(42);
    }

    @Test
    void aFailedReplicationAnswersTheMappedErrorAndKeepsThePreviousOffset() {
        CompletableFuture<CommitOutcome> first = commit(10);
        replication.waits.get(0).complete(ErrorCode.NONE);
        assertThat(error(first)).isEqualTo(GroupError.NONE);

        CompletableFuture<CommitOutcome> tooFewReplicas = commit(20);
        replication.waits.get(1).complete(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        assertThat(error(tooFewReplicas)).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);
        assertThat(fetched()).isEqualTo(10);

        CompletableFuture<CommitOutcome> timedOut = commit(30);
        replication.waits.get(2).complete(ErrorCode.REQUEST_TIMED_OUT);
        assertThat(error(timedOut)).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);

        CompletableFuture<CommitOutcome> deposed = commit(40);
        replication.waits.get(3).complete(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        assertThat(error(deposed)).isEqualTo(GroupError.NOT_COORDINATOR);
        assertThat(fetched()).isEqualTo(10);
    }

    @Test
    void aWriteRefusedBeforeTheAppendWritesNothing() {
        PartitionLog log = f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, partition));
        long endBefore = log.logEndOffset();

        replication.admission = ErrorCode.NOT_ENOUGH_REPLICAS;
        assertThat(error(commit(7))).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);
        replication.admission = ErrorCode.NOT_LEADER_OR_FOLLOWER;
        assertThat(error(commit(8))).isEqualTo(GroupError.NOT_COORDINATOR);
        assertThat(replication.waits).as("nothing appended, so nothing to wait for").isEmpty();
        assertThat(log.logEndOffset()).isEqualTo(endBefore);
        assertThat(fetched()).isEqualTo(-1);

        replication.admission = ErrorCode.NONE;
        CompletableFuture<CommitOutcome> admitted = commit(9);
        replication.waits.get(0).complete(ErrorCode.NONE);
        assertThat(error(admitted)).isEqualTo(GroupError.NONE);
        assertThat(fetched()).isEqualTo(9);
    }

    @Test
    void aRefusalBehindAWaitingWriteIsAnsweredInAppendOrder() {
        CompletableFuture<CommitOutcome> waiting = commit(1);
        replication.admission = ErrorCode.NOT_ENOUGH_REPLICAS;
        CompletableFuture<CommitOutcome> refused = commit(2);
        assertThat(refused).as("not answered before the earlier write").isNotDone();

        replication.waits.get(0).complete(ErrorCode.NONE);
        assertThat(error(waiting)).isEqualTo(GroupError.NONE);
        assertThat(error(refused)).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);
        assertThat(fetched()).isEqualTo(1);
    }

    @Test
    void commitsBecomeVisibleInAppendOrderWhateverOrderTheirWaitsEnd() {
        CompletableFuture<CommitOutcome> earlier = commit(100);
        CompletableFuture<CommitOutcome> later = commit(200);
        assertThat(replication.requiredOffsets.get(1)).isGreaterThan(replication.requiredOffsets.get(0));

        replication.waits.get(1).complete(ErrorCode.NONE); // the later wait ends first
        assertThat(later).as("answered only after the earlier write's callback").isNotDone();
        assertThat(fetched()).isEqualTo(-1);

        replication.waits.get(0).complete(ErrorCode.NONE);
        assertThat(error(earlier)).isEqualTo(GroupError.NONE);
        assertThat(error(later)).isEqualTo(GroupError.NONE);
        assertThat(fetched()).isEqualTo(200);
    }

    @Test
    void aResignationAnswersWaitingCommitsNotCoordinator() {
        CompletableFuture<CommitOutcome> answer = commit(5);
        f.coordinator.resign(partition).join();
        assertThat(error(answer)).isEqualTo(GroupError.NOT_COORDINATOR);
        replication.waits.get(0).complete(ErrorCode.NONE); // too late: nothing more happens
        assertThat(error(answer)).isEqualTo(GroupError.NOT_COORDINATOR);
    }

    @Test
    void theLeadersAssignmentIsAnsweredOnlyOnceReplicated() {
        GroupClient member = new GroupClient(f, group, null, GroupClient.protocols("range", GroupsFixture.subscription("t")));
        CompletableFuture<JoinOutcome> joined = member.joinWithRetry();
        f.time.runDue();
        assertThat(joined.join().error()).isEqualTo(GroupError.NONE);
        int before = replication.waits.size();
        CompletableFuture<SyncOutcome> sync = member.syncWithIdAssignments();

        assertThat(replication.waits).hasSize(before + 1);
        assertThat(sync).isNotDone();
        replication.waits.get(before).complete(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        assertThat(sync.join().error()).isEqualTo(GroupError.COORDINATOR_NOT_AVAILABLE);
    }

    @Test
    void batchesCarryThePartitionsLeaderEpoch() throws Exception {
        CompletableFuture<CommitOutcome> answer = commit(1);
        replication.waits.get(0).complete(ErrorCode.NONE);
        assertThat(error(answer)).isEqualTo(GroupError.NONE);

        PartitionLog log = f.logs.log(new TopicPartition(GroupCoordinator.OFFSETS_TOPIC, partition));
        ByteBuffer bytes;
        try (LogSlice slice = log.read(log.logStartOffset(), 1 << 20, true)) {
            bytes = slice.readIntoHeap();
        }
        List<Integer> epochs = new ArrayList<>();
        for (RecordBatch batch : Records.wrap(bytes)) {
            epochs.add(batch.partitionLeaderEpoch());
        }
        assertThat(epochs).isNotEmpty().containsOnly(LEADER_EPOCH);
    }
}
