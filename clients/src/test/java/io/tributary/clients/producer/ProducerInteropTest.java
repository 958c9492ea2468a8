package io.tributary.clients.producer;

import io.tributary.clients.Headers;
import io.tributary.clients.serialization.ByteArraySerializer;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our producer -> broker -> Kafka's consumer, for every codec: keys, values, headers and timestamps arrive
 * byte for byte, at the partitions and offsets our producer reported, keyed records where Kafka's partitioner
 * puts them.
 */
class ProducerInteropTest {
    private static final int PARTITIONS = 3;
    private static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    /** One sent record and what the producer said about it. */
    private record Sent(byte[] key, byte[] value, long timestamp, List<io.tributary.protocol.record.Header> headers,
                        CompletableFuture<RecordMetadata> metadata) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"none", "gzip", "snappy", "lz4", "zstd"})
    void recordsArriveByteForByte(String codec) throws Exception {
        String topic = "interop-" + codec;
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        Random random = new Random(codec.hashCode());
        List<Sent> sent = new ArrayList<>();
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("compression.type", codec);
        config.put("linger.ms", 2);
        config.put("batch.size", 4096);
        int[] callbacks = new int[1];
        try (TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 600; i++) {
                byte[] key = i % 5 == 0 ? null : bytes(random, 1 + random.nextInt(20));
                byte[] value = i % 17 == 0 ? null : bytes(random, random.nextInt(300));
                Headers headers = new Headers();
                if (i % 3 == 0) {
                    headers.add("trace", bytes(random, 8)).add("empty", new byte[0]).add("nothing", null);
                }
                long timestamp = 1_700_000_000_000L + i;
                Integer partition = i % 11 == 0 ? i % PARTITIONS : null;
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, timestamp, key, value, headers);
                CompletableFuture<RecordMetadata> md = producer.send(record, (m, e) -> callbacks[0]++);
                sent.add(new Sent(key, value, timestamp, headers.asList(), md));
            }
            producer.flush();
            assertThat(callbacks[0]).isEqualTo(600);
        }
        Map<String, ConsumerRecord<byte[], byte[]>> received = consumeAll(topic, sent.size());
        for (Sent s : sent) {
            RecordMetadata md = s.metadata().get(0, TimeUnit.SECONDS);
            ConsumerRecord<byte[], byte[]> r = received.get(md.partition().partition() + "@" + md.offset());
            assertThat(r).as("record at %s", md).isNotNull();
            assertThat(r.key()).isEqualTo(s.key());
            assertThat(r.value()).isEqualTo(s.value());
            assertThat(r.timestamp()).isEqualTo(s.timestamp()).isEqualTo(md.timestamp());
            List<Header> headers = Arrays.asList(r.headers().toArray());
            assertThat(headers).hasSize(s.headers().size());
            for (int i = 0; i < headers.size(); i++) {
                assertThat(headers.get(i).key()).isEqualTo(s.headers().get(i).key());
                byte[] expected = s.headers().get(i).value() == null ? null : toArray(s.headers().get(i).value());
                assertThat(headers.get(i).value()).isEqualTo(expected);
            }
            if (s.key() != null) {
                assertThat(md.partition().partition()).isIn(
                    org.apache.kafka.clients.producer.internals.BuiltInPartitioner.partitionForKey(s.key(), PARTITIONS),
                    // records sent with an explicit partition
                    r.partition());
            }
            assertThat(md.serializedKeySize()).isEqualTo(s.key() == null ? -1 : s.key().length);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1", "all"})
    void everyAcksSettingDelivers(String acks) throws Exception {
        String topic = "acks-" + acks;
        try (Admin admin = broker.admin()) {
            admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get();
        }
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", broker.bootstrap());
        config.put("acks", acks);
        List<CompletableFuture<RecordMetadata>> futures = new ArrayList<>();
        try (TributaryProducer<byte[], byte[]> producer = new TributaryProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
            assertThat(producer.isIdempotent()).isEqualTo(acks.equals("all"));
            for (int i = 0; i < 1000; i++) {
                futures.add(producer.send(new ProducerRecord<>(topic, ("k" + i).getBytes(), new byte[] {(byte) i})));
            }
            producer.flush();
        }
        for (CompletableFuture<RecordMetadata> f : futures) {
            // acks=0: nobody tells the producer the offset
            assertThat(f.get(0, TimeUnit.SECONDS).offset()).isEqualTo(acks.equals("0") ? -1 : f.get().offset());
            if (!acks.equals("0")) {
                assertThat(f.get().offset()).isNotNegative();
            }
        }
        consumeAll(topic, 1000);
    }

    static Map<String, ConsumerRecord<byte[], byte[]>> consumeAll(String topic, int expected) {
        Properties props = broker.clientProperties();
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        Map<String, ConsumerRecord<byte[], byte[]>> received = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                partitions.add(new TopicPartition(topic, p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (received.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    received.put(r.partition() + "@" + r.offset(), r);
                }
            }
        }
        assertThat(received).hasSize(expected);
        return received;
    }

    private static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] toArray(java.nio.ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
