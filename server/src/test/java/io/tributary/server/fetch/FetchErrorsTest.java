package io.tributary.server.fetch;

import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchRequest.FetchPartition;
import io.tributary.protocol.message.fetch.FetchRequest.FetchTopic;
import io.tributary.protocol.message.fetch.FetchRequest.ReplicaState;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetches a real client would not send, answered partition by partition with Kafka's error codes (and -1
 * offsets), over raw requests. Failed reads answer at once whatever max_wait_ms says; unknown partitions
 * alone do too, but do not cut short the wait of the partitions that are known.
 */
class FetchErrorsTest {
    private static final String TOPIC = "errs";

    private final BrokerFixture fixture = new BrokerFixture();
    private UUID topicId;
    private PartitionLog log;

    @BeforeEach
    void createTopic() {
        topicId = fixture.broker().logs().createTopic(TOPIC, 2, Map.of()).topicId();
        log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, 0));
        log.append(TestRecords.simpleBatch(5, 10, 1L), LeaderEpochs.SINGLE_BROKER);
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static Got only(Struct response) {
        assertThat(response.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.NONE.code());
        List<Got> partitions = FetchRequests.partitions(response);
        assertThat(partitions).hasSize(1);
        return partitions.get(0);
    }

    private static void assertError(Got got, ErrorCode error) {
        assertThat(ErrorCode.forCode(got.error())).isEqualTo(error);
        assertThat(got.highWatermark()).isEqualTo(-1);
        assertThat(got.lastStableOffset()).isEqualTo(-1);
        assertThat(got.logStartOffset()).isEqualTo(-1);
        assertThat(got.recordBytes()).isZero();
    }

    /** Calls with a 30 s max wait and checks the answer came at once. */
    private static Struct callAtOnce(RawConnection raw, short version, Struct request) {
        long start = System.nanoTime();
        Struct response = raw.call(ApiKey.FETCH, version, request.set(FetchRequest.MAX_WAIT_MS, 30_000));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).as("ms to answer, max wait 30000").isLessThan(10_000);
        return response;
    }

    @Test
    void unknownTopicsAndPartitions() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Got byName = only(callAtOnce(raw, (short) 12, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byName("missing", 0, 0, 1024)))));
            assertError(byName, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(byName.topic()).isEqualTo("missing");

            UUID unknownId = UUID.randomUUID();
            for (short version : new short[] {13, 18}) {
                Got byId = only(callAtOnce(raw, version, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(unknownId, 0, 0, 1024)))));
                assertError(byId, ErrorCode.UNKNOWN_TOPIC_ID);
                assertThat(byId.topicId()).isEqualTo(unknownId);
            }
            for (int partition : new int[] {2, -1}) {
                Got got = only(callAtOnce(raw, (short) 18, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, partition, 0, 1024)))));
                assertError(got, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
                assertThat(got.partition()).isEqualTo(partition);
            }
        }
    }

    @Test
    void unknownPartitionsDoNotCutShortTheWaitOfKnownOnes() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            long start = System.nanoTime();
            Struct response = raw.call(ApiKey.FETCH, (short) 18, FetchRequests.fetch(300, 1, 1 << 20,
                List.of(Wanted.byId(UUID.randomUUID(), 0, 0, 1024), Wanted.byId(topicId, 1, 0, 1024))));
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(300);
            assertThat(FetchRequests.partitions(response)).extracting(Got::error)
                .containsExactly(ErrorCode.UNKNOWN_TOPIC_ID.code(), ErrorCode.NONE.code());
        }
    }

    @Test
    void offsetsOutsideTheLogAreOutOfRangeAndAnsweredAtOnce() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            // Partition 1 is empty and would wait; the out-of-range read of partition 0 answers the fetch at once.
            Struct response = callAtOnce(raw, (short) 18, FetchRequests.fetch(0, 1, 1 << 20,
                List.of(Wanted.byId(topicId, 0, 6, 1024), Wanted.byId(topicId, 1, 0, 1024))));
            List<Got> got = FetchRequests.partitions(response);
            assertError(got.get(0), ErrorCode.OFFSET_OUT_OF_RANGE);
            assertThat(got.get(1).error()).isEqualTo(ErrorCode.NONE.code());

            Got atEnd = only(raw.call(ApiKey.FETCH, (short) 18, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 5, 1024)))));
            assertThat(atEnd.error()).as("the log end itself is in range").isEqualTo(ErrorCode.NONE.code());
            assertThat(atEnd.highWatermark()).isEqualTo(5);

            Got negative = only(callAtOnce(raw, (short) 18, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, -1, 1024)))));
            assertError(negative, ErrorCode.OFFSET_OUT_OF_RANGE);
        }
    }

    @Test
    void offsetsBelowTheLogStartAfterRetentionAreOutOfRange() {
        fixture.broker().logs().createTopic("short", 1, Map.of("segment.bytes", "200", "retention.bytes", "0", "retention.ms", "-1"));
        PartitionLog small = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition("short", 0));
        for (int i = 0; i < 3; i++) {
            small.append(TestRecords.simpleBatch(1, 100, 1L), LeaderEpochs.SINGLE_BROKER);
        }
        assertThat(small.deleteRetainedSegments()).isPositive();
        assertThat(small.logStartOffset()).isEqualTo(3);
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Got below = only(callAtOnce(raw, (short) 12, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byName("short", 0, 1, 1024)))));
            assertError(below, ErrorCode.OFFSET_OUT_OF_RANGE);
            Got atStart = only(raw.call(ApiKey.FETCH, (short) 12, FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byName("short", 0, 3, 1024)))));
            assertThat(atStart.error()).isEqualTo(ErrorCode.NONE.code());
            assertThat(atStart.logStartOffset()).isEqualTo(3);
        }
    }

    @Test
    void leaderEpochsOtherThanZeroAreRefusedAsKafkaDoes() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct ahead = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1024)));
            partitionOf(ahead).set(FetchPartition.CURRENT_LEADER_EPOCH, 1);
            assertError(only(callAtOnce(raw, (short) 18, ahead)), ErrorCode.UNKNOWN_LEADER_EPOCH);

            Struct current = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1024)));
            partitionOf(current).set(FetchPartition.CURRENT_LEADER_EPOCH, 0).set(FetchPartition.LAST_FETCHED_EPOCH, 0);
            assertThat(only(raw.call(ApiKey.FETCH, (short) 18, current)).recordBytes()).isPositive();

            Struct fetchedNewer = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1024)));
            partitionOf(fetchedNewer).set(FetchPartition.LAST_FETCHED_EPOCH, 3);
            assertError(only(callAtOnce(raw, (short) 18, fetchedNewer)), ErrorCode.OFFSET_OUT_OF_RANGE);
        }
    }

    @Test
    void replicasAreToldThisBrokerHasNoFollowers() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct old = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byName(TOPIC, 0, 0, 1024))).set(FetchRequest.REPLICA_ID, 1);
            assertError(only(callAtOnce(raw, (short) 11, old)), ErrorCode.NOT_LEADER_OR_FOLLOWER);
            Struct current = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1024)));
            current.get(FetchRequest.REPLICA_STATE).set(ReplicaState.REPLICA_ID, 1);
            assertError(only(callAtOnce(raw, (short) 18, current)), ErrorCode.NOT_LEADER_OR_FOLLOWER);
        }
    }

    private static Struct partitionOf(Struct fetch) {
        return fetch.get(FetchRequest.TOPICS).get(0).get(FetchTopic.PARTITIONS).get(0);
    }
}
