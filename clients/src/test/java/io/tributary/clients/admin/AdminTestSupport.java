package io.tributary.clients.admin;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Brokers, admins, records and Kafka consumers for the admin client's tests. */
final class AdminTestSupport {
    static final long TIMEOUT_SECONDS = 20;
    /** A group of one forms at once instead of after Kafka's 3 s initial delay. */
    static final Map<String, String> BROKER = Map.of("group.initial.rebalance.delay.ms", "0",
        "group.min.session.timeout.ms", "500");

    private AdminTestSupport() {
    }

    static TributaryAdmin admin(BrokerFixture broker) {
        return TributaryAdmin.create(Map.of("bootstrap.servers", broker.bootstrap(), "client.id", "admin-under-test",
            "default.api.timeout.ms", "15000", "request.timeout.ms", "10000"));
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** The exception the future failed with; fails the test if it succeeds or does not finish in time. */
    static Throwable failure(CompletableFuture<?> future) throws InterruptedException {
        try {
            Object value = future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("Expected a failure but got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("No outcome within " + TIMEOUT_SECONDS + " s", e);
        }
    }

    /**
     * Produces {@code perPartition} records to each of {@code partitions} partitions, in rounds over the
     * partitions: record i (counting from {@code from}) goes to partition i % partitions with timestamp
     * {@code firstTimestamp + i}; waits for every ack.
     */
    static void produce(BrokerFixture broker, String topic, int partitions, int from, int count, long firstTimestamp) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, firstTimestamp + i, null, "v" + i)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
    }

    /** A classic-group consumer: manual commits, from the earliest offset, quick heartbeats. */
    static Properties consumer(BrokerFixture broker, String group, String clientId) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 200);
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 20_000);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.StringDeserializer");
        Properties properties = new Properties();
        properties.putAll(settings);
        return properties;
    }
}
