package io.tributary.server.fetch;

import io.tributary.log.LogSlice;
import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.FetchRequest;
import io.tributary.protocol.message.fetch.FetchResponse;
import io.tributary.protocol.message.fetch.FetchResponse.FetchableTopicResponse;
import io.tributary.protocol.message.fetch.FetchResponse.PartitionData;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.FetchRequests.Got;
import io.tributary.server.fetch.FetchRequests.Wanted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fetch limits (max_bytes, partition_max_bytes, KIP-74, the broker's fetch.max.bytes), isolation levels and
 * every version of the response, checked on the bytes that arrive: the records are the log's batches,
 * byte for byte.
 */
class FetchLimitsTest {
    private static final String TOPIC = "limits";

    private BrokerFixture fixture = new BrokerFixture();
    private UUID topicId;
    /** Per partition, the batches appended, as they lie in the log. */
    private final List<List<ByteBuffer>> batches = new ArrayList<>();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Three partitions, each with two batches of about 1 KiB; partition 3 stays empty. */
    private void write() {
        topicId = fixture.broker().logs().createTopic(TOPIC, 4, Map.of()).topicId();
        for (int p = 0; p < 4; p++) {
            PartitionLog log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, p));
            List<ByteBuffer> written = new ArrayList<>();
            for (int b = 0; p < 3 && b < 2; b++) {
                log.append(TestRecords.simpleBatch(4, 240, 1L), LeaderEpochs.SINGLE_BROKER);
                try (LogSlice slice = log.read(b * 4L, Integer.MAX_VALUE, true)) {
                    ByteBuffer stored = slice.readIntoHeap();
                    written.add(stored.limit(stored.getInt(8) + 12)); // the first batch: 12 + batchLength bytes
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            batches.add(written);
        }
        assertThat(batches.get(0).get(0).remaining()).isBetween(1000, 1100);
    }

    private int batch() {
        return batches.get(0).get(0).remaining();
    }

    private List<Got> fetch(int maxBytes, int partitionMaxBytes, int... partitions) {
        List<Wanted> wanted = new ArrayList<>();
        for (int p : partitions) {
            wanted.add(Wanted.byId(topicId, p, 0, partitionMaxBytes));
        }
        try (RawConnection raw = new RawConnection(fixture.port())) {
            return FetchRequests.partitions(raw.call(ApiKey.FETCH, (short) 18, FetchRequests.fetch(0, 1, maxBytes, wanted)));
        }
    }

    private ByteBuffer concat(int partition, int count) {
        List<ByteBuffer> list = batches.get(partition);
        ByteBuffer all = ByteBuffer.allocate(list.stream().limit(count).mapToInt(ByteBuffer::remaining).sum());
        list.stream().limit(count).forEach(b -> all.put(b.duplicate()));
        return all.flip();
    }

    @Test
    void theFirstPartitionWithDataReturnsAWholeBatchBeyondEveryLimitAndTheRestOnlyWhatFits() {
        write();
        List<Got> tiny = fetch(100, 100, 3, 0, 1);
        assertThat(tiny.get(0).recordBytes()).as("empty partition first").isZero();
        assertThat(tiny.get(1).records()).as("first partition with data: one whole batch").isEqualTo(concat(0, 1));
        assertThat(tiny.get(2).recordBytes()).as("nothing fits in what is left").isZero();

        List<Got> budget = fetch(batch() * 5 / 2, batch() * 3 / 2, 0, 1, 2);
        assertThat(budget.get(0).records()).as("partition limit: one of two batches").isEqualTo(concat(0, 1));
        assertThat(budget.get(1).records()).isEqualTo(concat(1, 1));
        assertThat(budget.get(2).recordBytes()).as("half a batch left of max_bytes").isZero();

        List<Got> ample = fetch(1 << 20, 1 << 20, 0, 1, 2);
        for (int p = 0; p < 3; p++) {
            assertThat(ample.get(p).records()).as("partition %d, byte for byte", p).isEqualTo(concat(p, 2));
            assertThat(ample.get(p).highWatermark()).isEqualTo(8);
            assertThat(ample.get(p).lastStableOffset()).isEqualTo(8);
            assertThat(ample.get(p).logStartOffset()).isZero();
        }
    }

    @Test
    void theBrokersFetchMaxBytesCapsWhatTheRequestAllows() {
        fixture.close();
        fixture = new BrokerFixture(Map.of("fetch.max.bytes", "1500"));
        write();
        List<Got> capped = fetch(Integer.MAX_VALUE, 1 << 20, 0, 1);
        assertThat(capped.get(0).records()).isEqualTo(concat(0, 1));
        assertThat(capped.get(1).recordBytes()).isZero();
    }

    @Test
    void readCommittedSeesTheLogEndAndAnEmptyAbortedList() {
        write();
        try (RawConnection raw = new RawConnection(fixture.port())) {
            for (int isolation = 0; isolation <= 1; isolation++) {
                Struct request = FetchRequests.fetch(0, 1, 1 << 20, List.of(Wanted.byId(topicId, 0, 0, 1 << 20)))
                    .set(FetchRequest.ISOLATION_LEVEL, isolation);
                Struct partition = raw.call(ApiKey.FETCH, (short) 18, request).get(FetchResponse.RESPONSES).get(0)
                    .get(FetchableTopicResponse.PARTITIONS).get(0);
                assertThat(partition.get(PartitionData.LAST_STABLE_OFFSET)).isEqualTo(8);
                assertThat(partition.get(PartitionData.RECORDS)).isEqualTo(concat(0, 2));
                assertThat(partition.get(PartitionData.PREFERRED_READ_REPLICA)).isEqualTo(-1);
                if (isolation == 1) {
                    assertThat(partition.get(PartitionData.ABORTED_TRANSACTIONS)).isEmpty();
                } else {
                    assertThat(partition.get(PartitionData.ABORTED_TRANSACTIONS)).isNull();
                }
            }
        }
    }

    @Test
    void everyVersionCarriesTheSameBytes() {
        write();
        try (RawConnection raw = new RawConnection(fixture.port())) {
            for (short version = ApiKey.FETCH.minVersion(); version <= ApiKey.FETCH.maxVersion(); version++) {
                Wanted wanted = version >= 13 ? Wanted.byId(topicId, 1, 4, 1 << 20) : Wanted.byName(TOPIC, 1, 4, 1 << 20);
                List<Got> got = FetchRequests.partitions(raw.call(ApiKey.FETCH, version, FetchRequests.fetch(0, 1, 1 << 20, List.of(wanted))));
                assertThat(got).as("v%d", version).singleElement().satisfies(g -> {
                    assertThat(g.error()).isEqualTo(ErrorCode.NONE.code());
                    assertThat(g.records()).isEqualTo(batches.get(1).get(1));
                    assertThat(g.highWatermark()).isEqualTo(8);
                });
                if (version >= 13) {
                    assertThat(got.get(0).topicId()).isEqualTo(topicId);
                } else {
                    assertThat(got.get(0).topic()).isEqualTo(TOPIC);
                }
            }
        }
    }
}
