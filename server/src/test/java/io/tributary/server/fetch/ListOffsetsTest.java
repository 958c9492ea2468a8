package io.tributary.server.fetch;

import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.ListOffsetsRequest;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsPartition;
import io.tributary.protocol.message.fetch.ListOffsetsRequest.ListOffsetsTopic;
import io.tributary.protocol.message.fetch.ListOffsetsResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsPartitionResponse;
import io.tributary.protocol.message.fetch.ListOffsetsResponse.ListOffsetsTopicResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.protocol.record.RecordBatchBuilder;
import io.tributary.protocol.record.compression.Compression;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** ListOffsets as Apache Kafka's consumer and admin use it, and its error answers over raw requests. */
class ListOffsetsTest {
    private static final String TOPIC = "times";
    private static final long T0 = 1_700_000_000_000L;

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /**
     * Partition 0 of {@link #TOPIC}: batches of 4 records (gzip and none alternating), record i has
     * timestamp T0 + 10 * i, except record 13 which has the largest, T0 + 1_000_000. Partition 1 stays empty.
     */
    private PartitionLog writeTimestamps(Map<String, String> overrides) {
        fixture.broker().logs().createTopic(TOPIC, 2, overrides);
        PartitionLog log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, 0));
        for (int batch = 0; batch < 6; batch++) {
            RecordBatchBuilder builder = new RecordBatchBuilder(batch % 2 == 0 ? Compression.gzip() : Compression.none());
            for (int i = batch * 4; i < batch * 4 + 4; i++) {
                builder.append(i == 13 ? T0 + 1_000_000 : T0 + 10L * i, null, ByteBuffer.wrap(new byte[100]));
            }
            log.append(builder.build(), LeaderEpochs.SINGLE_BROKER);
        }
        return log;
    }

    @Test
    void offsetsForTimesBeginningAndEndOffsetsAsTheConsumerAsks() {
        writeTimestamps(Map.of());
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            assertThat(consumer.beginningOffsets(List.of(p0, p1))).containsEntry(p0, 0L).containsEntry(p1, 0L);
            assertThat(consumer.endOffsets(List.of(p0, p1))).containsEntry(p0, 24L).containsEntry(p1, 0L);

            Map<TopicPartition, Long> query = new HashMap<>();
            query.put(p0, T0 + 55); // between record 5 (T0+50) and 6 (T0+60), inside a gzip batch
            query.put(p1, T0);
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
            assertThat(found.get(p0)).isEqualTo(new OffsetAndTimestamp(6, T0 + 60, Optional.of(0)));
            assertThat(found.get(p1)).isNull();

            assertThat(consumer.offsetsForTimes(Map.of(p0, T0 + 130)).get(p0)).as("record 13 is the first at or after T0+130")
                .isEqualTo(new OffsetAndTimestamp(13, T0 + 1_000_000, Optional.of(0)));
            assertThat(consumer.offsetsForTimes(Map.of(p0, T0 + 140)).get(p0)).isEqualTo(new OffsetAndTimestamp(13, T0 + 1_000_000, Optional.of(0)));
            assertThat(consumer.offsetsForTimes(Map.of(p0, T0 - 1)).get(p0)).isEqualTo(new OffsetAndTimestamp(0, T0, Optional.of(0)));
            assertThat(consumer.offsetsForTimes(Map.of(p0, T0 + 1_000_001)).get(p0)).as("every record is older").isNull();
        }
    }

    @Test
    void beginningOffsetFollowsRetentionAndFetchingBelowItResets() {
        // About one batch per segment; keep at most ~1200 bytes (time retention off: the timestamps are old).
        PartitionLog log = writeTimestamps(Map.of("segment.bytes", "600", "retention.bytes", "1200", "retention.ms", "-1"));
        assertThat(log.deleteRetainedSegments()).isPositive();
        long start = log.logStartOffset();
        assertThat(start).isPositive().isLessThan(24);
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            assertThat(consumer.beginningOffsets(List.of(p0))).containsEntry(p0, start);
            assertThat(consumer.endOffsets(List.of(p0))).containsEntry(p0, 24L);
            assertThat(consumer.offsetsForTimes(Map.of(p0, T0)).get(p0).offset()).isEqualTo(start);
            // Fetching below the log start is OFFSET_OUT_OF_RANGE; the consumer resets to the earliest offset.
            consumer.assign(List.of(p0));
            consumer.seek(p0, 0);
            var records = Consumers.poll(consumer, (int) (24 - start), Duration.ofSeconds(30));
            assertThat(records).hasSize((int) (24 - start));
            assertThat(records.get(0).offset()).isEqualTo(start);
        }
    }

    @Test
    void maxTimestampEarliestLocalAndLatestTieredAsTheAdminAsks() throws Exception {
        writeTimestamps(Map.of());
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        try (Admin admin = fixture.admin()) {
            Map<TopicPartition, ListOffsetsResultInfo> max = admin.listOffsets(Map.of(p0, OffsetSpec.maxTimestamp(),
                p1, OffsetSpec.maxTimestamp())).all().get(20, TimeUnit.SECONDS);
            assertThat(max.get(p0).offset()).isEqualTo(13);
            assertThat(max.get(p0).timestamp()).isEqualTo(T0 + 1_000_000);
            assertThat(max.get(p0).leaderEpoch()).contains(0);
            assertThat(max.get(p1).offset()).as("empty partition").isEqualTo(-1);
            assertThat(admin.listOffsets(Map.of(p0, OffsetSpec.earliestLocal())).all().get(20, TimeUnit.SECONDS).get(p0).offset()).isZero();
            assertThat(admin.listOffsets(Map.of(p0, OffsetSpec.latestTiered())).all().get(20, TimeUnit.SECONDS).get(p0).offset()).isEqualTo(-1);
            assertThat(admin.listOffsets(Map.of(p0, OffsetSpec.forTimestamp(T0 + 75))).all().get(20, TimeUnit.SECONDS).get(p0).offset()).isEqualTo(8);
        }
    }

    @Test
    void everyVersionAnswersEarliestAndLatest() {
        writeTimestamps(Map.of());
        try (RawConnection raw = new RawConnection(fixture.port())) {
            for (short version = ApiKey.LIST_OFFSETS.minVersion(); version <= ApiKey.LIST_OFFSETS.maxVersion(); version++) {
                Struct request = FetchRequests.listOffsets(TOPIC, 0, ListOffsetsHandler.EARLIEST);
                FetchRequests.addListOffsets(request, TOPIC, 1, ListOffsetsHandler.LATEST);
                Struct response = raw.call(ApiKey.LIST_OFFSETS, version, request);
                List<Struct> topics = response.get(ListOffsetsResponse.TOPICS);
                assertThat(partition(topics.get(0), 0).get(ListOffsetsPartitionResponse.OFFSET)).as("v%d earliest", version).isZero();
                assertThat(partition(topics.get(1), 1).get(ListOffsetsPartitionResponse.OFFSET)).as("v%d latest", version).isZero();
            }
            Struct latest = raw.call(ApiKey.LIST_OFFSETS, (short) 11, FetchRequests.listOffsets(TOPIC, 0, ListOffsetsHandler.LATEST)
                .set(ListOffsetsRequest.ISOLATION_LEVEL, 1));
            Struct answer = partition(latest.get(ListOffsetsResponse.TOPICS).get(0), 0);
            assertThat(answer.get(ListOffsetsPartitionResponse.OFFSET)).as("read_committed: last stable = log end").isEqualTo(24);
            assertThat(answer.get(ListOffsetsPartitionResponse.TIMESTAMP)).isEqualTo(-1);
            assertThat(answer.get(ListOffsetsPartitionResponse.LEADER_EPOCH)).isZero();
        }
    }

    @Test
    void errorsNameTheBadPartitionAndLeaveTheOthersAnswered() {
        writeTimestamps(Map.of());
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct request = FetchRequests.listOffsets("nope", 0, ListOffsetsHandler.EARLIEST);
            FetchRequests.addListOffsets(request, TOPIC, 2, ListOffsetsHandler.EARLIEST);          // no partition 2
            FetchRequests.addListOffsets(request, TOPIC, -1, ListOffsetsHandler.EARLIEST);         // nor -1
            FetchRequests.addListOffsets(request, TOPIC, 0, -7);                                    // no such sentinel
            FetchRequests.addListOffsets(request, TOPIC, 1, T0 + 1_000_001);                        // newer than all
            Struct duplicated = request.add(ListOffsetsRequest.TOPICS).set(ListOffsetsTopic.NAME, "dup");
            for (int i = 0; i < 2; i++) {
                duplicated.add(ListOffsetsTopic.PARTITIONS).set(ListOffsetsPartition.PARTITION_INDEX, 0)
                    .set(ListOffsetsPartition.TIMESTAMP, ListOffsetsHandler.LATEST);
            }
            List<Struct> topics = raw.call(ApiKey.LIST_OFFSETS, (short) 11, request).get(ListOffsetsResponse.TOPICS);
            assertThat(error(partition(topics.get(0), 0))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(error(partition(topics.get(1), 2))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(error(partition(topics.get(2), -1))).isEqualTo(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
            assertThat(error(partition(topics.get(3), 0))).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);
            Struct notFound = partition(topics.get(4), 1);
            assertThat(error(notFound)).isEqualTo(ErrorCode.NONE);
            assertThat(notFound.get(ListOffsetsPartitionResponse.OFFSET)).isEqualTo(-1);
            assertThat(notFound.get(ListOffsetsPartitionResponse.TIMESTAMP)).isEqualTo(-1);
            assertThat(notFound.get(ListOffsetsPartitionResponse.LEADER_EPOCH)).isEqualTo(-1);
            assertThat(topics.get(5).get(ListOffsetsTopicResponse.PARTITIONS))
                .allSatisfy(p -> assertThat(error(p)).isEqualTo(ErrorCode.INVALID_REQUEST));

            // MAX_TIMESTAMP needs v7: older versions get UNSUPPORTED_VERSION for that partition only.
            Struct old = raw.call(ApiKey.LIST_OFFSETS, (short) 6, FetchRequests.listOffsets(TOPIC, 0, ListOffsetsHandler.MAX_TIMESTAMP));
            assertThat(error(partition(old.get(ListOffsetsResponse.TOPICS).get(0), 0))).isEqualTo(ErrorCode.UNSUPPORTED_VERSION);

            Struct epochAhead = FetchRequests.listOffsets(TOPIC, 0, ListOffsetsHandler.LATEST);
            epochAhead.get(ListOffsetsRequest.TOPICS).get(0).get(ListOffsetsTopic.PARTITIONS).get(0)
                .set(ListOffsetsPartition.CURRENT_LEADER_EPOCH, 1);
            Struct ahead = raw.call(ApiKey.LIST_OFFSETS, (short) 11, epochAhead);
            assertThat(error(partition(ahead.get(ListOffsetsResponse.TOPICS).get(0), 0))).isEqualTo(ErrorCode.UNKNOWN_LEADER_EPOCH);
        }
    }

    private static Struct partition(Struct topic, int index) {
        List<Struct> partitions = topic.get(ListOffsetsTopicResponse.PARTITIONS);
        assertThat(partitions).hasSize(1);
        Struct partition = partitions.get(0);
        assertThat(partition.get(ListOffsetsPartitionResponse.PARTITION_INDEX)).isEqualTo(index);
        return partition;
    }

    private static ErrorCode error(Struct partition) {
        return ErrorCode.forCode(partition.get(ListOffsetsPartitionResponse.ERROR_CODE));
    }
}
