package io.tributary.server.produce;

import io.tributary.log.LogConfig;
import io.tributary.log.LogListener;
import io.tributary.log.LogManager;
import io.tributary.log.LogManagerConfig;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.RequestHeader;
import io.tributary.protocol.message.produce.ProduceResponse.PartitionProduceResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.api.ApiResponse;
import io.tributary.server.api.RequestContext;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With flush.messages=1 an acknowledged record must be on disk: the fsync runs on the I/O executor (never
 * on the event loop) and the answer waits for it.
 */
class ProduceAcksAfterFlushTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A handler over a real log manager, and an I/O executor whose tasks the test runs by hand. */
    final class Harness {
        final LogManager logs = LogManager.open(LogManagerConfig.of(List.of(dir), LogConfig.defaults()), Clock.systemUTC());
        final List<TopicPartition> appended = new ArrayList<>();
        final ArrayDeque<Runnable> ioTasks = new ArrayDeque<>();
        final ProduceHandler handler;

        Harness() {
            toClose.add(logs);
            logs.createTopic("durable", 1, Map.of("flush.messages", "1"));
            logs.createTopic("lazy", 1, Map.of());
            logs.addListener(new LogListener() {
                @Override
                public void appended(PartitionLog log, long logEndOffset) {
                    appended.add(log.topicPartition());
                }
            });
            handler = new ProduceHandler(logs);
        }

        CompletableFuture<ApiResponse> produce(short acks, String topic, int count) {
            return produce(acks, topic, RawClient.batch(-1, (short) -1, -1, count));
        }

        CompletableFuture<ApiResponse> produce(short acks, String topic, java.nio.ByteBuffer batch) {
            RequestContext context = new RequestContext(new RequestHeader(ApiKey.PRODUCE, (short) 11, 1, "test"),
                new InetSocketAddress("127.0.0.1", 1), "c1", Runnable::run, ioTasks::add);
            return handler.handle(context, RawClient.produce(acks, topic, 0, batch));
        }

        PartitionLog log(String topic) {
            return logs.log(new TopicPartition(topic, 0));
        }

        void runIoTasks() {
            for (int i = 0; i < 1000 && !ioTasks.isEmpty(); i++) {
                ioTasks.poll().run();
            }
            assertThat(ioTasks).isEmpty();
        }
    }

    @Test
    void acksAllIsAnsweredOnlyAfterTheFlushRanOnTheIoExecutor() {
        Harness harness = new Harness();
        CompletableFuture<ApiResponse> answer = harness.produce((short) -1, "durable", 3);

        assertThat(harness.log("durable").logEndOffset()).as("appended at once").isEqualTo(3);
        assertThat(harness.appended).as("fetches are woken on append").containsExactly(new TopicPartition("durable", 0));
        assertThat(harness.log("durable").recoveryPoint()).as("no fsync on the calling (event-loop) thread").isZero();
        assertThat(answer).as("no answer before the flush").isNotDone();

        harness.runIoTasks();

        assertThat(harness.log("durable").recoveryPoint()).isEqualTo(3);
        assertThat(answer).isCompleted();
        Struct partition = RawClient.onlyPartition(answer.join().body());
        assertThat(partition.get(PartitionProduceResponse.ERROR_CODE)).isEqualTo(ErrorCode.NONE.code());
        assertThat(partition.get(PartitionProduceResponse.BASE_OFFSET)).isZero();
    }

    @Test
    void acksOneWaitsForTheFlushToo() {
        Harness harness = new Harness();
        CompletableFuture<ApiResponse> answer = harness.produce((short) 1, "durable", 2);
        assertThat(answer).isNotDone();
        harness.runIoTasks();
        assertThat(answer).isCompleted();
        assertThat(harness.log("durable").recoveryPoint()).isEqualTo(2);
    }

    @Test
    void aRetryOfABatchStillWaitingForItsFlushWaitsToo() {
        Harness harness = new Harness();
        CompletableFuture<ApiResponse> original = harness.produce((short) -1, "durable", RawClient.batch(42, (short) 0, 0, 2));
        CompletableFuture<ApiResponse> retry = harness.produce((short) -1, "durable", RawClient.batch(42, (short) 0, 0, 2));
        assertThat(harness.log("durable").logEndOffset()).as("the retry is not written again").isEqualTo(2);
        assertThat(original).isNotDone();
        assertThat(retry).as("acknowledging the retry would acknowledge unflushed records").isNotDone();
        harness.runIoTasks();
        assertThat(RawClient.onlyPartition(retry.join().body()).get(PartitionProduceResponse.BASE_OFFSET)).isZero();
        assertThat(original).isCompleted();
        // once flushed, a further retry is answered at once
        assertThat(harness.produce((short) -1, "durable", RawClient.batch(42, (short) 0, 0, 2))).isCompleted();
    }

    @Test
    void withoutAFlushPolicyTheAnswerIsImmediateAndNothingIsFsynced() {
        Harness harness = new Harness();
        CompletableFuture<ApiResponse> answer = harness.produce((short) -1, "lazy", 2);
        assertThat(answer).isCompleted();
        assertThat(harness.ioTasks).isEmpty();
        assertThat(harness.log("lazy").recoveryPoint()).isZero();
    }

    @Test
    void acksZeroAnswersNothingButStillFlushes() {
        Harness harness = new Harness();
        CompletableFuture<ApiResponse> answer = harness.produce((short) 0, "durable", 2);
        assertThat(answer).isCompleted();
        assertThat(answer.join().isNone()).isTrue();
        harness.runIoTasks();
        assertThat(harness.log("durable").recoveryPoint()).isEqualTo(2);
    }

    @Test
    void overTheWireAcknowledgedRecordsAreCoveredByTheRecoveryPoint() throws Exception {
        BrokerFixture fixture = new BrokerFixture(Map.of());
        toClose.add(fixture);
        fixture.broker().logs().createTopic("durable", 1, Map.of("flush.messages", "1"));
        PartitionLog log = fixture.broker().logs().log(new TopicPartition("durable", 0));

        try (RawClient client = new RawClient(fixture.port())) {
            for (int i = 0; i < 20; i++) {
                Struct partition = RawClient.onlyPartition(client.call(ApiKey.PRODUCE, (short) 11,
                    RawClient.produce((short) -1, "durable", 0, RawClient.batch(-1, (short) -1, -1, 5))));
                long acked = partition.get(PartitionProduceResponse.BASE_OFFSET) + 5;
                assertThat(log.recoveryPoint()).as("recovery point when the answer for offsets below %d arrived", acked)
                    .isGreaterThanOrEqualTo(acked);
            }
        }

        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                sent.add(producer.send(new ProducerRecord<>("durable", new byte[] {(byte) i}), (metadata, exception) -> {
                    if (exception == null && log.recoveryPoint() <= metadata.offset()) {
                        violations.add("offset " + metadata.offset() + " acknowledged with recovery point " + log.recoveryPoint());
                    }
                }));
            }
            for (java.util.concurrent.Future<RecordMetadata> future : sent) {
                future.get(30, TimeUnit.SECONDS);
            }
        }
        assertThat(violations).isEmpty();
        assertThat(log.logEndOffset()).isEqualTo(100 + 200);
    }
}
