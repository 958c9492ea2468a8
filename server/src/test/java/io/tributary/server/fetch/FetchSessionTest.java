package io.tributary.server.fetch;

import io.tributary.log.PartitionLog;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.ForgottenTopic;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Incremental fetch sessions (KIP-227) as Kafka's consumer uses them, and their rules over raw requests. */
class FetchSessionTest {
    private static final String TOPIC = "sess";

    private final BrokerFixture fixture = new BrokerFixture();
    private UUID topicId;
    private final List<PartitionLog> logs = new ArrayList<>();

    @BeforeEach
    void createTopic() {
        topicId = fixture.broker().logs().createTopic(TOPIC, 4, Map.of()).topicId();
        for (int p = 0; p < 4; p++) {
            logs.add(fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, p)));
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private FetchSessionCache sessions() {
        return fixture.broker().fetchSessions();
    }

    private FetchSession onlySession() {
        assertThat(sessions().sessionIds()).hasSize(1);
        return sessions().session(sessions().sessionIds().get(0));
    }

    private int append(int partition, int records) {
        TestRecords.appendBatch(logs.get(partition), TestRecords.CODECS.get(partition % 5), records, 1_000L, "k", new Random(partition));
        return records;
    }

    @Test
    void theConsumerFetchesIncrementallyAndItsSessionFollowsAssignmentChanges() {
        int expected = append(0, 5) + append(1, 6) + append(2, 7);
        append(3, 8);
        TopicPartition t0 = new TopicPartition(TOPIC, 0);
        TopicPartition t1 = new TopicPartition(TOPIC, 1);
        TopicPartition t2 = new TopicPartition(TOPIC, 2);
        TopicPartition t3 = new TopicPartition(TOPIC, 3);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            consumer.assign(List.of(t0, t1, t2));
            assertThat(Consumers.poll(consumer, expected, Duration.ofSeconds(30))).hasSize(expected);
            FetchSession session = onlySession();
            int epoch = session.epoch();
            // Each further poll is an incremental fetch of the same session: the epoch keeps advancing.
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (session.epoch() < epoch + 3 && System.nanoTime() < end) {
                assertThat(consumer.poll(Duration.ofMillis(100))).isEmpty();
            }
            assertThat(session.epoch()).isGreaterThanOrEqualTo(epoch + 3);
            assertThat(session.partitionKeys()).containsExactlyInAnyOrder(key(0), key(1), key(2));

            // Drop partition 0, add partition 3: an incremental request adds one and forgets the other.
            consumer.assign(List.of(t1, t2, t3));
            var fromThree = Consumers.poll(consumer, 8, Duration.ofSeconds(30));
            assertThat(fromThree).hasSize(8).allSatisfy(r -> assertThat(r.partition()).isEqualTo(3));
            assertThat(onlySession()).as("the same session").isSameAs(session);
            assertThat(session.partitionKeys()).containsExactlyInAnyOrder(key(1), key(2), key(3));

            // New data on one partition of the session reaches the consumer through an incremental answer.
            append(2, 3);
            var more = Consumers.poll(consumer, 3, Duration.ofSeconds(30));
            assertThat(more).hasSize(3).allSatisfy(r -> assertThat(r.partition()).isEqualTo(2));
            assertThat(more.get(0).offset()).isEqualTo(7);
            assertThat(onlySession()).isSameAs(session);
        }
    }

    private FetchKey key(int partition) {
        return FetchKey.byId(topicId, partition);
    }

    @Test
    void fullIncrementalForgetAndCloseFollowKafkasRules() {
        append(0, 2);
        try (RawConnection raw = new RawConnection(fixture.port())) {
            short v = 12; // by topic name
            Struct full = raw.call(ApiKey.FETCH, v, FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20,
                List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20), Wanted.byName(TOPIC, 1, 0, 1 << 20))), 0, 0));
            int id = full.get(FetchResponse.SESSION_ID);
            assertThat(id).isPositive();
            assertThat(FetchRequests.partitions(full)).extracting(Got::partition).containsExactly(0, 1);
            assertThat(sessions().session(id).epoch()).isEqualTo(1);

            // An incremental request naming nothing: p1 is unchanged and left out, while p0 is read again from
            // its cached offset 0 and so comes with records.
            List<Got> first = FetchRequests.partitions(incremental(raw, v, id, 1, List.of()));
            assertThat(first).extracting(Got::partition).containsExactly(0);
            assertThat(first.get(0).recordBytes()).isPositive();

            // The fetcher moves p0 to its end: now nothing changed at all.
            assertThat(FetchRequests.partitions(incremental(raw, v, id, 2, List.of(Wanted.byName(TOPIC, 0, 2, 1 << 20))))).isEmpty();

            // An append to p1 changes its high watermark and brings records: only p1 is answered.
            append(1, 3);
            List<Got> changed = FetchRequests.partitions(incremental(raw, v, id, 3, List.of()));
            assertThat(changed).extracting(Got::partition).containsExactly(1);
            assertThat(changed.get(0).highWatermark()).isEqualTo(3);

            // A replayed epoch and an unknown session are refused, without partitions and with session id 0.
            Struct replay = incremental(raw, v, id, 3, List.of());
            assertThat(replay.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.INVALID_FETCH_SESSION_EPOCH.code());
            assertThat(replay.get(FetchResponse.SESSION_ID)).isZero();
            assertThat(FetchRequests.partitions(replay)).isEmpty();
            Struct unknown = incremental(raw, v, id == 1 ? 2 : 1, 1, List.of());
            assertThat(unknown.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.FETCH_SESSION_ID_NOT_FOUND.code());
            // A v13 request (topic ids) cannot continue a session made by names.
            Struct mixed = raw.call(ApiKey.FETCH, (short) 13, FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20, List.of()), id, 4));
            assertThat(mixed.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR.code());

            // Forget p0 and add partition 9, which does not exist: errors are always answered.
            Struct forget = FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byName(TOPIC, 9, 0, 1 << 20))), id, 4);
            forget.add(FetchRequest.FORGOTTEN_TOPICS_DATA).set(ForgottenTopic.TOPIC, TOPIC).set(ForgottenTopic.PARTITIONS, 0);
            List<Got> afterForget = FetchRequests.partitions(raw.call(ApiKey.FETCH, v, forget));
            assertThat(afterForget).extracting(Got::partition).containsExactly(1, 9);
            assertThat(afterForget.get(1).error()).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION.code());
            // p1 returned records (its cached offset is still 0), so it moved behind p9 in the read order.
            assertThat(sessions().session(id).partitionKeys()).containsExactly(FetchKey.byName(TOPIC, 9), FetchKey.byName(TOPIC, 1));
            List<Got> errorAgain = FetchRequests.partitions(incremental(raw, v, id, 5, List.of(Wanted.byName(TOPIC, 1, 3, 1 << 20))));
            assertThat(errorAgain).extracting(Got::partition).as("the error, again; p1 unchanged").containsExactly(9);

            // Epoch -1 closes the session and is answered sessionless.
            Struct close = raw.call(ApiKey.FETCH, v, FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20,
                List.of(Wanted.byName(TOPIC, 0, 0, 1 << 20))), id, -1));
            assertThat(close.get(FetchResponse.SESSION_ID)).isZero();
            assertThat(FetchRequests.partitions(close)).extracting(Got::partition).containsExactly(0);
            assertThat(sessions().session(id)).isNull();
        }
    }

    @Test
    void forgettingEveryPartitionClosesTheSession() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            short v = 18;
            Struct full = raw.call(ApiKey.FETCH, v, FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20,
                List.of(Wanted.byId(topicId, 0, 0, 1 << 20))), 0, 0));
            int id = full.get(FetchResponse.SESSION_ID);
            assertThat(id).isPositive();
            Struct forgetAll = FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20, List.of()), id, 1);
            forgetAll.add(FetchRequest.FORGOTTEN_TOPICS_DATA).set(ForgottenTopic.TOPIC_ID, topicId).set(ForgottenTopic.PARTITIONS, 0);
            Struct answer = raw.call(ApiKey.FETCH, v, forgetAll);
            assertThat(answer.get(FetchResponse.SESSION_ID)).isZero();
            assertThat(sessions().size()).isZero();
        }
    }

    private static Struct incremental(RawConnection raw, short version, int sessionId, int epoch, List<Wanted> changed) {
        return raw.call(ApiKey.FETCH, version, FetchRequests.session(FetchRequests.fetch(0, 1, 1 << 20, changed), sessionId, epoch));
    }
}
