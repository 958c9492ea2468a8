package io.tributary.kafka.partitioner;

import io.tributary.protocol.routing.RoutingMode;
import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Apache Kafka's producer with the plug-in against a broker with ordered and plain topics. */
class OrderedPartitionerTest {
    static BrokerFixture fixture;
    static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        fixture = new BrokerFixture(Map.of());
        admin = fixture.admin();
        admin.createTopics(List.of(
            new NewTopic("orders", 3, (short) 1).configs(Map.of("routing.mode", "ordered")),
            new NewTopic("growing", 3, (short) 1).configs(Map.of("routing.mode", "ordered")),
            new NewTopic("plain", 5, (short) 1))).all().get(20, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        admin.close();
        fixture.close();
    }

    static KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Properties props = fixture.clientProperties();
        props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, OrderedPartitioner.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    static int ordered(String key, int partitions) {
        return RoutingMode.ORDERED.partition(key.getBytes(StandardCharsets.UTF_8), partitions);
    }

    @Test
    void keyedRecordsOfOrderedTopicsGoWhereTheBrokerWantsThemOthersWhereKafkaPutsThem() throws Exception {
        try (KafkaProducer<String, String> producer = producer(Map.of(OrderedPartitioner.ORDERED_TOPICS_CONFIG, "orders"))) {
            List<Future<RecordMetadata>> orders = new ArrayList<>();
            List<Future<RecordMetadata>> plain = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                orders.add(producer.send(new ProducerRecord<>("orders", "key-" + i, "v")));
                plain.add(producer.send(new ProducerRecord<>("plain", "key-" + i, "v")));
            }
            for (int i = 0; i < 500; i++) {
                // get() throws if the broker refused a record as misrouted
                assertThat(orders.get(i).get(20, TimeUnit.SECONDS).partition()).isEqualTo(ordered("key-" + i, 3));
                byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
                assertThat(plain.get(i).get(20, TimeUnit.SECONDS).partition()).isEqualTo(Utils.toPositive(Utils.murmur2(key)) % 5);
            }
        }
    }

    @Test
    void keylessRecordsTakeThePartitionsInTurn() throws Exception {
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            Set<Integer> used = new HashSet<>();
            for (int i = 0; i < 9; i++) {
                used.add(producer.send(new ProducerRecord<>("orders", null, "v")).get(20, TimeUnit.SECONDS).partition());
            }
            assertThat(used).containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    /**
     * After a growth, a producer with stale metadata has a record for a key that moved refused until
     * delivery.timeout.ms; the refusal makes it refresh its metadata, so the same key sent again lands in its new
     * partition. (This is the limit docs/ROUTING.md states for Kafka's producer.)
     */
    @Test
    void aStaleProducerFailsTheMovedKeysBatchThenRoutesWithTheNewCount() throws Exception {
        String moved = null;
        for (int i = 0; moved == null; i++) {
            if (ordered("m-" + i, 6) >= 3) {
                moved = "m-" + i;
            }
        }
        try (KafkaProducer<String, String> producer = producer(Map.of(
                ProducerConfig.METADATA_MAX_AGE_CONFIG, 300_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 1_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 2_000,
                ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50))) {
            producer.send(new ProducerRecord<>("growing", "warm-up", "v")).get(20, TimeUnit.SECONDS);
            admin.createPartitions(Map.of("growing", NewPartitions.increaseTo(6))).all().get(20, TimeUnit.SECONDS);

            Future<RecordMetadata> stale = producer.send(new ProducerRecord<>("growing", moved, "old"));
            assertThatThrownBy(() -> stale.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(TimeoutException.class);

            RecordMetadata again = producer.send(new ProducerRecord<>("growing", moved, "again")).get(20, TimeUnit.SECONDS);
            assertThat(again.partition()).isEqualTo(ordered(moved, 6));
        }
    }

    @Test
    void badTopicListsAreRefused() {
        OrderedPartitioner partitioner = new OrderedPartitioner();
        assertThatThrownBy(() -> partitioner.configure(Map.of(OrderedPartitioner.ORDERED_TOPICS_CONFIG, "a,,b")))
            .isInstanceOf(ConfigException.class).hasMessageContaining("a,,b");
        assertThatThrownBy(() -> partitioner.configure(Map.of(OrderedPartitioner.ORDERED_TOPICS_CONFIG, "")))
            .isInstanceOf(ConfigException.class);
        partitioner.configure(Map.of(OrderedPartitioner.ORDERED_TOPICS_CONFIG, " * "));
        partitioner.close();
    }
}
