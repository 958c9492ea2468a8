package io.tributary.server.fetch;

import io.tributary.log.PartitionLog;
import io.tributary.log.epoch.LeaderEpochs;
import io.tributary.protocol.ApiKey;
import io.tributary.protocol.ErrorCode;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest.OffsetForLeaderPartition;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochRequest.OffsetForLeaderTopic;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse.EpochEndOffset;
import io.tributary.protocol.message.fetch.OffsetForLeaderEpochResponse.OffsetForLeaderTopicResult;
import io.tributary.protocol.message.metadata.ApiVersionsRequest;
import io.tributary.protocol.message.metadata.ApiVersionsResponse;
import io.tributary.protocol.message.schema.Struct;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OffsetForLeaderEpoch answered from the log's leader-epoch cache: over raw requests at every version, and as
 * Apache Kafka's consumer uses it to validate a position that carries a leader epoch (KIP-320).
 */
class OffsetForLeaderEpochTest {
    private static final String TOPIC = "epochs";

    private final BrokerFixture fixture = new BrokerFixture();

    @AfterEach
    void stop() {
        fixture.close();
    }

    /** Appends batches of {@code perBatch} records to partition 0 of {@code topic}, one batch per epoch given. */
    private PartitionLog write(String topic, int partitions, int perBatch, int... epochs) {
        fixture.broker().logs().createTopic(topic, partitions, Map.of());
        PartitionLog log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(topic, 0));
        for (int epoch : epochs) {
            log.append(TestRecords.simpleBatch(perBatch, 10, 1L), epoch);
        }
        return log;
    }

    @Test
    void answersTheEndOfEachEpochAtEveryVersion() {
        // Offsets 0-3 at epoch 0, 4-7 at epoch 3, 8-11 at epoch 5; partition 1 stays empty.
        write(TOPIC, 2, 4, 0, 3, 5);
        try (RawConnection raw = new RawConnection(fixture.port())) {
            for (short version = 2; version <= 4; version++) {
                Struct request = OffsetForLeaderEpochRequest.SCHEMA.newStruct();
                if (version >= 3) {
                    request.set(OffsetForLeaderEpochRequest.REPLICA_ID, -1);
                }
                Struct topic = request.add(OffsetForLeaderEpochRequest.TOPICS).set(OffsetForLeaderTopic.TOPIC, TOPIC);
                int[][] asked = {{0, 0}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, -1}, {1, 0}};
                for (int[] partitionAndEpoch : asked) {
                    topic.add(OffsetForLeaderTopic.PARTITIONS).set(OffsetForLeaderPartition.PARTITION, partitionAndEpoch[0])
                        .set(OffsetForLeaderPartition.CURRENT_LEADER_EPOCH, LeaderEpochs.SINGLE_BROKER)
                        .set(OffsetForLeaderPartition.LEADER_EPOCH, partitionAndEpoch[1]);
                }
                Struct response = raw.call(ApiKey.OFFSET_FOR_LEADER_EPOCH, version, request);
                List<Struct> topics = response.get(OffsetForLeaderEpochResponse.TOPICS);
                assertThat(topics).hasSize(1);
                assertThat(topics.get(0).get(OffsetForLeaderTopicResult.TOPIC)).isEqualTo(TOPIC);
                assertThat(topics.get(0).get(OffsetForLeaderTopicResult.PARTITIONS)).as("v%d", version)
                    .extracting(OffsetForLeaderEpochTest::answer)
                    .containsExactly(
                        "0 NONE epoch 0 end 4",
                        "0 NONE epoch 0 end 4",      // epoch 2 was never written: the largest below it
                        "0 NONE epoch 3 end 8",
                        "0 NONE epoch 3 end 8",
                        "0 NONE epoch 5 end 12",     // the latest epoch ends at the log end
                        "0 NONE epoch -1 end -1",    // newer than any
                        "0 NONE epoch -1 end -1",    // undefined
                        "1 NONE epoch -1 end -1");   // an empty log knows no epoch
            }
        }
    }

    @Test
    void unknownPartitionsAndLeaderEpochsGetKafkasErrors() {
        write(TOPIC, 1, 2, 0);
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct request = OffsetForLeaderEpochRequest.SCHEMA.newStruct().set(OffsetForLeaderEpochRequest.REPLICA_ID, -1);
            Struct known = request.add(OffsetForLeaderEpochRequest.TOPICS).set(OffsetForLeaderTopic.TOPIC, TOPIC);
            known.add(OffsetForLeaderTopic.PARTITIONS).set(OffsetForLeaderPartition.PARTITION, 1)
                .set(OffsetForLeaderPartition.LEADER_EPOCH, 0);
            known.add(OffsetForLeaderTopic.PARTITIONS).set(OffsetForLeaderPartition.PARTITION, 0)
                .set(OffsetForLeaderPartition.CURRENT_LEADER_EPOCH, LeaderEpochs.SINGLE_BROKER + 1)
                .set(OffsetForLeaderPartition.LEADER_EPOCH, 0);
            known.add(OffsetForLeaderTopic.PARTITIONS).set(OffsetForLeaderPartition.PARTITION, 0)
                .set(OffsetForLeaderPartition.LEADER_EPOCH, 0); // current_leader_epoch -1: not checked
            request.add(OffsetForLeaderEpochRequest.TOPICS).set(OffsetForLeaderTopic.TOPIC, "nope")
                .add(OffsetForLeaderTopic.PARTITIONS).set(OffsetForLeaderPartition.PARTITION, 0).set(OffsetForLeaderPartition.LEADER_EPOCH, 0);

            List<Struct> topics = raw.call(ApiKey.OFFSET_FOR_LEADER_EPOCH, (short) 4, request).get(OffsetForLeaderEpochResponse.TOPICS);
            assertThat(topics.get(0).get(OffsetForLeaderTopicResult.PARTITIONS)).extracting(OffsetForLeaderEpochTest::answer)
                .containsExactly("1 UNKNOWN_TOPIC_OR_PARTITION epoch -1 end -1", "0 UNKNOWN_LEADER_EPOCH epoch -1 end -1",
                    "0 NONE epoch 0 end 2");
            assertThat(topics.get(1).get(OffsetForLeaderTopicResult.PARTITIONS)).extracting(OffsetForLeaderEpochTest::answer)
                .containsExactly("0 UNKNOWN_TOPIC_OR_PARTITION epoch -1 end -1");
        }
    }

    @Test
    void advertisedInApiVersions() {
        try (RawConnection raw = new RawConnection(fixture.port())) {
            Struct response = raw.call(ApiKey.API_VERSIONS, (short) 3, ApiVersionsRequest.SCHEMA.newStruct()
                .set(ApiVersionsRequest.CLIENT_SOFTWARE_NAME, "raw-test").set(ApiVersionsRequest.CLIENT_SOFTWARE_VERSION, "1"));
            assertThat(response.get(ApiVersionsResponse.API_KEYS))
                .filteredOn(api -> api.get(ApiVersionsResponse.ApiVersion.API_KEY) == 23)
                .extracting(api -> api.get(ApiVersionsResponse.ApiVersion.MIN_VERSION) + "-" + api.get(ApiVersionsResponse.ApiVersion.MAX_VERSION))
                .containsExactly("2-4");
        }
    }

    @Test
    void theConsumerValidatesASeekWithAnEpochAndReadsFromThere() {
        write(TOPIC, 1, 5, LeaderEpochs.SINGLE_BROKER, LeaderEpochs.SINGLE_BROKER); // offsets 0-9
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(p0));
            consumer.seek(p0, new OffsetAndMetadata(4, Optional.of(LeaderEpochs.SINGLE_BROKER), ""));
            List<ConsumerRecord<byte[], byte[]>> records = Consumers.poll(consumer, 6, Duration.ofSeconds(30));
            assertThat(records).extracting(ConsumerRecord::offset).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
            assertThat(records).allSatisfy(r -> assertThat(r.leaderEpoch()).contains(LeaderEpochs.SINGLE_BROKER));
        }
    }

    @Test
    void theConsumerDetectsAPositionBeyondItsEpochsEndWithoutAResetPolicy() {
        write(TOPIC, 1, 5, LeaderEpochs.SINGLE_BROKER, LeaderEpochs.SINGLE_BROKER); // offsets 0-9
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none"))) {
            consumer.assign(List.of(p0));
            // A position at 15 under epoch 0, as a consumer holds after the log it read from lost its tail.
            consumer.seek(p0, new OffsetAndMetadata(15, Optional.of(LeaderEpochs.SINGLE_BROKER), ""));
            // Without OffsetForLeaderEpoch the consumer would fetch at 15 and get OffsetOutOfRangeException instead.
            LogTruncationException truncation = pollUntilTruncation(consumer, Duration.ofSeconds(30));
            assertThat(truncation.divergentOffsets()).containsEntry(p0, new OffsetAndMetadata(10, Optional.of(0), null));
        }
    }

    @Test
    void theConsumerResetsToWhereItsEpochEndedWithAResetPolicy() {
        // Offsets 0-4 at epoch 0, 5-9 at epoch 3: a position at 7 under epoch 0 lies past the end of epoch 0.
        write(TOPIC, 1, 5, 0, 3);
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"))) {
            consumer.assign(List.of(p0));
            consumer.pause(List.of(p0)); // no fetch moves the position on: only the validation may
            consumer.seek(p0, new OffsetAndMetadata(7, Optional.of(0), ""));
            // The consumer validates once it knows the partition's leader epoch from Metadata. A fetch at 7 would keep
            // 7 (and later move past it); a reset to earliest would give 0; the validation resets to epoch 0's end, 5.
            long position = 7;
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (position == 7 && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(100));
                position = consumer.position(p0, Duration.ofSeconds(30));
            }
            assertThat(position).isEqualTo(5);
        }
    }

    private static LogTruncationException pollUntilTruncation(KafkaConsumer<byte[], byte[]> consumer, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (System.nanoTime() < end) {
            try {
                consumer.poll(Duration.ofMillis(200));
            } catch (LogTruncationException e) {
                return e;
            }
        }
        throw new AssertionError("no LogTruncationException within " + deadline);
    }

    private static String answer(Struct partition) {
        return partition.get(EpochEndOffset.PARTITION) + " " + ErrorCode.forCode(partition.get(EpochEndOffset.ERROR_CODE)) + " epoch "
            + partition.get(EpochEndOffset.LEADER_EPOCH) + " end " + partition.get(EpochEndOffset.END_OFFSET);
    }
}
