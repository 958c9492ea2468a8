package io.tributary.server.group;

import io.tributary.groups.classic.GroupSnapshot;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** Broker and client settings shared by the consumer-group tests, and producing test records. */
final class GroupTestSupport {
    /**
     * Group settings of the test brokers: no initial rebalance delay (a group of one forms at once) and a
     * low minimum session timeout, so that tests may expire a member within seconds.
     */
    static final Map<String, String> BROKER = Map.of(
        "group.initial.rebalance.delay.ms", "0",
        "group.min.session.timeout.ms", "500");

    private GroupTestSupport() {
    }

    /**
     * A group member's settings: manual commits, reading from the earliest offset, heartbeats every 200 ms so a
     * rebalance is noticed within a fraction of a second, and a 20 s rebalance timeout so no step can stall
     * for Kafka's 5 minutes.
     */
    static Map<String, Object> member(BrokerFixture fixture, String group) {
        return member(fixture.bootstrap(), group);
    }

    static Map<String, Object> member(String bootstrap, String group) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 200);
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
        settings.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 20_000);
        settings.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000);
        settings.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 25_000);
        return settings;
    }

    static Map<String, Object> with(Map<String, Object> settings, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(settings);
        copy.put(key, value);
        return copy;
    }

    /**
     * Produces {@code count} records round robin over {@code partitions} partitions, record i with value "v" + i
     * and timestamp {@code firstTimestamp + i} (or the producer's clock when negative), and waits for every ack.
     */
    static void produce(String bootstrap, String topic, int partitions, int from, int count, long firstTimestamp) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (int i = from; i < from + count; i++) {
                Long timestamp = firstTimestamp < 0 ? null : firstTimestamp + i;
                producer.send(new ProducerRecord<>(topic, i % partitions, timestamp, null, "v" + i));
            }
            producer.flush();
        }
    }

    /** The broker-side view of a group (null when the group does not exist). */
    static GroupSnapshot snapshot(BrokerFixture fixture, String group) throws Exception {
        return fixture.broker().groupCoordinator().snapshot(group).get(10, TimeUnit.SECONDS);
    }

    /** Committed offsets as plain numbers, by partition number. */
    static Map<Integer, Long> byPartition(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<Integer, Long> result = new HashMap<>();
        offsets.forEach((tp, committed) -> {
            if (committed != null) {
                result.put(tp.partition(), committed.offset());
            }
        });
        return result;
    }
}
