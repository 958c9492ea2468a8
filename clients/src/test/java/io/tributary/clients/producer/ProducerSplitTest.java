package io.tributary.clients.producer;

import io.tributary.clients.errors.RecordTooLargeException;
import io.tributary.clients.serialization.ByteArraySerializer;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Batches larger than the topic's max.message.bytes (the broker answers MESSAGE_TOO_LARGE) are split and sent
 * again, as KafkaProducer does: every record arrives once, in send order per partition when idempotent; only a
 * single record larger than the limit fails.
 */
class ProducerSplitTest {
    private static final int PARTITIONS = 2;
    /** Far below batch.size, so every lingered batch of many records is refused. */
    private static final int MAX_MESSAGE_BYTES = 2_000;
    private static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String newTopic(String name) throws Exception {
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(name, PARTITIONS, (short) 1)
                .configs(Map.of("max.message.bytes", String.valueOf(MAX_MESSAGE_BYTES))))).all().get();
        }
        return name;
    }

    private static TributaryProducer<byte[], byte[]> producer(String codec, String acks) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("compression.type", codec);
        config.put("acks", acks);
        config.put("linger.ms", 20);
        config.put("batch.size", 64 * 1024);
        return new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @ParameterizedTest(name = "compression {0}, acks {1}")
    @CsvSource({"none, all", "lz4, all", "none, 1"})
    void refusedBatchesAreSplitAndEveryRecordArrivesOnceInOrder(String codec, String acks) throws Exception {
        String topic = newTopic("split-" + codec + "-" + acks);
        int records = 3_000;
        Random random = new Random(7);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (TributaryProducer<byte[], byte[]> producer = producer(codec, acks)) {
            for (int i = 0; i < records; i++) {
                // Random bytes do not compress: lz4 batches stay larger than the limit too.
                byte[] value = new byte[100];
                random.nextBytes(value);
                ByteBuffer.wrap(value).putInt(i);
                futures.add(producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value)));
            }
            producer.flush();
            assertThat(producer.splitBatches()).as("batches made by splitting").isPositive();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            assertThat(f).isCompleted();
            assertThat(f.get().offset()).isNotNegative();
        }
        Map<Integer, List<Integer>> perPartition = readValues(topic, records);
        for (int p = 0; p < PARTITIONS; p++) {
            List<Integer> expected = new ArrayList<>();
            for (int i = p; i < records; i += PARTITIONS) {
                expected.add(i);
            }
            if (acks.equals("all")) {
                assertThat(perPartition.get(p)).as("partition %d", p).containsExactlyElementsOf(expected);
            } else {
                // Without idempotence a re-sent batch may land behind later ones (as with KafkaProducer and more than
                // one request in flight); it still lands once, since the refused batch was not written.
                assertThat(perPartition.get(p)).as("partition %d", p).containsExactlyInAnyOrderElementsOf(expected);
            }
        }
    }

    @Test
    void aSingleRecordOverTheLimitFailsAndLaterRecordsStillArrive() throws Exception {
        String topic = newTopic("split-single");
        try (TributaryProducer<byte[], byte[]> producer = producer("none", "all")) {
            CompletableFuture<RecordMetadata> small = producer.send(new ProducerRecord<>(topic, 0, null, ByteBuffer.allocate(100).putInt(0).array()));
            CompletableFuture<RecordMetadata> huge = producer.send(new ProducerRecord<>(topic, 0, null, new byte[MAX_MESSAGE_BYTES * 2]));
            producer.flush();
            CompletableFuture<RecordMetadata> after = producer.send(new ProducerRecord<>(topic, 0, null, ByteBuffer.allocate(100).putInt(1).array()));
            producer.flush();
            assertThat(small.get().offset()).isZero();
            assertThatThrownBy(huge::get).isInstanceOf(ExecutionException.class).cause()
                .isInstanceOf(RecordTooLargeException.class).hasMessageContaining("MESSAGE_TOO_LARGE");
            assertThat(after.get().offset()).isEqualTo(1);
        }
        assertThat(readValues(topic, 2).get(0)).containsExactly(0, 1);
    }

    /** The first four bytes of each value, per partition in log order. */
    private static Map<Integer, List<Integer>> readValues(String topic, int expected) {
        Properties props = broker.clientProperties();
        Map<Integer, List<Integer>> values = new HashMap<>();
        int read = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
                values.put(p, new ArrayList<>());
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (read < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    values.get(r.partition()).add(ByteBuffer.wrap(r.value()).getInt());
                    read++;
                }
            }
        }
        assertThat(read).isEqualTo(expected);
        return values;
    }
}
