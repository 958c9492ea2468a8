package io.tributary.server.fetch;

import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.TopicPartition;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A consumer's fetch over its consumer_byte_rate is answered as Kafka's KafkaApis answers it: the throttle time, no
 * records, and (for an incremental fetch) the session id, so the fetcher asks again from the same offsets once its
 * connection is unmuted; the records withheld are not counted against the quota, and they arrive once the quota's
 * window has passed. Quota windows: 3 samples of 1 s, so a quota's rate is measured over at least 2 s.
 */
class ThrottledFetchTest {
    private static final int MB = 1 << 20;

    private BrokerFixture fixture;
    private int batchBytes;

    @BeforeEach
    void start() throws Exception {
        fixture = new BrokerFixture(Map.of("quota.window.num", "3", "quota.window.size.seconds", "1"));
        fixture.broker().logs().createTopic("metered", 1, Map.of());
        ByteBuffer batch = TestRecords.simpleBatch(100, 100, 1_000L);
        batchBytes = batch.remaining();
        fixture.broker().logs().log(new TopicPartition("metered", 0)).append(batch, LeaderEpochs.SINGLE_BROKER);
        // One fetch of the batch is half a batch per second over the 2 s minimum window: within a quota of 3/4 of
        // a batch per second; a second fetch at once makes a whole batch per second: over it.
        try (Admin admin = Admin.create(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap()))) {
            admin.alterClientQuotas(List.of(new ClientQuotaAlteration(new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "raw-test")),
                List.of(new ClientQuotaAlteration.Op("consumer_byte_rate", (double) (batchBytes * 3 / 4)))))).all().get(20, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    private static Struct incremental(RawConnection raw, int session, int epoch) {
        return raw.call(ApiKey.FETCH, (short) 12, FetchRequests.session(FetchRequests.fetch(0, 1, MB, List.of()), session, epoch));
    }

    @Test
    void aThrottledFetchIsAnsweredEmptyWithItsThrottleTimeAndTheRecordsComeOnceTheQuotaAllows() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct full = raw.call(ApiKey.FETCH, (short) 12, FetchRequests.session(FetchRequests.fetch(0, 1, MB,
                List.of(Wanted.byName("metered", 0, 0, MB))), 0, 0));
            assertThat(full.get(FetchResponse.THROTTLE_TIME_MS)).isZero();
            assertThat(FetchRequests.partitions(full)).singleElement().extracting(Got::recordBytes).isEqualTo(batchBytes);
            int session = full.get(FetchResponse.SESSION_ID);
            assertThat(session).isPositive();

            // The session reads the batch again from its cached offset 0: over the quota, so nothing is sent.
            Struct throttled = incremental(raw, session, 1);
            assertThat(throttled.get(FetchResponse.THROTTLE_TIME_MS)).isPositive();
            assertThat(throttled.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.NONE.code());
            assertThat(throttled.get(FetchResponse.SESSION_ID)).isEqualTo(session);
            assertThat(throttled.get(FetchResponse.RESPONSES)).isEmpty();

            // The session lives on: each later fetch is either throttled and empty, or carries the whole batch once
            // the first fetch's sample has left the window (about 3 s); each answer mutes the connection for its
            // throttle time, which paces this loop.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            Struct answer = throttled;
            int epoch = 2;
            for (; epoch < 100 && System.nanoTime() < deadline; epoch++) {
                answer = incremental(raw, session, epoch);
                assertThat(answer.get(FetchResponse.ERROR_CODE)).isEqualTo(ErrorCode.NONE.code());
                if (!answer.get(FetchResponse.RESPONSES).isEmpty()) {
                    break;
                }
                assertThat(answer.get(FetchResponse.THROTTLE_TIME_MS)).as("an empty answer is a throttled one").isPositive();
            }
            assertThat(FetchRequests.partitions(answer)).as("after %d fetches", epoch).singleElement()
                .extracting(Got::recordBytes).isEqualTo(batchBytes);
        }
    }
}
