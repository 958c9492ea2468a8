package io.tributary.server.txn;

import io.tributary.log.AppendReplication;
import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.server.Await;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The transaction coordinator keeps a state change pending until {@code __transaction_state} has it replicated
 * (Kafka's prepareTransitionTo / completeTransitionTo): meanwhile the id answers CONCURRENT_TRANSACTIONS and
 * describes as before; a failed wait answers Kafka's mapped code and leaves the state as it was; a write refused before
 * the append (fewer than min.insync.replicas in sync) writes nothing. The waits are held by
 * the test ({@link HeldReplication}); markers are written at once.
 */
@Timeout(60)
class TransactionStateReplicationTest {
    private static final TopicPartition DATA = new TopicPartition("orders", 0);
    private final Path dir;
    private final LogManager logs;
    private final HeldReplication replication = new HeldReplication();
    private final TransactionCoordinator coordinator;

    TransactionStateReplicationTest() throws Exception {
        dir = Files.createTempDirectory("tributary-txn-replication");
        logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        AtomicLong producerIds = new AtomicLong(1000);
        TransactionMarkerChannel markers = (producerId, epoch, commit, coordinatorEpoch, partitions) -> {
            Map<TopicPartition, ErrorCode> written = new HashMap<>();
            partitions.forEach(tp -> written.put(tp, ErrorCode.NONE));
            return CompletableFuture.completedFuture(written);
        };
        coordinator = new TransactionCoordinator(TransactionCoordinatorConfig.fromProperties(Map.of(
            TransactionCoordinatorConfig.STATE_LOG_NUM_PARTITIONS.name(), "2")), logs, Clock.systemUTC(),
            producerIds::incrementAndGet, () -> markers, replication);
        coordinator.start().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws IOException {
        coordinator.close();
        logs.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Answers at once while {@code hold} is false; otherwise keeps each wait for the test to complete. */
    static final class HeldReplication implements AppendReplication {
        volatile boolean hold;
        volatile ErrorCode admission = ErrorCode.NONE;
        final List<CompletableFuture<ErrorCode>> waits = new ArrayList<>();

        @Override
        public ErrorCode admit(TopicPartition partition) {
            return admission;
        }

        @Override
        public synchronized CompletableFuture<ErrorCode> await(TopicPartition partition, int leaderEpoch, long requiredOffset) {
            if (!hold) {
                return CompletableFuture.completedFuture(ErrorCode.NONE);
            }
            CompletableFuture<ErrorCode> wait = new CompletableFuture<>();
            waits.add(wait);
            return wait;
        }

        synchronized int held() {
            return waits.size();
        }

        synchronized CompletableFuture<ErrorCode> wait(int index) {
            return waits.get(index);
        }
    }

    private static <T> T answer(CompletableFuture<T> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }

    private TransactionCoordinator.Description describe(String id) throws Exception {
        return answer(coordinator.describe(id));
    }

    @Test
    void aNewIdIsNotGrantedUntilItsFirstRecordIsReplicated() throws Exception {
        replication.hold = true;
        CompletableFuture<TransactionCoordinator.InitResult> init = coordinator.initProducerId("app-1", 60_000, -1, (short) -1);
        Await.until("the first record of app-1 waits for its followers", Duration.ofSeconds(30), () -> replication.held() == 1);

        assertThat(init).isNotDone();
        assertThat(answer(coordinator.initProducerId("app-1", 60_000, -1, (short) -1)).error())
            .isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);
        assertThat(describe("app-1").error()).isEqualTo(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);

        replication.wait(0).complete(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND);
        assertThat(answer(init).error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assertThat(describe("app-1").error()).isEqualTo(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);

        replication.hold = false;
        TransactionCoordinator.InitResult granted = answer(coordinator.initProducerId("app-1", 60_000, -1, (short) -1));
        assertThat(granted.error()).isEqualTo(ErrorCode.NONE);
        assertThat(describe("app-1").producerId()).isEqualTo(granted.producerId());
    }

    @Test
    void aPrepareWhoseReplicationFailsLeavesTheTransactionOngoing() throws Exception {
        TransactionCoordinator.InitResult producer = answer(coordinator.initProducerId("app-2", 60_000, -1, (short) -1));
        assertThat(answer(coordinator.addPartitions("app-2", producer.producerId(), producer.producerEpoch(), Set.of(DATA),
            TransactionCoordinator.AddMode.CLIENT))).isEqualTo(ErrorCode.NONE);

        replication.hold = true;
        CompletableFuture<TransactionCoordinator.EndResult> end = coordinator.endTransaction("app-2", producer.producerId(),
            producer.producerEpoch(), true, false);
        Await.until("PREPARE_COMMIT waits for its followers", Duration.ofSeconds(30), () -> replication.held() == 1);

        assertThat(end).isNotDone();
        assertThat(describe("app-2").state()).as("the pending PREPARE_COMMIT is not applied").isEqualTo(TransactionState.ONGOING);
        assertThat(answer(coordinator.addPartitions("app-2", producer.producerId(), producer.producerEpoch(),
            Set.of(new TopicPartition("orders", 1)), TransactionCoordinator.AddMode.CLIENT)))
            .isEqualTo(ErrorCode.CONCURRENT_TRANSACTIONS);

        replication.wait(0).complete(ErrorCode.REQUEST_TIMED_OUT);
        assertThat(answer(end).error()).isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        TransactionCoordinator.Description after = describe("app-2");
        assertThat(after.state()).isEqualTo(TransactionState.ONGOING);
        assertThat(after.partitions()).containsExactly(DATA);

        replication.hold = false;
        assertThat(answer(coordinator.endTransaction("app-2", producer.producerId(), producer.producerEpoch(), true, false)).error())
            .as("the client's retry commits").isEqualTo(ErrorCode.NONE);
        assertThat(describe("app-2").state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }

    @Test
    void lostLeadershipDuringTheWaitIsNotCoordinatorAndChangesNothing() throws Exception {
        TransactionCoordinator.InitResult producer = answer(coordinator.initProducerId("app-3", 60_000, -1, (short) -1));
        replication.hold = true;
        CompletableFuture<ErrorCode> add = coordinator.addPartitions("app-3", producer.producerId(), producer.producerEpoch(),
            Set.of(DATA), TransactionCoordinator.AddMode.CLIENT);
        Await.until("the add waits for its followers", Duration.ofSeconds(30), () -> replication.held() == 1);

        replication.wait(0).complete(ErrorCode.NOT_LEADER_OR_FOLLOWER);
        assertThat(answer(add)).isEqualTo(ErrorCode.NOT_COORDINATOR);
        assertThat(describe("app-3").state()).isEqualTo(TransactionState.EMPTY);
        assertThat(describe("app-3").partitions()).isEmpty();
    }

    private long stateLogEnd() {
        long end = 0;
        for (int partition = 0; partition < 2; partition++) {
            end += logs.log(new TopicPartition(TransactionCoordinator.STATE_TOPIC, partition)).logEndOffset();
        }
        return end;
    }

    @Test
    void tooFewInSyncReplicasRefuseTheWriteBeforeTheAppend() throws Exception {
        TransactionCoordinator.InitResult producer = answer(coordinator.initProducerId("app-4", 60_000, -1, (short) -1));
        assertThat(answer(coordinator.addPartitions("app-4", producer.producerId(), producer.producerEpoch(), Set.of(DATA),
            TransactionCoordinator.AddMode.CLIENT))).isEqualTo(ErrorCode.NONE);
        long endBefore = stateLogEnd();

        replication.admission = ErrorCode.NOT_ENOUGH_REPLICAS;
        assertThat(answer(coordinator.initProducerId("app-5", 60_000, -1, (short) -1)).error())
            .isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assertThat(answer(coordinator.endTransaction("app-4", producer.producerId(), producer.producerEpoch(), true, false)).error())
            .isEqualTo(ErrorCode.COORDINATOR_NOT_AVAILABLE);
        assertThat(stateLogEnd()).as("nothing written to " + TransactionCoordinator.STATE_TOPIC).isEqualTo(endBefore);
        assertThat(describe("app-4").state()).isEqualTo(TransactionState.ONGOING);

        replication.admission = ErrorCode.NONE;
        assertThat(answer(coordinator.endTransaction("app-4", producer.producerId(), producer.producerEpoch(), true, false)).error())
            .as("the client's retry commits").isEqualTo(ErrorCode.NONE);
        assertThat(describe("app-4").state()).isEqualTo(TransactionState.COMPLETE_COMMIT);
    }
}
