package io.tributary.clients.producer;

import io.tributary.server.BrokerFixture;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static io.tributary.clients.producer.TransactionTestSupport.WAIT;
import static io.tributary.clients.producer.TransactionTestSupport.createTopic;
import static io.tributary.clients.producer.TransactionTestSupport.readAll;
import static io.tributary.clients.producer.TransactionTestSupport.values;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transactions across client implementations, each direction with one committed and one aborted transaction:
 * Apache Kafka's 4.3.1 transactional producer read by our read_committed (and read_uncommitted) consumer, and our
 * transactional producer read by Kafka's read_committed (and read_uncommitted) consumer.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TransactionInteropTest {
    private static BrokerFixture broker;

    @BeforeAll
    static void start() {
        broker = new BrokerFixture(TransactionTestSupport.BROKER_SETTINGS);
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void kafkasTransactionalProducerToOurReadCommittedConsumer() throws Exception {
        String topic = "kafka-to-ours";
        createTopic(broker, topic, 2);
        Properties p = broker.clientProperties();
        p.put("transactional.id", "kafka-producer");
        p.put("max.block.ms", "30000");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, i % 2, null, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, i % 2, null, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
        assertThat(values(readAll(broker, topic, 2, "read_committed")))
            .containsExactly("committed-0", "committed-2", "committed-1", "committed-3");
        assertThat(values(readAll(broker, topic, 2, "read_uncommitted")))
            .containsExactly("committed-0", "committed-2", "aborted-0", "aborted-2", "committed-1", "committed-3", "aborted-1", "aborted-3");
    }

    @Test
    void ourTransactionalProducerToKafkasReadCommittedConsumer() throws Exception {
        String topic = "ours-to-kafka";
        createTopic(broker, topic, 2);
        try (TributaryProducer<String, String> producer = TransactionTestSupport.producer(broker, "our-producer")) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, "committed-" + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            for (int i = 0; i < 4; i++) {
                producer.send(new ProducerRecord<>(topic, i % 2, null, "aborted-" + i));
            }
            producer.flush();
            producer.abortTransaction();
        }
        assertThat(kafkaReadAll(topic, 2, "read_committed"))
            .containsExactly("committed-0", "committed-2", "committed-1", "committed-3");
        assertThat(kafkaReadAll(topic, 2, "read_uncommitted"))
            .containsExactly("committed-0", "committed-2", "aborted-0", "aborted-2", "committed-1", "committed-3", "aborted-1", "aborted-3");
    }

    /** Kafka's consumer from the beginning to the end offsets it sees at the start, values in partition then offset order. */
    private static List<String> kafkaReadAll(String topic, int partitions, String isolation) {
        Properties p = broker.clientProperties();
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                all.add(new TopicPartition(topic, i));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            Map<Integer, List<String>> read = new java.util.TreeMap<>();
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!all.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp))) {
                assertThat(System.nanoTime() - deadline).as("Kafka's consumer reaching %s", ends).isNegative();
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
                    read.computeIfAbsent(r.partition(), x -> new ArrayList<>()).add(r.value());
                }
            }
            List<String> out = new ArrayList<>();
            read.values().forEach(out::addAll);
            return out;
        }
    }
}
