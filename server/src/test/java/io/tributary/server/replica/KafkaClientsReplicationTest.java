package io.tributary.server.replica;

import io.tributary.protocol.TopicPartition;
import io.tributary.server.Await;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kafka-clients 4.3.1 against three in-process brokers with a static assignment (broker 1 leads both partitions,
 * brokers 2 and 3 follow; the clients bootstrap from broker 1): an idempotent acks=all producer keeps going while a
 * follower stops (the ISR shrinks, min.insync.replicas=2 still holds), every acknowledged record is consumed once and
 * in order, and after the follower returns all three logs are byte-identical.
 */
class KafkaClientsReplicationTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int RECORDS = 2_000;

    @Test
    void anIdempotentAcksAllProducerAndAConsumerSeeEveryRecordOnceWhileAFollowerRestarts() throws Exception {
        Map<String, String> settings = Map.of("replica.lag.time.max.ms", "1500", "replica.fetch.wait.max.ms", "200",
            "replica.fetch.backoff.ms", "100", "replica.socket.timeout.ms", "5000");
        try (InProcessCluster cluster = new InProcessCluster(3, settings)) {
            cluster.createTopic("clients", 2, List.of(1, 2, 3), Map.of("min.insync.replicas", "2"));
            List<TopicPartition> partitions = List.of(new TopicPartition("clients", 0), new TopicPartition("clients", 1));
            for (TopicPartition tp : partitions) {
                Await.until("broker 1 leads " + tp, WAIT, () -> cluster.broker(1).replicaManager().isReplicated(tp)
                    && cluster.broker(3).replicaManager().isReplicated(tp));
            }
            Properties producerProps = new Properties();
            producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.fixture(1).bootstrap());
            producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
            producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producerProps.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            producerProps.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producerProps.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps)) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    if (i == RECORDS / 2) {
                        producer.flush();
                        cluster.stop(3);
                    }
                    sent.add(producer.send(new ProducerRecord<>("clients", i % 2, null, value(i))));
                }
                for (Future<RecordMetadata> ack : sent) {
                    ack.get(60, TimeUnit.SECONDS);
                }
            }
            assertThat(cluster.controller().assignment(partitions.get(0)).isr()).doesNotContain(3);

            Properties consumerProps = new Properties();
            consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.fixture(1).bootstrap());
            consumerProps.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumerProps.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            Map<Integer, List<Integer>> consumed = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps)) {
                List<org.apache.kafka.common.TopicPartition> assigned = List.of(new org.apache.kafka.common.TopicPartition("clients", 0),
                    new org.apache.kafka.common.TopicPartition("clients", 1));
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                long deadline = System.nanoTime() + WAIT.toNanos();
                int total = 0;
                while (total < RECORDS && System.nanoTime() < deadline) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                        consumed.computeIfAbsent(record.partition(), p -> new ArrayList<>())
                            .add(Integer.parseInt(new String(record.value(), StandardCharsets.UTF_8).substring(2)));
                        total++;
                    }
                }
            }
            for (int p = 0; p < 2; p++) {
                List<Integer> expected = new ArrayList<>();
                for (int i = p; i < RECORDS; i += 2) {
                    expected.add(i);
                }
                assertThat(consumed.get(p)).as("partition %d, once and in order", p).isEqualTo(expected);
            }

            cluster.start(3);
            for (TopicPartition tp : partitions) {
                long end = cluster.log(1, tp).logEndOffset();
                Await.until("broker 3 catches up on " + tp + " and rejoins the ISR", WAIT,
                    () -> cluster.log(3, tp).logEndOffset() == end && cluster.broker(1).replicaManager().isr(tp).size() == 3);
                for (int follower : List.of(2, 3)) {
                    assertThat(cluster.logBytes(follower, tp)).isEqualTo(cluster.logBytes(1, tp));
                }
            }
        }
    }

    private static byte[] value(int i) {
        return ("v-" + i).getBytes(StandardCharsets.UTF_8);
    }
}
