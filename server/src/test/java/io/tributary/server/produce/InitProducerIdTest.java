package io.tributary.server.produce;

import io.tributary.log.LogConfig;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.LogStorageException;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.produce.InitProducerIdRequest;
import io.tributary.protocol.message.produce.InitProducerIdResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.api.RequestContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Producer id allocation across restarts and InitProducerId's answers, including KIP-360 epoch bumps. */
class InitProducerIdTest {
    @TempDir
    Path dir;
    final TestClock clock = new TestClock(1_700_000_000_000L);
    LogManager logs;

    @AfterEach
    void close() {
        if (logs != null) {
            logs.close();
        }
    }

    @Test
    void idsAreNeverHandedOutTwiceAcrossReopens() throws Exception {
        Set<Long> seen = new HashSet<>();
        for (int restart = 0; restart < 3; restart++) {
            ProducerIdAllocator allocator = ProducerIdAllocator.open(dir);
            for (int i = 0; i < ProducerIdAllocator.BLOCK_SIZE + 10; i++) {
                long id = allocator.allocate();
                assertThat(seen.add(id)).as("id %d handed out twice", id).isTrue();
                assertThat(allocator.mayHaveIssued(id)).isTrue();
            }
            long reserved = Long.parseLong(Files.readAllLines(dir.resolve(ProducerIdAllocator.FILE_NAME)).get(1));
            assertThat(reserved).as("every handed-out id is below the persisted reservation").isGreaterThan(seen.stream().max(Long::compare).orElseThrow());
        }
    }

    @Test
    void aMalformedBlockFileStopsTheStart() throws Exception {
        Files.writeString(dir.resolve(ProducerIdAllocator.FILE_NAME), "0\nlots\n", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ProducerIdAllocator.open(dir)).isInstanceOf(LogStorageException.class)
            .hasMessageContaining("producer-id-block").hasMessageContaining("lots");
    }

    final class Harness {
        final ProducerIdAllocator allocator = ProducerIdAllocator.open(dir);
        final InitProducerIdHandler handler;

        /** A broker's produce state over {@code dir}; a second harness is that broker after a clean restart. */
        Harness() {
            if (logs != null) {
                logs.close();
            }
            logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()).withProducerIdExpirationMs(60_000), clock);
            if (logs.topic("t") == null) {
                logs.createTopic("t", 1, Map.of());
            }
            handler = new InitProducerIdHandler(allocator, logs, clock, 60_000);
        }

        Struct init(int version, String transactionalId, long producerId, int epoch) {
            Struct request = InitProducerIdRequest.SCHEMA.newStruct()
                .set(InitProducerIdRequest.TRANSACTIONAL_ID, transactionalId)
                .set(InitProducerIdRequest.TRANSACTION_TIMEOUT_MS, 60_000);
            if (version >= 3) {
                request.set(InitProducerIdRequest.PRODUCER_ID, producerId).set(InitProducerIdRequest.PRODUCER_EPOCH, epoch);
            }
            RequestContext context = new RequestContext(new RequestHeader(ApiKey.INIT_PRODUCER_ID, (short) version, 1, "t"),
                new InetSocketAddress("127.0.0.1", 1), "c", Runnable::run, Runnable::run);
            return handler.handle(context, request).join().body();
        }
    }

    static ErrorCode error(Struct response) {
        return ErrorCode.forCode(response.get(InitProducerIdResponse.ERROR_CODE));
    }

    static long id(Struct response) {
        return response.get(InitProducerIdResponse.PRODUCER_ID);
    }

    static short epoch(Struct response) {
        return response.get(InitProducerIdResponse.PRODUCER_EPOCH);
    }

    @Test
    void freshIdsStartAtEpochZeroOnEveryVersion() {
        Harness harness = new Harness();
        Set<Long> ids = new HashSet<>();
        for (int version = 0; version <= 5; version++) {
            Struct response = harness.init(version, null, -1, -1);
            assertThat(error(response)).isEqualTo(ErrorCode.NONE);
            assertThat(epoch(response)).isZero();
            assertThat(ids.add(id(response))).isTrue();
        }
    }

    @Test
    void kip360BumpsTheEpochAndFencesOlderOnes() {
        Harness harness = new Harness();
        long pid = id(harness.init(5, null, -1, -1));
        Struct bumped = harness.init(5, null, pid, 0);
        assertThat(id(bumped)).isEqualTo(pid);
        assertThat(epoch(bumped)).isEqualTo((short) 1);
        assertThat(epoch(harness.init(5, null, pid, 0))).as("a retried bump gets the same answer").isEqualTo((short) 1);
        assertThat(epoch(harness.init(5, null, pid, 1))).isEqualTo((short) 2);
        assertThat(error(harness.init(5, null, pid, 0))).isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(error(harness.init(3, null, pid, 0))).as("before v4 the fenced code is INVALID_PRODUCER_EPOCH")
            .isEqualTo(ErrorCode.INVALID_PRODUCER_EPOCH);
    }

    @Test
    void theEpochWrittenInPartitionsFencesAfterARestart() {
        Harness harness = new Harness();
        long pid = id(harness.init(5, null, -1, -1));
        // the producer wrote with epoch 4 (bumped locally, as Kafka's idempotent producer does)
        logs.log(new TopicPartition("t", 0))
            .appendAsLeader(logs.log(new TopicPartition("t", 0)).validate(RawClient.batch(pid, (short) 4, 0, 1)), 0);
        Harness restarted = new Harness(); // no memory of grants; the partition state remains (snapshotted as the logs closed)
        assertThat(error(restarted.init(5, null, pid, 3))).isEqualTo(ErrorCode.PRODUCER_FENCED);
        assertThat(epoch(restarted.init(5, null, pid, 4))).isEqualTo((short) 5);
    }

    @Test
    void anExhaustedEpochOrAnUnknownIdGetsAFreshId() {
        Harness harness = new Harness();
        long pid = id(harness.init(5, null, -1, -1));
        Struct exhausted = harness.init(5, null, pid, InitProducerIdHandler.MAX_EPOCH);
        assertThat(id(exhausted)).isNotEqualTo(pid);
        assertThat(epoch(exhausted)).isZero();
        Struct unknown = harness.init(5, null, 1_000_000_000L, 3);
        assertThat(id(unknown)).isNotEqualTo(1_000_000_000L);
        assertThat(epoch(unknown)).isZero();
    }

    @Test
    void transactionalIdsAreNotSupportedYet() {
        Harness harness = new Harness();
        Struct response = harness.init(5, "txn-1", -1, -1);
        assertThat(error(response)).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
        assertThat(id(response)).isEqualTo(-1);
        assertThat(error(harness.init(5, "", -1, -1))).isEqualTo(ErrorCode.INVALID_REQUEST);
        assertThat(error(harness.init(5, null, 7, -1))).isEqualTo(ErrorCode.INVALID_REQUEST);
    }
}
