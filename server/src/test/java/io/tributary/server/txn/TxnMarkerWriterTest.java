package io.tributary.server.txn;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.produce.ProducePurgatory;
import io.tributary.server.replica.ReplicaView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A transaction marker to a replicated partition is an acks=-1 append: with fewer replicas in sync than the topic's
 * min.insync.replicas it is refused NOT_ENOUGH_REPLICAS before anything is written (the coordinator retries it), as
 * Kafka's {@code Partition.appendRecordsToLeader} refuses; with enough it is written and answered once replicated.
 */
@Timeout(60)
class TxnMarkerWriterTest {
    private static final TopicPartition DATA = new TopicPartition("orders", 0);
    private final Path dir;
    private final LogManager logs;
    private volatile ErrorCode admission = ErrorCode.NONE;

    TxnMarkerWriterTest() throws IOException {
        dir = Files.createTempDirectory("tributary-marker-writer");
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        logs.createTopic(DATA.topic(), 1, Map.of(LogConfig.MIN_INSYNC_REPLICAS.name(), "2"));
    }

    @AfterEach
    void close() throws IOException {
        logs.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** This broker leads every partition, replicated to followers, with the in-sync check the test sets. */
    private final ReplicaView replicas = new ReplicaView() {
        @Override
        public ErrorCode leaderCheck(TopicPartition partition, int currentLeaderEpoch) {
            return ErrorCode.NONE;
        }

        @Override
        public boolean isReplicated(TopicPartition partition) {
            return true;
        }

        @Override
        public int leaderEpoch(TopicPartition partition) {
            return 4;
        }

        @Override
        public long highWatermark(PartitionLog log) {
            return log.logEndOffset();
        }

        @Override
        public FollowerFetchCheck checkFollowerFetch(int replicaId, PartitionLog log, long fetchOffset, int currentLeaderEpoch,
                                                     int lastFetchedEpoch) {
            return FollowerFetchCheck.refused(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        }

        @Override
        public void followerFetched(int replicaId, PartitionLog log, long fetchOffset, long leaderLogEnd) {
        }

        @Override
        public ErrorCode produceCheck(TopicPartition partition, boolean acksAll, int minInsyncReplicas) {
            assertThat(acksAll).as("a marker is an acks=-1 append").isTrue();
            assertThat(minInsyncReplicas).isEqualTo(2);
            return admission;
        }

        @Override
        public ErrorCode replicationStatus(TopicPartition partition, int leaderEpoch, long requiredOffset, int minInsyncReplicas) {
            return ErrorCode.NONE;
        }
    };

    private ErrorCode writeCommit() throws Exception {
        TxnMarkerWriter writer = new TxnMarkerWriter(logs, null, replicas, new ProducePurgatory(replicas));
        return writer.write(5000L, (short) 0, true, 0, Set.of(DATA)).get(30, TimeUnit.SECONDS).get(DATA);
    }

    @Test
    void tooFewInSyncReplicasRefuseTheMarkerUnwritten() throws Exception {
        PartitionLog log = logs.log(DATA);
        long endBefore = log.logEndOffset();

        admission = ErrorCode.NOT_ENOUGH_REPLICAS;
        assertThat(writeCommit()).isEqualTo(ErrorCode.NOT_ENOUGH_REPLICAS);
        assertThat(log.logEndOffset()).isEqualTo(endBefore);

        admission = ErrorCode.NONE;
        assertThat(writeCommit()).isEqualTo(ErrorCode.NONE);
        assertThat(log.logEndOffset()).as("the retried marker is written").isEqualTo(endBefore + 1);
    }
}
