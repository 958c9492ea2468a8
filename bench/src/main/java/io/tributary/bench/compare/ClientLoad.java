package io.tributary.bench.compare;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client side of {@code txn-compare} and {@code tls-compare}, with Apache Kafka's Java client in this JVM: topic
 * creation, one producer sending as fast as it can for a fixed time, and one consumer reading a topic back from its
 * first offset. Rates are over a measured window after a warm-up; every count covers the whole run, so what was
 * acknowledged can be checked against what was read back.
 */
final class ClientLoad {
    private ClientLoad() {
    }

    /**
     * @param acked        records acknowledged in the measured window
     * @param seconds      the measured window
     * @param totalAcked   records acknowledged in the whole run (warm-up included): what a read-back must find
     * @param totalBytes   their value bytes
     * @param failed       sends that failed
     */
    record Produced(long acked, double seconds, long totalAcked, long totalBytes, long failed) {
        double recordsPerSecond() {
            return seconds > 0 ? acked / seconds : 0;
        }
    }

    /** @param seconds from the first poll to the last record read */
    record Consumed(long records, long bytes, double seconds) {
        double recordsPerSecond() {
            return seconds > 0 ? records / seconds : 0;
        }

        double megabytesPerSecond() {
            return seconds > 0 ? bytes / seconds / 1e6 : 0;
        }
    }

    /** Random bytes: incompressible, the same for both brokers. */
    static byte[] payload(int size) {
        byte[] value = new byte[size];
        new Random(42).nextBytes(value);
        return value;
    }

    /** Creates {@code topic} (replication factor 1) through {@code client}'s settings; waits at most 60 s. */
    static void createTopic(Map<String, Object> client, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(60, TimeUnit.SECONDS);
        }
    }

    /** One producer (settings {@code producer}) sends {@code value} to {@code topic} as fast as it can. */
    static Produced produceFor(Map<String, Object> producer, String topic, byte[] value, Duration warmup, Duration measured) {
        AtomicLong acked = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long ackedAtStart = -1;
        long ackedAtEnd;
        long start = System.nanoTime();
        long measureFrom = start + warmup.toNanos();
        long end = measureFrom + measured.toNanos();
        try (KafkaProducer<byte[], byte[]> client = new KafkaProducer<>(producer, new ByteArraySerializer(), new ByteArraySerializer())) {
            while (System.nanoTime() - end < 0) {
                if (ackedAtStart < 0 && System.nanoTime() - measureFrom >= 0) {
                    ackedAtStart = acked.get();
                }
                client.send(new ProducerRecord<>(topic, value), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    } else {
                        failed.incrementAndGet();
                    }
                });
            }
            ackedAtEnd = acked.get();
            client.flush();
        }
        long inWindow = ackedAtEnd - Math.max(0, ackedAtStart);
        return new Produced(inWindow, measured.toNanos() / 1e9, acked.get(), acked.get() * value.length, failed.get());
    }

    /**
     * One consumer (settings {@code consumer}, no group: every partition assigned) reads {@code topic} from its first
     * offset until it has {@code expected} records or {@code limit} has passed.
     */
    static Consumed readAll(Map<String, Object> consumer, String topic, long expected, Duration limit) {
        Map<String, Object> settings = new HashMap<>(consumer);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        long records = 0;
        long bytes = 0;
        try (KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(settings, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = client.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
            client.assign(partitions);
            client.seekToBeginning(partitions);
            long start = System.nanoTime();
            long last = start;
            long deadline = start + limit.toNanos();
            while (records < expected && System.nanoTime() - deadline < 0) {
                ConsumerRecords<byte[], byte[]> batch = client.poll(Duration.ofMillis(200));
                for (ConsumerRecord<byte[], byte[]> r : batch) {
                    records++;
                    bytes += r.serializedValueSize();
                }
                if (!batch.isEmpty()) {
                    last = System.nanoTime();
                }
            }
            return new Consumed(records, bytes, (last - start) / 1e9);
        }
    }
}
