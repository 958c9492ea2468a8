package io.tributary.server.fetch;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/** Apache Kafka's consumer against a test broker, without a group (assign and seek). */
final class Consumers {
    private Consumers() {
    }

    static KafkaConsumer<byte[], byte[]> create(BrokerFixture fixture, Map<String, Object> overrides) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap());
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "fetch-test");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000);
        properties.putAll(overrides);
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** Polls until {@code count} records have arrived or {@code deadline} passes; returns what arrived. */
    static List<ConsumerRecord<byte[], byte[]>> poll(KafkaConsumer<byte[], byte[]> consumer, int count, Duration deadline) {
        List<ConsumerRecord<byte[], byte[]>> received = new ArrayList<>();
        long end = System.nanoTime() + deadline.toNanos();
        while (received.size() < count && System.nanoTime() < end) {
            consumer.poll(Duration.ofMillis(200)).forEach(received::add);
        }
        return received;
    }
}
