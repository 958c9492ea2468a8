package io.tributary.server.fetch;

import io.tributary.log.PartitionLog;
import io.tributary.server.BrokerFixture;
import io.tributary.server.fetch.TestRecords.Rec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Kafka's consumer reads back, through Fetch and ListOffsets, every record written into the logs:
 * every codec, several partitions, several segments, and from any offset.
 */
class ConsumerFetchTest {
    private static final String TOPIC = "codecs";
    private static final int PARTITIONS = 3;

    private final BrokerFixture fixture = new BrokerFixture();
    private final Map<Integer, List<Rec>> sent = new HashMap<>();
    private final List<TopicPartition> partitions = new ArrayList<>();

    @BeforeEach
    void writeEveryCodecAcrossSegments() {
        // Small segments and index intervals: reads cross rolls and start from index entries.
        // Timestamps up to 2027 are appended below: the topic takes future timestamps (Kafka 4 refuses those more
        // than message.timestamp.after.max.ms, by default an hour, ahead of the broker's clock).
        fixture.broker().logs().createTopic(TOPIC, PARTITIONS, Map.of("segment.bytes", "16384", "index.interval.bytes", "512",
            "message.timestamp.after.max.ms", Long.toString(Long.MAX_VALUE)));
        Random random = new Random(42);
        long timestamp = 1_700_000_000_000L;
        for (int p = 0; p < PARTITIONS; p++) {
            PartitionLog log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, p));
            List<Rec> records = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (var codec : TestRecords.CODECS) {
                    int count = 3 + random.nextInt(13);
                    records.addAll(TestRecords.appendBatch(log, codec, count, timestamp, "p" + p, random));
                    timestamp += count;
                }
            }
            assertThat(log.segments()).as("segments of partition %d", p).hasSizeGreaterThan(1);
            sent.put(p, records);
            partitions.add(new TopicPartition(TOPIC, p));
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void readsBackEveryRecordOfEveryCodecByteForByteInOrder() {
        // Small fetch limits: many fetches, and batches larger than the partition limit must still come (KIP-74).
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of(
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 1024, ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4096))) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            int total = sent.values().stream().mapToInt(List::size).sum();
            Map<Integer, List<Rec>> received = byPartition(Consumers.poll(consumer, total, Duration.ofSeconds(60)));
            for (int p = 0; p < PARTITIONS; p++) {
                assertThat(received.get(p)).as("partition %d", p).containsExactlyElementsOf(sent.get(p));
            }
        }
    }

    @Test
    void readsFromAnOffsetInTheMiddleOfACompressedBatch() {
        List<Rec> records = sent.get(1);
        long middle = records.get(records.size() / 2).offset();
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            TopicPartition tp = new TopicPartition(TOPIC, 1);
            consumer.assign(List.of(tp));
            consumer.seek(tp, middle);
            List<Rec> expected = records.subList(records.size() / 2, records.size());
            List<Rec> received = byPartition(Consumers.poll(consumer, expected.size(), Duration.ofSeconds(30))).get(1);
            assertThat(received).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void seekToEndWaitsAtTheLogEndAndThenReadsWhatIsAppended() {
        try (KafkaConsumer<byte[], byte[]> consumer = Consumers.create(fixture, Map.of())) {
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            for (TopicPartition tp : partitions) {
                assertThat(consumer.position(tp)).isEqualTo(sent.get(tp.partition()).size());
            }
            assertThat(consumer.poll(Duration.ofMillis(300))).isEmpty();
            PartitionLog log = fixture.broker().logs().log(new io.tributary.protocol.TopicPartition(TOPIC, 2));
            List<Rec> more = TestRecords.appendBatch(log, TestRecords.CODECS.get(4), 4, 1_800_000_000_000L, "late", new Random(7));
            assertThat(byPartition(Consumers.poll(consumer, more.size(), Duration.ofSeconds(30))).get(2)).containsExactlyElementsOf(more);
        }
    }

    private static Map<Integer, List<Rec>> byPartition(List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<Rec>> byPartition = new HashMap<>();
        for (var record : records) {
            byPartition.computeIfAbsent(record.partition(), p -> new ArrayList<>()).add(TestRecords.of(record));
        }
        return byPartition;
    }
}
