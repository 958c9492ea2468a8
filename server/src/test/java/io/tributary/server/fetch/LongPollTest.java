package io.tributary.server.fetch;

import io.tributary.groups.GroupCoordinator;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.server.Await;
import io.tributary.log.PartitionLog;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The long poll: a fetch that finds fewer than min_bytes waits, and completes when appends bring enough
 * (promptly, long before max_wait_ms) or when max_wait_ms passes (not before). Appends are made straight
 * into the log by another thread; the log's append event wakes the fetch, as for every writer.
 */
class LongPollTest {
    private static final String TOPIC = "poll";

    private final BrokerFixture fixture = new BrokerFixture();
    private PartitionLog log;
    private UUID topicId;

    @BeforeEach
    void createTopic() {
        topicId = fixture.broker().logs().createTopic(TOPIC, 2, Map.of()).topicId();
        log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, 0));
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private FetchPurgatory purgatory() {
        return fixture.broker().fetchPurgatory();
    }

    /** Appends from the calling thread, straight into the log: its append event wakes the parked fetches. */
    private int append(ByteBuffer batch) {
        int size = batch.remaining();
        log.append(batch, LeaderEpochs.SINGLE_BROKER);
        return size;
    }

    @Test
    void consumerWaitingForMinBytesGetsARecordAppendedMidWaitPromptly() throws Exception {
        Map<String, Object> config = Map.of(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20_000, ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 200);
        KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, config);
        try {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, 0);
            CompletableFuture<Long> appendedAt = CompletableFuture.supplyAsync(() -> {
                Await.until("the consumer's fetch is parked", Duration.ofSeconds(20), () -> purgatory().parkedCount() == 1);
                append(TestRecords.simpleBatch(4, 100, System.currentTimeMillis()));
                return System.nanoTime();
            });
            List<ConsumerRecord<byte[], byte[]>> records = Consumers.poll(consumer, 4, Duration.ofSeconds(30));
            long receivedAt = System.nanoTime();
            assertThat(records).hasSize(4);
            long afterAppendMs = TimeUnit.NANOSECONDS.toMillis(receivedAt - appendedAt.get(1, TimeUnit.SECONDS));
            assertThat(afterAppendMs).as("ms from append to receipt, max wait 20000").isLessThan(5_000);
        } finally {
            // Its next fetch is parked for 20 s, and a consumer's close waits for in-flight requests.
            consumer.close(CloseOptions.timeout(Duration.ofMillis(200)));
        }
    }

    @Test
    void emptyFetchAnswersAfterMaxWaitAndNotBefore() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            long start = System.nanoTime();
            Struct response = raw.call(ApiKey.FETCH, (short) 18, FetchRequests.fetch(500, 1, 1 << 20,
                List.of(Wanted.byId(topicId, 0, 0, 1 << 20))));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(elapsedMs).as("ms until the empty answer, max wait 500").isBetween(500L, 3_000L);
            Got got = FetchRequests.partitions(response).get(0);
            assertThat(got.error()).isEqualTo(ErrorCode.NONE.code());
            assertThat(got.recordBytes()).isZero();
            assertThat(got.highWatermark()).isZero();
            assertThat(purgatory().parkedCount()).isZero();
        }
    }

    @Test
    void fewerThanMinBytesKeepsWaitingAndTheAnswerIsReadWhenItCompletes() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            int correlationId = raw.send(ApiKey.FETCH, (short) 18, FetchRequests.fetch(30_000, 1_000, 1 << 20,
                List.of(Wanted.byId(topicId, 0, 0, 1 << 20), Wanted.byId(topicId, 1, 0, 1 << 20))));
            Await.until("the fetch is parked", Duration.ofSeconds(10), () -> purgatory().parkedCount() == 1);

            long checksBefore = purgatory().checks();
            int first = append(TestRecords.simpleBatch(2, 50, 1L));
            assertThat(first).isLessThan(1_000);
            Await.until("the woken fetch has checked", Duration.ofSeconds(10), () -> purgatory().checks() > checksBefore);
            assertThat(purgatory().parkedCount()).as("still parked with %d of 1000 bytes", first).isEqualTo(1);

            long appendedAt = System.nanoTime();
            int second = append(TestRecords.simpleBatch(8, 100, 2L));
            Struct response = raw.receive(ApiKey.FETCH, (short) 18, correlationId, Duration.ofSeconds(30));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - appendedAt)).as("ms from append, max wait 30000").isLessThan(5_000);
            List<Got> got = FetchRequests.partitions(response);
            assertThat(got).extracting(Got::partition).containsExactly(0, 1);
            assertThat(got.get(0).recordBytes()).as("both batches, read when the fetch completed").isEqualTo(first + second);
            assertThat(got.get(0).highWatermark()).isEqualTo(10);
            assertThat(got.get(1).recordBytes()).isZero();
            assertThat(purgatory().parkedCount()).isZero();
            // completed 30 s early: its deadline left the timer with it, not held until due
            Await.until("the completed fetch's deadline is gone", Duration.ofSeconds(5), () -> purgatory().pendingDeadlines() == 0);
        }
    }

    /**
     * The group coordinator writes {@code __consumer_offsets} through the log like any writer, so a fetch parked on
     * it (a tool reading commits) is woken by an offset commit, not left to its max wait.
     */
    @Test
    void aFetchParkedOnTheOffsetsTopicIsWokenByAnOffsetCommit() throws Exception {
        fixture.awaitOffsetsTopic();
        io.tributary.log.TopicMetadata offsets = fixture.broker().logs().topic(GroupCoordinator.OFFSETS_TOPIC);
        List<Wanted> everyPartition = new ArrayList<>();
        for (int p = 0; p < offsets.partitionCount(); p++) {
            long end = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(offsets.name(), p)).logEndOffset();
            everyPartition.add(Wanted.byId(offsets.topicId(), p, end, 1 << 20));
        }
        try (RawConnection raw = new RawConnection(fixture.port())) {
            int correlationId = raw.send(ApiKey.FETCH, (short) 18, FetchRequests.fetch(30_000, 1, 1 << 20, everyPartition));
            Await.until("the fetch is parked", Duration.ofSeconds(10), () -> purgatory().parkedCount() == 1);

            long committedAt = System.nanoTime();
            try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of(ConsumerConfig.GROUP_ID_CONFIG, "woken",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
                consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(7)), Duration.ofSeconds(30));
            }
            Struct response = raw.receive(ApiKey.FETCH, (short) 18, correlationId, Duration.ofSeconds(30));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - committedAt)).as("ms from the commit, max wait 30000")
                .isLessThan(10_000);
            List<Got> got = FetchRequests.partitions(response);
            assertThat(got).filteredOn(partition -> partition.recordBytes() > 0).as("the partition the commit went to")
                .singleElement().satisfies(partition -> assertThat(partition.error()).isEqualTo(ErrorCode.NONE.code()));
            assertThat(purgatory().parkedCount()).isZero();
        }
    }

    @Test
    void closingTheConnectionEndsItsParkedFetchAtOnce() {
        RawConnection raw = new RawConnection(fixture.port());
        raw.send(ApiKey.FETCH, (short) 18, FetchRequests.fetch(60_000, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1 << 20))));
        Await.until("the fetch is parked", Duration.ofSeconds(10), () -> purgatory().parkedCount() == 1);
        raw.close();
        Await.until("the closed connection's fetch is gone", Duration.ofSeconds(5), () -> purgatory().parkedCount() == 0);
    }

    @Test
    void brokerStopsPromptlyWithAParkedFetch() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            raw.send(ApiKey.FETCH, (short) 18, FetchRequests.fetch(60_000, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1 << 20))));
            Await.until("the fetch is parked", Duration.ofSeconds(10), () -> purgatory().parkedCount() == 1);
            long start = System.nanoTime();
            fixture.broker().close();
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms to stop, max wait 60000").isLessThan(10_000);
            assertThat(purgatory().parkedCount()).isZero();
        }
    }
}
